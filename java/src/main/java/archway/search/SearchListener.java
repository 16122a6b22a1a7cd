package archway.search;

/** Receives a search's {@link SearchEvent}s on the searching thread (keep it quick; it runs between epochs). */
@FunctionalInterface
public interface SearchListener {
    /** A listener that ignores everything. */
    SearchListener NONE = e -> { };

    void on(SearchEvent event);
}

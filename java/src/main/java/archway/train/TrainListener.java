package archway.train;

/** Receives a training run's {@link TrainEvent}s on the training thread (keep it quick; it runs between epochs). */
@FunctionalInterface
public interface TrainListener {
    /** A listener that ignores everything. */
    TrainListener NONE = e -> { };

    void on(TrainEvent event);
}

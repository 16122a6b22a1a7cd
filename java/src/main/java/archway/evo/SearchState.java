package archway.evo;

import java.util.List;

/**
 * The whole state of a surrogate-assisted search after an iteration (0 = after the initial design): enough to
 * resume it exactly, since every random draw of iteration i is derived from (seed, i).
 */
public record SearchState(int iteration, List<ArchiveMember> archive, List<IterationRecord> history,
                          int iterationsWithoutGain, boolean stopped) {
    public SearchState {
        archive = List.copyOf(archive);
        history = List.copyOf(history);
    }

    public static SearchState empty() {
        return new SearchState(-1, List.of(), List.of(), 0, false);
    }
}

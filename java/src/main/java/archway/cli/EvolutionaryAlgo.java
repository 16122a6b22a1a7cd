package archway.cli;

/**
 * One evolutionary search behind {@code nas search --algo NAME} (surrogate-assisted NSGA-II over the mbv3 space):
 * FlatNAS now, NACHOS next, each a strategy that reads the shared run options and the evolutionary options.
 */
interface EvolutionaryAlgo {
    /** The --algo value. */
    String name();

    /** Runs the search the options describe, trials here on the backend {@code device} selects; returns the exit code. */
    int search(String space, RunOptions run, EvolutionarySearchOptions evo, DeviceOptions device);
}

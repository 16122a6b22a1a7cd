package archway.evo;

/**
 * The surrogate-assisted loop's settings. {@link #standard} gives the spec's: 100 initial genomes, 8
 * candidates per iteration, NSGA-II with population 40 for 20 generations, stop after 10 iterations without
 * hypervolume gain.
 */
public record SearchSettings(int initial, int iterations, int candidates, Nsga2.Settings nsga2, int patience, long seed) {
    public static final int DEFAULT_INITIAL = 100;
    public static final int DEFAULT_CANDIDATES = 8;
    public static final int DEFAULT_PATIENCE = 10;

    public SearchSettings {
        if (initial < 2 || iterations < 0 || candidates < 1 || patience < 1) {
            throw new IllegalArgumentException("bad search settings: initial " + initial + ", iterations " + iterations
                    + ", candidates " + candidates + ", patience " + patience);
        }
    }

    public static SearchSettings standard(int iterations, long seed) {
        return new SearchSettings(DEFAULT_INITIAL, iterations, DEFAULT_CANDIDATES, Nsga2.Settings.DEFAULT, DEFAULT_PATIENCE, seed);
    }
}

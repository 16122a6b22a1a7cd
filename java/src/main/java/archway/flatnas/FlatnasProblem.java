package archway.flatnas;

import archway.evo.ArchiveMember;
import archway.evo.EvoProblem;
import archway.spaces.GeneSpace;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialSpec;
import java.util.List;
import java.util.Map;

/**
 * FlatNAS as an {@link EvoProblem} (docs/FLATNAS.md): objective 1 = alpha * err + alpha_norm * (1 - alpha) * R,
 * with alpha_norm = mean(err) / mean(R) over the archive (so recomputed as the archive grows), predicted by the
 * surrogates; objective 2 = parameter count + 1e10 * max(0, P - P_max), exact.
 */
public final class FlatnasProblem implements EvoProblem {
    public static final String TRIAL_KIND = "flatnas/mbv3";
    public static final double PENALTY = 1e10;

    private final Mbv3GeneSpace space;
    private final int inChannels;
    private final int resolution;
    private final int classes;
    private final long paramsMax;
    private final double alpha;
    private final TrialBudget budget;
    private final long seed;
    private final Map<String, String> settings;
    private final String trialKind;

    /**
     * @param resolution the dataset's resolution (used when the genome does not carry one)
     * @param settings   what else a trial needs (dataset, learning rate, ...), copied into every trial spec
     */
    public FlatnasProblem(Mbv3GeneSpace space, int inChannels, int resolution, int classes, long paramsMax, double alpha,
                          TrialBudget budget, long seed, Map<String, String> settings) {
        this(space, inChannels, resolution, classes, paramsMax, alpha, budget, seed, settings, TRIAL_KIND);
    }

    /** As above, with trials of another problem kind (e.g. a synthetic stand-in for tests). */
    public FlatnasProblem(Mbv3GeneSpace space, int inChannels, int resolution, int classes, long paramsMax, double alpha,
                          TrialBudget budget, long seed, Map<String, String> settings, String trialKind) {
        if (alpha < 0 || alpha > 1) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (paramsMax < 1) {
            throw new IllegalArgumentException("the parameter limit must be positive, got " + paramsMax);
        }
        this.space = space;
        this.inChannels = inChannels;
        this.resolution = resolution;
        this.classes = classes;
        this.paramsMax = paramsMax;
        this.alpha = alpha;
        this.budget = budget;
        this.seed = seed;
        this.settings = Map.copyOf(settings);
        this.trialKind = trialKind;
    }

    public Mbv3GeneSpace mbv3() {
        return space;
    }

    @Override
    public GeneSpace space() {
        return space;
    }

    @Override
    public int objectiveCount() {
        return 2;
    }

    @Override
    public boolean predicted(int m) {
        return m == 0;
    }

    /** Parameter and MAC count of a genome at its own resolution (or the dataset's). */
    public Mbv3Count count(int[] genes) {
        Mbv3Arch a = space.decode(genes);
        return Mbv3Count.of(a, inChannels, a.resolution() > 0 ? a.resolution() : resolution, classes);
    }

    @Override
    public double exactObjective(int m, int[] genes) {
        if (m != 1) {
            throw new IllegalArgumentException("objective " + m + " is predicted, not exact");
        }
        return penalisedParams(count(genes).params());
    }

    double penalisedParams(long params) {
        return params + PENALTY * Math.max(0, params - paramsMax);
    }

    /** mean(err) / mean(R) over the archive; 1 when every R is 0 (R then adds nothing either way). */
    public static double alphaNorm(List<ArchiveMember> archive) {
        double err = 0;
        double r = 0;
        for (ArchiveMember m : archive) {
            err += m.metric(FlatnasMetrics.ERROR);
            r += m.metric(FlatnasMetrics.FLATNESS);
        }
        return r > 0 ? err / r : 1;
    }

    @Override
    public double[][] objectives(List<ArchiveMember> archive) {
        double norm = alphaNorm(archive);
        double[][] f = new double[archive.size()][];
        for (int i = 0; i < f.length; i++) {
            ArchiveMember m = archive.get(i);
            f[i] = new double[] {objective1(m, norm), penalisedParams(count(m.genes()).params())};
        }
        return f;
    }

    /** Objective 1: alpha x error + (1 - alpha) x R scaled by {@code norm} ({@link #alphaNorm} of the archive). */
    public double objective1(ArchiveMember m, double norm) {
        return alpha * m.metric(FlatnasMetrics.ERROR) + norm * (1 - alpha) * m.metric(FlatnasMetrics.FLATNESS);
    }

    @Override
    public boolean feasible(ArchiveMember member) {
        return count(member.genes()).params() <= paramsMax;
    }

    @Override
    public TrialSpec trial(int[] genes) {
        return new TrialSpec(trialKind, genes, budget, seed, settings);
    }

    /** The trial of a genome with some settings replaced or added (e.g. the corruption benchmark switched on). */
    public TrialSpec trial(int[] genes, Map<String, String> overrides) {
        Map<String, String> s = new java.util.HashMap<>(settings);
        s.putAll(overrides);
        return new TrialSpec(trialKind, genes, budget, seed, s);
    }

    public long paramsMax() {
        return paramsMax;
    }
}

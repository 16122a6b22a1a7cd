package archway.nachos;

import archway.evo.ArchiveMember;
import archway.evo.EvoProblem;
import archway.spaces.GeneSpace;
import archway.trial.TrialBudget;
import archway.trial.TrialSpec;
import java.util.List;
import java.util.Map;

/**
 * NACHOS as an {@link EvoProblem} (docs/NACHOS.md): objective 1 = test error of the early-exit network with tuned
 * thresholds; objective 2 = expected MACs under the constraint MACs <= MACs_max, as
 * f2 = phi c + (1 - phi) 1e10 max(0, c - MACs_max) with phi the archive's feasible share
 * ({@link ConstrainedRanking#penalisedMacs}). Both come from trials (exit rates are only known after training), so
 * both are predicted by surrogates. A member is feasible (admissible) when its measured expected MACs fit.
 */
public final class NachosProblem implements EvoProblem {
    public static final String TRIAL_KIND = "nachos/mbv3";

    private final NachosGeneSpace space;
    private final double macsMax;
    private final TrialBudget budget;
    private final long seed;
    private final Map<String, String> settings;

    public NachosProblem(NachosGeneSpace space, double macsMax, TrialBudget budget, long seed,
            Map<String, String> settings) {
        if (!(macsMax > 0)) {
            throw new IllegalArgumentException("the MACs budget must be positive, got " + macsMax);
        }
        this.space = space;
        this.macsMax = macsMax;
        this.budget = budget;
        this.seed = seed;
        this.settings = Map.copyOf(settings);
    }

    public NachosGeneSpace nachos() {
        return space;
    }

    public double macsMax() {
        return macsMax;
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
        return true;
    }

    @Override
    public double exactObjective(int m, int[] genes) {
        throw new IllegalArgumentException("NACHOS objectives are all measured by trials");
    }

    @Override
    public double[][] objectives(List<ArchiveMember> archive) {
        double[] macs = archive.stream().mapToDouble(m -> m.metric(NachosMetrics.MACS)).toArray();
        double phi = ConstrainedRanking.feasibleShare(macs, macsMax);
        double[][] f = new double[archive.size()][];
        for (int i = 0; i < f.length; i++) {
            f[i] = new double[] {archive.get(i).metric(NachosMetrics.ERROR),
                    ConstrainedRanking.penalisedMacs(macs[i], macsMax, phi)};
        }
        return f;
    }

    @Override
    public boolean feasible(ArchiveMember member) {
        return member.metric(NachosMetrics.MACS) <= macsMax;
    }

    @Override
    public TrialSpec trial(int[] genes) {
        return new TrialSpec(TRIAL_KIND, genes, budget, seed, settings);
    }
}

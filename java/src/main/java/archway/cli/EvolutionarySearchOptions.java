package archway.cli;

import archway.UserError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the evolutionary searches ({@code nas search --algo flatnas}, docs/FLATNAS.md) and where their
 * trials run (here, --slots at a time, or on a cluster). Unset options are null, so the differentiable searches
 * can refuse them and each algorithm applies its own defaults.
 */
final class EvolutionarySearchOptions {
    /** The evolutionary algorithms, by --algo name. */
    static final List<EvolutionaryAlgo> ALGOS = List.of(new FlatnasAlgo(), new NachosAlgo());

    @Option(names = "--params-max", paramLabel = "P", description = "Evolutionary: parameter limit of feasible "
            + "architectures (default 5000000).")
    Long paramsMax;
    @Option(names = "--alpha", description = "FlatNAS: weight of the error against flatness R in objective 1 (default 0.5).")
    Double alpha;
    @Option(names = "--iterations", description = "Evolutionary: surrogate iterations after the initial design (default 10).")
    Integer iterations;
    @Option(names = "--initial", paramLabel = "N", description = "Evolutionary: random architectures of the initial "
            + "design (default 100).")
    Integer initial;
    @Option(names = "--candidates", paramLabel = "K", description = "Evolutionary: architectures trained per iteration "
            + "(default 8).")
    Integer candidates;
    @Option(names = "--patience", description = "Evolutionary: stop after this many iterations without hypervolume "
            + "gain (default 10).")
    Integer patience;
    @Option(names = "--trial-epochs", paramLabel = "E", description = "Evolutionary: training epochs per candidate "
            + "(default 2).")
    Integer trialEpochs;
    @Option(names = "--sam-rho", description = "FlatNAS: adaptive SAM radius (default 2.0).")
    Double samRho;
    @Option(names = "--flatness-sigma", description = "FlatNAS: relative weight noise of R (default 0.05).")
    Double flatnessSigma;
    @Option(names = "--flatness-draws", paramLabel = "M", description = "FlatNAS: noise draws of R (default 20; fewer "
            + "for quick runs).")
    Integer flatnessDraws;
    @Option(names = "--test-limit", paramLabel = "N", description = "Evolutionary: test images error and R are "
            + "measured on, a seeded subset (default 0 = all).")
    Integer testLimit;
    @Option(names = "--ood-members", description = "FlatNAS: who gets the corruption benchmark: front (one more trial "
            + "per front member, default) | all (inside every trial).")
    String oodMembers;
    @Option(names = "--ood-limit", paramLabel = "N", description = "FlatNAS: test images of the corruption benchmark, "
            + "a seeded subset (default 0 = all).")
    Integer oodLimit;
    @Option(names = "--supernet", paramLabel = "DIR", description = "FlatNAS: start candidates from the trained "
            + "supernet of this nas supernet train run (sliced weights, batch-norm statistics recalibrated); on a "
            + "cluster the directory must be at the same path on every worker. Default: from scratch.")
    java.nio.file.Path supernet;
    @Option(names = "--macs-max", paramLabel = "M", description = "NACHOS: MACs budget per image (expected MACs of "
            + "the early-exit network); required.")
    Double macsMax;
    @Option(names = "--top1-min", paramLabel = "A", description = "NACHOS: lowest validation top-1 (%%) the threshold "
            + "repair step may go down to (default 0).")
    Double top1Min;
    @Option(names = "--w-macs", description = "NACHOS: weight of L_macs (default 1).")
    Double wMacs;
    @Option(names = "--w-sup", description = "NACHOS: weight of L_sup (default 1).")
    Double wSup;
    @Option(names = "--slots", description = "Evolutionary, without --cluster: trials run at a time here (default 1).")
    Integer slots;
    @Mixin
    ClusterCoordinatorOptions cluster = new ClusterCoordinatorOptions();

    /** The evolutionary algorithm called {@code algo}, or null for a differentiable one. */
    static EvolutionaryAlgo find(String algo) {
        return ALGOS.stream().filter(a -> a.name().equals(algo)).findFirst().orElse(null);
    }

    static List<String> names() {
        return ALGOS.stream().map(EvolutionaryAlgo::name).toList();
    }

    /** A differentiable search given evolutionary options: one error naming them. */
    void refuseFor(String algo) {
        List<String> set = given(List.of());
        if (!set.isEmpty()) {
            throw new UserError(String.join(", ", set) + (set.size() == 1 ? " applies" : " apply")
                    + " to the evolutionary searches (--algo " + String.join(" | ", names()) + "), not to --algo " + algo);
        }
    }

    /** An evolutionary search given options it does not read (another algorithm's): one error naming them. */
    void refuseAllBut(String algo, List<String> reads) {
        List<String> set = given(reads);
        if (!set.isEmpty()) {
            throw new UserError(String.join(", ", set) + (set.size() == 1 ? " does" : " do")
                    + " not apply to --algo " + algo);
        }
    }

    /** The options given on the command line, except those in {@code except}. */
    private List<String> given(List<String> except) {
        Object[][] all = {{"--params-max", paramsMax}, {"--alpha", alpha}, {"--iterations", iterations},
                {"--initial", initial}, {"--candidates", candidates}, {"--patience", patience},
                {"--trial-epochs", trialEpochs}, {"--sam-rho", samRho}, {"--flatness-sigma", flatnessSigma},
                {"--flatness-draws", flatnessDraws}, {"--test-limit", testLimit}, {"--ood-members", oodMembers},
                {"--ood-limit", oodLimit}, {"--slots", slots}, {"--supernet", supernet}, {"--macs-max", macsMax},
                {"--top1-min", top1Min}, {"--w-macs", wMacs}, {"--w-sup", wSup}, {"--cluster", cluster.cluster}};
        List<String> set = new ArrayList<>();
        for (Object[] o : all) {
            if (o[1] != null && !except.contains((String) o[0])) {
                set.add((String) o[0]);
            }
        }
        return set;
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}

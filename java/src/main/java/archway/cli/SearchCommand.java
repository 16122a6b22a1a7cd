package archway.cli;

import archway.UserError;
import archway.run.RunStart;
import archway.search.Algorithm;
import archway.search.Search;
import archway.search.SearchConfig;
import archway.search.SpaceKind;
import archway.spaces.SupernetVariant;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas search}: differentiable and evolutionary architecture search. */
@Command(name = "search",
        header = "Architecture search: differentiable (DARTS family, A2M, ZO-DARTS) or evolutionary (FlatNAS, NACHOS).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Differentiable architecture search on a supernet, or evolutionary search (--algo flatnas | nachos, "
                + "below). A differentiable search writes the run directory: config.json, "
                + "metrics.jsonl (losses, accuracies, per-edge probabilities, genotype, images/s per epoch), result.json "
                + "(final genotype, lowest-validation-loss genotype, NAS-Bench-201 accuracies of the cell, search seconds, "
                + "peak memory), checkpoint.bin, alpha-heatmap.png and report.html (nas report).",
                "",
                "Algorithms: darts (first order), darts2 (second order, unrolled), a2m (architecture-aware minimisation), "
                + "and zeroth order (docs/specs/zo-darts.md): zo-darts (softmax), zo-darts-plus (sparsemax with annealed "
                + "temperature; zero-weight ops are skipped), zo-darts-pp (size-variable NB201 with kernel and depth "
                + "choices under a parameter band). "
                + "Bases: darts, beta-darts, sdarts-rs, pc-darts (partial channels, K = 4: --channels a multiple of 4; with edge "
                + "normalisation unless --no-edge-norm), darts- (auxiliary skip decaying 1 -> 0 over the epochs). "
                + "Spaces: nb201 (one 6x5 alpha shared by 3 stages of --cells cells) and darts (alpha_normal and "
                + "alpha_reduce, 14 edges x 8 ops each; --cells counts all cells, reductions at 1/3 and 2/3).",
                "",
                "Example: nas search --space darts --algo a2m --base pc-darts --epochs 1 --channels 4 --cells 3 --batch 16",
                "Then train the result: nas train --space darts --genotype 'Genotype(normal=[...], ...)' --cells 8",
                "",
                "Evolutionary: --algo flatnas --space mbv3 (surrogate-assisted NSGA-II, candidates trained with adaptive SAM, "
                + "objectives error + flatness R and parameters; docs/FLATNAS.md), trials here (--slots) or on a cluster "
                + "(--cluster HOST:PORT). "
                + "NACHOS: --algo nachos --space mbv3 --macs-max M (early-exit networks under a MACs budget by "
                + "surrogate-assisted NSGA-II; writes the admissible Pareto set, error vs expected MACs, to result.json "
                + "and pareto.png; docs/NACHOS.md).",
                "Example: nas search --algo nachos --space mbv3 --macs-max 5e6 --iterations 2 --initial 4 --candidates 2 \\",
                "    --trial-epochs 1 --train-limit 512 --batch 32",
                "Example: nas search --algo flatnas --space mbv3 --params-max 3500000 --iterations 2 --initial 6 \\",
                "    --candidates 3 --trial-epochs 2 --train-limit 480 --batch 16 --flatness-draws 3 --test-limit 300 \\",
                "    --ood-limit 40", ""})
final class SearchCommand implements Callable<Integer> {
    @Option(names = "--space", defaultValue = "nb201", description = "Search space: nb201 | darts | mbv3 (evolutionary) (default ${DEFAULT-VALUE}).")
    String space;
    @Option(names = "--algo", defaultValue = "darts", description = "darts | darts2 | a2m | zo-darts | zo-darts-plus | zo-darts-pp | flatnas | nachos (default ${DEFAULT-VALUE}).")
    String algo;
    @Option(names = "--base", defaultValue = "darts", description = "darts | beta-darts | sdarts-rs | pc-darts | darts- (default ${DEFAULT-VALUE}).")
    String base;
    @Option(names = "--epochs", defaultValue = "50", description = "Search epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--channels", defaultValue = "16", description = "Supernet channels C (default ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--cells", description = "nb201: cells per stage N (default 5); darts: cells in total (default 8).")
    Integer cells;
    @Option(names = "--drop-none", description = "darts space: search without the none op (7 candidates per edge).")
    boolean dropNone;
    @Option(names = "--rho", description = "A2M perturbation radius (default 1e-2 on nb201, 1e-1 on darts).")
    Double rho;
    @Option(names = "--a2m-eps", defaultValue = "1e-2", description = "A2M finite-difference step (default ${DEFAULT-VALUE}).")
    double a2mEps;
    @Option(names = "--a2m-normalised", description = "A2M with alpha + rho g/||g|| (SAM-style) instead of alpha + rho g.")
    boolean a2mNormalised;
    @Option(names = "--no-edge-norm", description = "pc-darts: without edge normalisation (AsquaredM's variant; on by default).")
    boolean noEdgeNorm;
    @Option(names = "--partial-channels", description = "pc-darts: take the C/4 channels per 'cell' (nb201 default, AsquaredM) or per 'edge' (darts default).")
    String partialChannels;
    @CommandLine.Mixin
    RunOptions run = new RunOptions();
    @CommandLine.Mixin
    DeviceOptions device = new DeviceOptions();
    @CommandLine.Mixin
    ZoOptions zo = new ZoOptions();
    @CommandLine.Mixin
    EvolutionarySearchOptions evo = new EvolutionarySearchOptions();

    /**
     * An unknown --algo, or the mbv3 space with a differentiable one, gets an error naming every choice the command
     * has (the parsers below know only the differentiable family).
     */
    private void refuseOutsideTheDifferentiableFamily() {
        String evolutionary = String.join(", ", EvolutionarySearchOptions.names());
        if (!Algorithm.labels().contains(algo)) {
            throw new UserError("--algo: unknown algorithm '" + algo + "' (differentiable: "
                    + String.join(", ", Algorithm.labels()) + "; evolutionary, on --space mbv3: " + evolutionary + ")");
        }
        if ("mbv3".equals(space)) {
            throw new UserError("--space mbv3 is searched by the evolutionary algorithms (--algo " + evolutionary
                    + "); --algo " + algo + " searches " + String.join(" or ", SpaceKind.labels()));
        }
    }

    @Override
    public Integer call() {
        EvolutionaryAlgo evolutionary = EvolutionarySearchOptions.find(algo);
        if (evolutionary != null) {
            return evolutionary.search(space, run, evo, device);
        }
        evo.refuseFor(algo);
        refuseOutsideTheDifferentiableFamily();
        RunStart start = run.start();
        device.select();
        SearchConfig cfg;
        try {
            SearchConfig d = SearchConfig.defaults(space, algo, base, run.dataset, run.out);
            cfg = d.withSize(epochs, channels, cells != null ? cells : d.cells(), run.batch)
                    .withSeed(run.seed, run.threadCount())
                    .withDataDir(run.dataDir)
                    .withTrainLimit(run.trainLimit)
                    .withDropNone(dropNone)
                    .withA2m(new SearchConfig.A2mSettings(rho != null ? rho : d.a2m().rho(), a2mEps, a2mNormalised))
                    .withPcDarts(new SearchConfig.PcDartsSettings(partialChannels != null
                            ? SupernetVariant.PartialChannels.parse(partialChannels) : d.pcDarts().slicing(), !noEdgeNorm))
                    .withZo(zo.config());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = run.directory(algo, space);
        Map<String, Object> r;
        try {
            r = new Search(cfg.withOut(dir), System.err).run(start).fields();
        } catch (RuntimeException | Error e) {
            run.discardUnused();
            throw e;
        }
        System.out.println("genotype: " + r.get("genotype"));
        if (r.containsKey("nb201_cifar10_accuracy")) {
            System.out.printf("NAS-Bench-201 accuracy of this cell: CIFAR-10 %.2f%%, CIFAR-100 %.2f%%, ImageNet16-120 %.2f%%%n",
                    r.get("nb201_cifar10_accuracy"), r.get("nb201_cifar100_accuracy"), r.get("nb201_imagenet16-120_accuracy"));
        }
        if (r.containsKey("derived_params")) {
            System.out.printf("expected parameters %.0f, derived network %s parameters%n", r.get("expected_params"),
                    r.get("derived_params"));
        }
        System.out.printf("best validation loss at epoch %s: %s%n", r.get("best_epoch"), r.get("genotype_best_val_loss"));
        System.out.println("run directory: " + dir);
        System.out.println("report: " + archway.report.RunReport.write(dir));
        return 0;
    }
}

package example;

import archway.run.RunStart;
import archway.search.Search;
import archway.search.SearchConfig;
import archway.search.SearchEvent;
import archway.search.SearchListener;
import archway.search.SearchResult;
import java.nio.file.Path;

/** A differentiable search driven from Java, as a tool built on Archway runs one. */
public final class SearchExample {
    private SearchExample() {
    }

    /** A tiny first-order DARTS search of NAS-Bench-201 cells on 256 bundled Fashion-MNIST images; returns its result. */
    public static SearchResult run(Path runDir) {
        // README:search
        SearchConfig cfg = SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", runDir)
                .withSize(1, 4, 1, 32)   // epochs, channels C, cells per stage N, batch
                .withSeed(7, 2)          // seed, threads: the same pair gives bit-identical results
                .withTrainLimit(256);    // a seeded subset of 256 training images: seconds, not minutes
        SearchListener progress = event -> {  // typed events, on the searching thread between epochs
            switch (event) {
                case SearchEvent.EpochFinished e -> System.out.printf("epoch %d/%d: validation loss %.3f, %s%n",
                        e.epoch(), e.epochs(), e.valLoss(), e.genotype());
                case SearchEvent.GenotypeChanged g -> System.out.println("genotype now " + g.genotype());
                case SearchEvent.CheckpointWritten c -> { }  // c.file(): what RunStart.RESUME continues from
                case SearchEvent.Finished f -> System.out.printf("done in %.1f s%n", f.result().searchSeconds());
            }
        };
        SearchResult result = new Search(cfg, System.err)  // progress lines go to System.err
                .listener(progress)
                .run(RunStart.NEW);      // a fresh run (refuses a directory holding one); RESUME continues it
        String genotype = result.genotype();                                      // |nor_conv_3x3~0|+|...
        double cifar10 = (Double) result.fields().get("nb201_cifar10_accuracy");  // that cell in NAS-Bench-201
        System.out.printf("found %s (CIFAR-10 %.2f%% in NAS-Bench-201); lowest validation loss at epoch %d: %s%n",
                genotype, cifar10, result.bestEpoch(), result.bestGenotype());
        // README:end
        return result;
    }
}

package example;

import archway.search.Search;
import archway.search.SearchConfig;
import archway.search.SearchEvent;
import archway.search.SearchResult;
import java.nio.file.Path;
import java.util.Map;

/** A differentiable search driven from Java, as a tool built on Archway runs one. */
public final class SearchExample {
    private SearchExample() {
    }

    /** A tiny first-order DARTS search of NAS-Bench-201 cells on 256 bundled Fashion-MNIST images; returns result.json. */
    public static Map<String, Object> run(Path runDir) {
        // README:search
        SearchConfig cfg = SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", runDir)
                .withSize(1, 4, 1, 32)   // epochs, channels C, cells per stage N, batch
                .withSeed(7, 2)          // seed, threads: the same pair gives bit-identical results
                .withTrainLimit(256);    // a seeded subset of 256 training images: seconds, not minutes
        SearchResult result = new Search(cfg, System.err)  // progress lines go to System.err
                .listener(event -> {                       // typed events while it runs
                    if (event instanceof SearchEvent.EpochFinished e) {
                        System.out.printf("epoch %d: validation loss %.3f, %s%n", e.epoch(), e.valLoss(), e.genotype());
                    }
                })
                .run(false);             // false: a fresh run; true: continue from runDir's checkpoint
        String genotype = result.genotype();                                      // |nor_conv_3x3~0|+|...
        double cifar10 = (Double) result.fields().get("nb201_cifar10_accuracy");  // that cell in NAS-Bench-201
        System.out.printf("found %s (CIFAR-10 %.2f%% in NAS-Bench-201)%n", genotype, cifar10);
        // README:end
        return result.fields();
    }
}

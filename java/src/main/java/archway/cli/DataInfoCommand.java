package archway.cli;

import archway.data.ChannelStats;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas data info}: sizes, shape, classes, class balance and normalisation constants of a dataset. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print counts, shape, classes, class balance and mean/std of a dataset.",
                "",
                "Reads every split and prints the image count of each, the image shape CxHxW, "
                + "the number of classes, the images per class in each split, and the per-channel "
                + "mean/std of the training split (normalisation constants, pixel/255 units)."},
        footer = {"", "Where the files come from:",
                "  fashion-mnist-mini  bundled in data/fashion-mnist-mini/ (6,000 / 1,000)",
                "  fashion-mnist       /usr/share/datasets/fashion-mnist",
                "                        (apt-get install dataset-fashion-mnist),",
                "                        or --data-dir DIR with the four IDX files",
                "  cifar10, cifar100   --data-dir DIR with the binary version",
                "                        (data_batch_*.bin, test_batch.bin / train.bin, test.bin)",
                "  medmnist            --data-dir FILE.npz (e.g. pathmnist.npz)",
                "", "Example:  nas data info --dataset fashion-mnist --data-dir ~/fmnist"})
final class DataInfoCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "fashion-mnist-mini", paramLabel = "NAME",
            description = "fashion-mnist-mini, fashion-mnist, cifar10, cifar100 or medmnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the dataset's files (for medmnist: the .npz file).")
    Path dataDir;

    @Override
    public Integer call() {
        DatasetSplit split = Datasets.load(dataset, dataDir);
        print(split, System.out);
        return 0;
    }

    static void print(DatasetSplit split, PrintStream out) {
        Dataset train = split.train();
        List<Dataset> parts = new ArrayList<>();
        parts.add(train);
        split.validation().ifPresent(parts::add);
        parts.add(split.test());
        out.println("dataset   " + train.name().replaceFirst("-train$", ""));
        out.println("source    " + split.source());
        out.println("shape     " + train.shape() + " (CxHxW)");
        out.println("classes   " + train.numClasses());
        for (Dataset d : parts) {
            out.printf(Locale.ROOT, "%-9s %,d images%n", partName(d), d.size());
        }
        ChannelStats stats = ChannelStats.of(train);
        out.println("normalisation (train, pixel/255):");
        for (int c = 0; c < stats.channels(); c++) {
            out.printf(Locale.ROOT, "  channel %d  mean %.4f  std %.4f%n", c, stats.mean(c), stats.std(c));
        }
        out.println("class balance (images per class):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-5s %-14s", "label", "name"));
        List<int[]> counts = new ArrayList<>();
        for (Dataset d : parts) {
            head.append(String.format(Locale.ROOT, " %8s", partName(d)));
            counts.add(d.classCounts());
        }
        out.println(head);
        for (int k = 0; k < train.numClasses(); k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-5d %-14s", k, train.classNames().get(k)));
            for (int[] c : counts) {
                row.append(String.format(Locale.ROOT, " %8d", c[k]));
            }
            out.println(row);
        }
    }

    private static String partName(Dataset d) {
        String n = d.name();
        return n.substring(n.lastIndexOf('-') + 1);
    }
}

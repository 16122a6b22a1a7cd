package archway.cli;

import archway.UserError;
import archway.data.Dataset;
import archway.data.DatasetSplit;
import archway.data.Datasets;
import archway.data.corrupt.Corruption;
import archway.data.corrupt.CorruptionSheet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas data corrupt}: a picture sheet of one test image under every corruption and severity. */
@Command(name = "corrupt", header = "Write a picture sheet of one test image under every corruption and severity.",
        mixinStandardHelpOptions = true,
        description = {"Write a picture sheet of one test image under the 15 corruptions x 5 severities "
                + "of the OOD benchmark (gaussian, shot, impulse noise; defocus, glass, motion, zoom blur; "
                + "snow, frost, fog, brightness, contrast, elastic, pixelate, jpeg). "
                + "The corruptions are deterministic: the same --seed gives the same pictures."},
        footer = {"", "Example:  nas data corrupt --dataset fashion-mnist-mini --out runs/corrupt"})
final class DataCorruptCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "fashion-mnist-mini", paramLabel = "NAME",
            description = "fashion-mnist-mini, fashion-mnist, cifar10, cifar100 or medmnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the dataset's files (for medmnist: the .npz file).")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the PNG (created if missing).")
    Path out;

    @Option(names = "--index", defaultValue = "0", paramLabel = "I", description = "Which test image (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the corruptions' randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        DatasetSplit split = Datasets.load(dataset, dataDir);
        Dataset test = split.test();
        if (index < 0 || index >= test.size()) {
            throw new UserError("--index " + index + " outside the test split [0, " + test.size() + ")");
        }
        if (test.channels() != 1 && test.channels() != 3) {
            throw new UserError(dataset + " has " + test.channels() + " channels; the corruptions take grey or RGB images");
        }
        Path png = out.resolve("corruptions-" + dataset + "-" + index + ".png");
        CorruptionSheet.write(test, index, seed, png);
        System.out.println("wrote " + png + " (" + Corruption.values().length + " corruptions x " + Corruption.SEVERITIES
                + " severities, test image " + index + ", label " + test.classNames().get(test.label(index)) + ")");
        return 0;
    }
}

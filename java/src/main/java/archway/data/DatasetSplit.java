package archway.data;

import java.util.Objects;
import java.util.Optional;

/**
 * The published parts of one dataset: train and test, plus a validation part where the dataset ships one
 * (MedMNIST). {@code source} says where it was read from, for messages and {@code nas data info}.
 */
public record DatasetSplit(Dataset train, Dataset test, Dataset validationOrNull, String source) {
    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        check(train, test);
        if (validationOrNull != null) {
            check(train, validationOrNull);
        }
    }

    public DatasetSplit(Dataset train, Dataset test, String source) {
        this(train, test, null, source);
    }

    /** The validation part, when the dataset ships one. */
    public Optional<Dataset> validation() {
        return Optional.ofNullable(validationOrNull);
    }

    private static void check(Dataset a, Dataset b) {
        if (!a.shape().equals(b.shape()) || a.numClasses() != b.numClasses()) {
            throw new IllegalArgumentException(a.name() + " is " + a.shape() + " with " + a.numClasses()
                    + " classes but " + b.name() + " is " + b.shape() + " with " + b.numClasses());
        }
    }
}

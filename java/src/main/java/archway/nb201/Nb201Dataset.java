package archway.nb201;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The three image datasets the NAS-Bench-201 table reports test accuracies for. */
public enum Nb201Dataset {
    CIFAR10("cifar10", "CIFAR-10", "CIFAR10TestAccuracy200Epochs"),
    CIFAR100("cifar100", "CIFAR-100", "CIFAR100TestAccuracy200Epochs"),
    IMAGENET16_120("imagenet16-120", "ImageNet16-120", "ImageNetTestAccuracy200Epochs");

    private final String id;
    private final String label;
    private final String column;

    Nb201Dataset(String id, String label, String column) {
        this.id = id;
        this.label = label;
        this.column = column;
    }

    /** Name used on the command line and in JSON, e.g. {@code imagenet16-120}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Name for people, e.g. {@code ImageNet16-120}. */
    public String label() {
        return label;
    }

    /** Header of this dataset's column in the table file. */
    public String column() {
        return column;
    }

    /** Looks up a dataset by its {@link #id()} (case-insensitive). */
    public static Nb201Dataset parse(String id) {
        for (Nb201Dataset d : values()) {
            if (d.id.equalsIgnoreCase(id.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown NB201 dataset '" + id + "' (known: "
                + Arrays.stream(values()).map(Nb201Dataset::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}

package archway.train;

import archway.data.Augmentation;
import archway.data.Dataset;

/**
 * Augmentation of {@code nas train}. {@link #AUTO} picks by the dataset: crop (4-pixel padding) and flip
 * for colour natural images; flip without crop for the grey Fashion-MNIST clothing images, where a
 * mirrored garment is still the same garment but a 4-pixel shift of a 28x28 image cuts off a seventh of
 * it and costs accuracy in short runs (measured in README, "Training recipe"); the search default
 * ({@link Augmentation#defaultFor}) for every other dataset.
 */
public enum TrainAugmentation {
    AUTO, NONE, CROP, FLIP, CROP_FLIP;

    /** Crop padding of {@link #CROP} and {@link #CROP_FLIP}. */
    public static final int CROP_PADDING = 4;

    public Augmentation of(Dataset ds) {
        return switch (this) {
            case NONE -> Augmentation.NONE;
            case CROP -> new Augmentation(CROP_PADDING, false, 0);
            case FLIP -> new Augmentation(0, true, 0);
            case CROP_FLIP -> new Augmentation(CROP_PADDING, true, 0);
            case AUTO -> ds.name().startsWith("fashion-mnist") ? FLIP.of(ds) : Augmentation.defaultFor(ds);
        };
    }

    /** Command-line spelling: auto, none, crop, flip, crop+flip. */
    public String cliName() {
        return this == CROP_FLIP ? "crop+flip" : name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TrainAugmentation parse(String s) {
        for (TrainAugmentation a : values()) {
            if (a.cliName().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("--augment must be one of auto, none, crop, flip, crop+flip; got '" + s + "'");
    }
}

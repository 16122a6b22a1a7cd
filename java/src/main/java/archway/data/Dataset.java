package archway.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image classification set held compactly in memory: uint8 images in [N, C, H, W] order (one
 * {@code byte[]}, {@code C*H*W} bytes per image) and one int label in {@code [0, numClasses)} per image.
 *
 * <p>Immutable by contract: readers hand over freshly read arrays and nothing in this package writes to
 * them afterwards. {@link #copyImage} and {@link #pixel} are the public ways to look at pixels.
 */
public final class Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final byte[] images;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param classNames one per class, or empty for "0", "1", ...
     * @throws IllegalArgumentException when the arrays disagree with the shape or a label is out of range
     *                                  (readers check files first and throw {@link DataFormatException})
     */
    public Dataset(String name, int channels, int height, int width, int numClasses, byte[] images, int[] labels,
                   List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels < 1 || height < 1 || width < 1 || numClasses < 1) {
            throw new IllegalArgumentException(name + ": bad shape " + channels + "x" + height + "x" + width
                    + " or class count " + numClasses);
        }
        long per = (long) channels * height * width;
        if ((long) labels.length * per != images.length) {
            throw new IllegalArgumentException(name + ": " + images.length + " image bytes for " + labels.length
                    + " labels of " + per + " bytes each");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " at index " + i
                        + " out of range [0, " + numClasses + ")");
            }
        }
        List<String> names = classNames == null ? List.of() : List.copyOf(classNames);
        if (!names.isEmpty() && names.size() != numClasses) {
            throw new IllegalArgumentException(name + ": " + names.size() + " class names for " + numClasses + " classes");
        }
        if (names.isEmpty()) {
            List<String> numbered = new ArrayList<>(numClasses);
            for (int k = 0; k < numClasses; k++) {
                numbered.add(Integer.toString(k));
            }
            names = List.copyOf(numbered);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.images = images;
        this.labels = labels;
        this.classNames = names;
    }

    public String name() {
        return name;
    }

    /** Number of images N. */
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Bytes per image: C*H*W. */
    public int imageSize() {
        return channels * height * width;
    }

    public int numClasses() {
        return numClasses;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** "CxHxW", e.g. "1x28x28". */
    public String shape() {
        return channels + "x" + height + "x" + width;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Pixel value 0..255 of image i at channel c, row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        return images[(int) ((long) i * imageSize() + ((long) c * height + y) * width + x)] & 0xff;
    }

    /** Copies image i (C*H*W bytes, CHW order) into dst at offset off. */
    public void copyImage(int i, byte[] dst, int off) {
        System.arraycopy(images, i * imageSize(), dst, off, imageSize());
    }

    /** Images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** A new dataset holding the images at {@code indices}, in that order (copied). */
    public Dataset subset(int[] indices, String newName) {
        int per = imageSize();
        byte[] img = new byte[Math.multiplyExact(indices.length, per)];
        int[] lab = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(images, indices[j] * per, img, j * per, per);
            lab[j] = labels[indices[j]];
        }
        return new Dataset(newName, channels, height, width, numClasses, img, lab, classNames);
    }

    /** The backing image array; package-private so the loaders can read it without a copy. */
    byte[] imageBytes() {
        return images;
    }

    @Override
    public String toString() {
        return name + " [" + size() + ", " + shape() + "], " + numClasses + " classes";
    }
}

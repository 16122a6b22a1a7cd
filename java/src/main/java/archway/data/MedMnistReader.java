package archway.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a MedMNIST {@code .npz} (a zip of .npy arrays {@code train_images}, {@code train_labels},
 * {@code val_*}, {@code test_*}). Images are {@code |u1} with shape (N, H, W) (grey) or (N, H, W, 3) (RGB,
 * converted to CHW); labels are {@code |u1}, {@code <i4} or {@code <i8} with shape (N,) or (N, 1).
 * Multi-label sets (ChestMNIST, labels (N, 14)) are rejected with a message saying so.
 *
 * <p>The .npz carries no class count, so it is taken as the largest label in any part plus one.
 */
public final class MedMnistReader {
    /** Bounds the class count inferred from labels (the largest MedMNIST set has 11 classes). */
    static final int MAX_CLASSES = 1000;

    private MedMnistReader() {
    }

    /** Reads train, val (when present) and test. */
    public static DatasetSplit read(Path npz) {
        if (!Files.isRegularFile(npz)) {
            throw new DataFormatException(npz + ": no such file (medmnist needs --data-dir pointing at an .npz, e.g. "
                    + "pathmnist.npz from https://zenodo.org/records/10519652)");
        }
        String base = npz.getFileName().toString().replaceFirst("\\.npz$", "");
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            Part train = part(zip, npz, "train", true);
            Part val = part(zip, npz, "val", false);
            Part test = part(zip, npz, "test", true);
            int classes = Math.max(train.maxLabel, test.maxLabel);
            if (val != null) {
                classes = Math.max(classes, val.maxLabel);
            }
            classes += 1;
            if (!(train.c == test.c && train.h == test.h && train.w == test.w)
                    || (val != null && !(val.c == train.c && val.h == train.h && val.w == train.w))) {
                throw new DataFormatException(npz + ": train and test images have different shapes");
            }
            Dataset tr = train.toDataset(base + "-train", classes);
            Dataset te = test.toDataset(base + "-test", classes);
            Dataset va = val == null ? null : val.toDataset(base + "-val", classes);
            return new DatasetSplit(tr, te, va, npz.toString());
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(npz + ": not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw BoundedReads.fail(npz, e);
        }
    }

    /** Images already in CHW order plus labels. */
    private record Part(int c, int h, int w, byte[] images, int[] labels, int maxLabel) {
        Dataset toDataset(String name, int classes) {
            return new Dataset(name, c, h, w, classes, images, labels, List.of());
        }
    }

    private static Part part(ZipFile zip, Path npz, String name, boolean required) throws IOException {
        NpyArray img = array(zip, npz, name + "_images", required);
        NpyArray lab = array(zip, npz, name + "_labels", required);
        if (img == null || lab == null) {
            if (img != lab) {
                throw new DataFormatException(npz + ": has " + (img == null ? name + "_labels" : name + "_images")
                        + " but not its partner");
            }
            return null;
        }
        String wi = npz + ":" + name + "_images.npy";
        String wl = npz + ":" + name + "_labels.npy";
        if (!(img.dtype().equals("|u1") || img.dtype().equals("<u1") || img.dtype().equals("u1"))) {
            throw new DataFormatException(wi + ": images must be uint8 (|u1), got " + img.dtype());
        }
        long[] s = img.shape();
        boolean grey = s.length == 3;
        boolean rgb = s.length == 4 && s[3] == 3;
        if (!(grey || rgb) || s[1] < 1 || s[2] < 1 || s[0] < 1) {
            throw new DataFormatException(wi + ": images must have shape (N, H, W) or (N, H, W, 3), got "
                    + NpyArray.shapeText(s));
        }
        int n = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        int c = rgb ? 3 : 1;
        long[] ls = lab.shape();
        boolean labelShapeOk = ls.length == 1 || (ls.length == 2 && ls[1] == 1);
        if (!labelShapeOk) {
            throw new DataFormatException(wl + ": labels must have shape (N,) or (N, 1), got " + NpyArray.shapeText(ls)
                    + (ls.length == 2 ? " (multi-label sets such as ChestMNIST are not supported)" : ""));
        }
        if (ls[0] != n) {
            throw new DataFormatException(wi + " holds " + n + " images but " + wl + " holds " + ls[0] + " labels");
        }
        int[] labels = new int[n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            long v = lab.integerAt(i);
            if (v < 0 || v >= MAX_CLASSES) {
                throw new DataFormatException(wl + ": label " + v + " at index " + i + " out of range [0, " + MAX_CLASSES + ")");
            }
            labels[i] = (int) v;
            max = Math.max(max, labels[i]);
        }
        byte[] chw = img.data();
        if (rgb) {
            // HWC -> CHW, one image at a time.
            byte[] src = img.data();
            chw = new byte[src.length];
            int hw = h * w;
            for (int i = 0; i < n; i++) {
                int base = i * 3 * hw;
                for (int p = 0; p < hw; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        chw[base + ch * hw + p] = src[base + p * 3 + ch];
                    }
                }
            }
        }
        return new Part(c, h, w, chw, labels, max);
    }

    private static NpyArray array(ZipFile zip, Path npz, String name, boolean required) throws IOException {
        ZipEntry e = zip.getEntry(name + ".npy");
        if (e == null) {
            if (!required) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (ZipEntry z : Collections.list(zip.entries())) {
                names.add(z.getName());
            }
            throw new DataFormatException(npz + ": no " + name + ".npy in the archive (it holds " + names + ")");
        }
        try (InputStream in = zip.getInputStream(e)) {
            // savez_compressed deflates entries, so the bound is the deflate limit over the whole archive.
            long max = BoundedReads.fileSize(npz) * BoundedReads.MAX_DEFLATE_RATIO;
            return NpyArray.read(in, e.getSize(), max, npz, npz + ":" + name + ".npy");
        }
    }
}

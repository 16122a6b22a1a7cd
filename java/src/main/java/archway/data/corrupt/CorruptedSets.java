package archway.data.corrupt;

import archway.data.Dataset;

/** A whole dataset under one corruption and severity (uint8 again, like the clean one). */
public final class CorruptedSets {
    private CorruptedSets() {
    }

    /** Image i is corrupted with image key i, so the result is the same however the set is later batched. */
    public static Dataset corrupt(Dataset clean, Corruption corruption, int severity, long seed) {
        int per = clean.imageSize();
        byte[] pixels = new byte[Math.multiplyExact(clean.size(), per)];
        byte[] one = new byte[per];
        int[] labels = new int[clean.size()];
        for (int i = 0; i < clean.size(); i++) {
            clean.copyImage(i, one, 0);
            FloatImage img = FloatImage.fromBytes(one, 0, clean.channels(), clean.height(), clean.width());
            corruption.apply(img, severity, seed, i).toBytes(pixels, i * per);
            labels[i] = clean.label(i);
        }
        return new Dataset(clean.name() + "-" + corruption.id() + "-" + severity, clean.channels(), clean.height(),
                clean.width(), clean.numClasses(), pixels, labels, clean.classNames());
    }
}

package archway.data.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.data.Dataset;
import archway.data.Datasets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every corruption: deterministic per seed, the same on grey and RGB paths, and monotone in severity (the mean
 * RMS distance to the clean image over a few test images grows strictly from severity 1 to 5).
 */
class CorruptionTest {
    private static final Set<Corruption> SEEDED = EnumSet.of(Corruption.GAUSSIAN_NOISE, Corruption.SHOT_NOISE,
            Corruption.IMPULSE_NOISE, Corruption.GLASS_BLUR, Corruption.MOTION_BLUR, Corruption.SNOW, Corruption.FROST,
            Corruption.FOG, Corruption.ELASTIC);
    private static Dataset test;

    @BeforeAll
    static void load() {
        test = Datasets.load("fashion-mnist-mini", null).test();
    }

    private static FloatImage grey(int i) {
        byte[] px = new byte[test.imageSize()];
        test.copyImage(i, px, 0);
        return FloatImage.fromBytes(px, 0, 1, test.height(), test.width());
    }

    /** A colour image: three different Fashion-MNIST images as the R, G and B planes, cropped to 24x24. */
    private static FloatImage rgb(int i) {
        FloatImage out = FloatImage.blank(3, 24, 24);
        for (int c = 0; c < 3; c++) {
            FloatImage g = grey(i * 3 + c);
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    out.set(c, y, x, g.get(0, y + 2, x + 2));
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void deterministicPerSeedAndLeavesItsInputAlone(Corruption c) {
        for (FloatImage img : new FloatImage[] {grey(3), rgb(1)}) {
            float[] before = img.data().clone();
            FloatImage a = c.apply(img, 3, 11, 5);
            FloatImage b = c.apply(img, 3, 11, 5);
            assertArrayEquals(a.data(), b.data(), c.id());
            assertArrayEquals(before, img.data(), c.id() + " modified its input");
            assertEquals(img.channels(), a.channels());
            for (float v : a.data()) {
                assertTrue(v >= 0 && v <= 1, c.id() + " left [0, 1]: " + v);
            }
            if (SEEDED.contains(c)) {
                assertFalse(java.util.Arrays.equals(a.data(), c.apply(img, 3, 12, 5).data()), c.id() + " ignores the seed");
                assertFalse(java.util.Arrays.equals(a.data(), c.apply(img, 3, 11, 6).data()), c.id() + " ignores the image key");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void distanceToTheCleanImageGrowsWithSeverity(Corruption c) {
        assertMonotone(c, 8, false);
        assertMonotone(c, 4, true);
    }

    private static void assertMonotone(Corruption c, int images, boolean colour) {
        double[] mean = new double[Corruption.SEVERITIES + 1];
        for (int i = 0; i < images; i++) {
            FloatImage clean = colour ? rgb(i) : grey(i);
            for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                mean[s] += c.apply(clean, s, 7, i).rmsDistance(clean) / images;
            }
        }
        for (int s = 1; s <= Corruption.SEVERITIES; s++) {
            assertTrue(mean[s] > mean[s - 1], c.id() + (colour ? " rgb" : " grey") + " severity " + s + ": "
                    + java.util.Arrays.toString(mean));
        }
    }

    @Test
    void aCorruptedSetKeepsLabelsAndShapeAndIsReproducible() {
        Dataset small = test.subset(new int[] {0, 1, 2, 3}, "four");
        Dataset a = CorruptedSets.corrupt(small, Corruption.FOG, 2, 1);
        Dataset b = CorruptedSets.corrupt(small, Corruption.FOG, 2, 1);
        assertEquals(small.size(), a.size());
        assertEquals(small.shape(), a.shape());
        byte[] pa = new byte[a.imageSize()];
        byte[] pb = new byte[b.imageSize()];
        for (int i = 0; i < a.size(); i++) {
            assertEquals(small.label(i), a.label(i));
            a.copyImage(i, pa, 0);
            b.copyImage(i, pb, 0);
            assertArrayEquals(pa, pb);
        }
    }

    @Test
    void meanCorruptionErrorAveragesSeveritiesThenCorruptions() {
        Dataset small = test.subset(new int[] {0, 1}, "two");
        // a fake model whose accuracy depends only on the severity in the set's name: 90, 80, ..., 50
        CorruptionErrors e = CorruptionErrors.measure(small, d -> 100 - 10 * (d.name().charAt(d.name().length() - 1) - '0'), 0);
        for (Corruption c : Corruption.values()) {
            assertArrayEquals(new double[] {10, 20, 30, 40, 50}, e.errors().get(c), 1e-12);
            assertEquals(30, e.meanError(c), 1e-12);
        }
        assertEquals(30, e.meanCorruptionError(), 1e-12);
    }

    @Test
    void rejectsBadSeverityAndChannelCount() {
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(grey(0), 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(grey(0), 6, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(FloatImage.blank(2, 4, 4), 1, 1, 0));
    }
}

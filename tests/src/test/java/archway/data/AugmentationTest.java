package archway.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Crop, flip and cutout on a hand-made image whose pixel values encode their position. */
class AugmentationTest {
    /** 2 channels of 3x4: value = 100*c + 10*y + x + 1 (never 0, so padding zeros are recognisable). */
    private static byte[] image() {
        byte[] img = new byte[2 * 3 * 4];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    img[(c * 3 + y) * 4 + x] = (byte) (100 * c + 10 * y + x + 1);
                }
            }
        }
        return img;
    }

    private static byte[] row(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] slice(byte[] img, int c, int y) {
        return java.util.Arrays.copyOfRange(img, (c * 3 + y) * 4, (c * 3 + y) * 4 + 4);
    }

    @Test
    void centredCropIsIdentity() {
        byte[] src = image();
        byte[] dst = new byte[src.length];
        Augmentation.cropFlip(src, 0, dst, 0, 2, 3, 4, 4, 4, 4, false);
        assertArrayEquals(src, dst);
    }

    @Test
    void cropShiftsAndZeroPads() {
        byte[] src = image();
        byte[] dst = new byte[src.length];
        // dy = 1 with padding 2: out row y = src row y - 1; dx = 3: out col x = src col x + 1.
        Augmentation.cropFlip(src, 0, dst, 0, 2, 3, 4, 2, 1, 3, false);
        assertArrayEquals(row(0, 0, 0, 0), slice(dst, 0, 0));
        assertArrayEquals(row(2, 3, 4, 0), slice(dst, 0, 1));
        assertArrayEquals(row(12, 13, 14, 0), slice(dst, 0, 2));
        assertArrayEquals(row(102, 103, 104, 0), slice(dst, 1, 1));
    }

    @Test
    void flipMirrorsColumnsAfterCrop() {
        byte[] src = image();
        byte[] dst = new byte[src.length];
        Augmentation.cropFlip(src, 0, dst, 0, 2, 3, 4, 0, 0, 0, true);
        assertArrayEquals(row(4, 3, 2, 1), slice(dst, 0, 0));
        assertArrayEquals(row(124, 123, 122, 121), slice(dst, 1, 2));
        // Flip of the crop with dx = 3 (padding 2): out col x = src col (3 - x) + 1.
        Augmentation.cropFlip(src, 0, dst, 0, 2, 3, 4, 2, 2, 3, true);
        assertArrayEquals(row(0, 4, 3, 2), slice(dst, 0, 0));
    }

    @Test
    void cutoutFillsAClippedSquare() {
        byte[] img = image();
        Augmentation.cutout(img, 0, 2, 3, 4, 2, 0, 3, new byte[] {50, 60});
        // Square rows [-1, 1) -> [0, 1), cols [2, 4).
        assertArrayEquals(row(1, 2, 50, 50), slice(img, 0, 0));
        assertArrayEquals(row(11, 12, 13, 14), slice(img, 0, 1));
        assertArrayEquals(row(101, 102, 60, 60), slice(img, 1, 0));
    }

    @Test
    void offsetsOutsideThePaddingAreRejected() {
        byte[] src = image();
        assertThrows(IllegalArgumentException.class,
                () -> Augmentation.cropFlip(src, 0, new byte[src.length], 0, 2, 3, 4, 1, 3, 0, false));
    }

    @Test
    void defaultsFlipOnlyColourDatasets() {
        Dataset grey = new Dataset("g", 1, 2, 2, 2, new byte[4], new int[] {0}, null);
        Dataset rgb = new Dataset("c", 3, 2, 2, 2, new byte[12], new int[] {1}, null);
        assertFalse(Augmentation.defaultFor(grey).flip());
        assertTrue(Augmentation.defaultFor(rgb).flip());
        assertEquals(4, Augmentation.defaultFor(rgb).padding());
        assertTrue(Augmentation.NONE.isIdentity());
        assertEquals(16, Augmentation.defaultFor(rgb).withCutout(16).cutout());
    }
}

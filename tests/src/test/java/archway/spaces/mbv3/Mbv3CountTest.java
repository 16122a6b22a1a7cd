package archway.spaces.mbv3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Analytic parameter and MAC counts against counts done by hand, layer by layer. */
class Mbv3CountTest {
    @Test
    void makeDivisibleMatchesOfa() {
        assertEquals(16, Mbv3Space.makeDivisible(16));
        assertEquals(24, Mbv3Space.makeDivisible(18));   // rounds to 16, which lost > 10% of 18
        assertEquals(32, Mbv3Space.makeDivisible(30));
        assertEquals(88, Mbv3Space.makeDivisible(84));
        assertEquals(8, Mbv3Space.makeDivisible(3));
        assertEquals(72, Mbv3Space.middleChannels(24, 3));
        assertEquals(24, Mbv3Space.squeezeChannels(72));
    }

    /**
     * The smallest subnet (d=2, k=3, e=3 everywhere) on 1x28x28 with 10 classes. Spatial sizes: 28 -> stem 14
     * -> stage 1 7 -> stage 2 4 -> stage 3 2 -> stage 4 2 -> stage 5 1. Each line: weights (+ biases) + BN.
     */
    @Test
    void smallestSubnetOnFashionMnistByHand() {
        long params = LongStream.of(
                9 * 16 + 32, 9 * 16 + 32, 16 * 16 + 32,                          // stem, first block dw + pw
                16 * 48 + 96, 9 * 48 + 96, 48 * 24 + 48,                          // stage 1 layer 0 (mid 48)
                24 * 72 + 144, 9 * 72 + 144, 72 * 24 + 48,                       // stage 1 layer 1 (mid 72)
                24 * 72 + 144, 9 * 72 + 144, 72 * 24 + 24, 24 * 72 + 72, 72 * 40 + 80,          // stage 2 l0, SE 24
                40 * 120 + 240, 9 * 120 + 240, 120 * 32 + 32, 32 * 120 + 120, 120 * 40 + 80,   // stage 2 l1, SE 32
                40 * 120 + 240, 9 * 120 + 240, 120 * 80 + 160,                   // stage 3 l0
                80 * 240 + 480, 9 * 240 + 480, 240 * 80 + 160,                   // stage 3 l1
                80 * 240 + 480, 9 * 240 + 480, 240 * 64 + 64, 64 * 240 + 240, 240 * 112 + 224,  // stage 4 l0, SE 64
                112 * 336 + 672, 9 * 336 + 672, 336 * 88 + 88, 88 * 336 + 336, 336 * 112 + 224, // stage 4 l1, SE 88
                112 * 336 + 672, 9 * 336 + 672, 336 * 88 + 88, 88 * 336 + 336, 336 * 160 + 320, // stage 5 l0
                160 * 480 + 960, 9 * 480 + 960, 480 * 120 + 120, 120 * 480 + 480, 480 * 160 + 320, // stage 5 l1, SE 120
                160 * 960 + 1920, 960 * 1280, 1280 * 10 + 10).sum();             // head
        long macs = LongStream.of(
                144 * 196, 144 * 196, 256 * 196,
                768 * 196, 432 * 49, 1152 * 49,
                1728 * 49, 648 * 49, 1728 * 49,
                1728 * 49, 648 * 16, 1728 + 1728, 2880 * 16,
                4800 * 16, 1080 * 16, 3840 + 3840, 4800 * 16,
                4800 * 16, 1080 * 4, 9600 * 4,
                19200 * 4, 2160 * 4, 19200 * 4,
                19200 * 4, 2160 * 4, 15360 + 15360, 26880 * 4,
                37632 * 4, 3024 * 4, 29568 + 29568, 37632 * 4,
                37632 * 4, 3024 * 1, 29568 + 29568, 53760 * 1,
                76800 * 1, 4320 * 1, 57600 + 57600, 76800 * 1,
                153600 * 1, 1228800, 12800).sum();
        assertEquals(new Mbv3Count(params, macs), Mbv3Count.of(Mbv3Arch.smallest(), 1, 28, 10));
    }

    @Test
    void largerKernelInOneSlotAddsItsTapsOnly() {
        Mbv3Arch base = Mbv3Arch.smallest();
        int[] k = base.kernels();
        k[4] = 7;    // stage 2, layer 0: mid 72, output 4x4 at resolution 28
        Mbv3Arch bigger = new Mbv3Arch(base.depths(), k, base.expands(), 0);
        Mbv3Count a = Mbv3Count.of(base, 1, 28, 10);
        Mbv3Count b = Mbv3Count.of(bigger, 1, 28, 10);
        assertEquals((49 - 9) * 72L, b.params() - a.params());
        assertEquals((49 - 9) * 72L * 16, b.macs() - a.macs());
    }

    @Test
    void unusedSlotsDoNotCountAndAThirdLayerAddsExactlyItsOwn() {
        Mbv3Arch base = Mbv3Arch.smallest();
        int[] e = base.expands();
        e[3] = 6;   // stage 1, slot 3: unused at depth 2
        assertEquals(Mbv3Count.of(base, 3, 32, 10), Mbv3Count.of(new Mbv3Arch(base.depths(), base.kernels(), e, 0), 3, 32, 10));
        int[] d = base.depths();
        d[0] = 3;   // stage 1 gets layer 2: 24 -> mid 72 -> 24, 3x3, at 8x8 (32 -> 16 -> 8)
        Mbv3Count three = Mbv3Count.of(new Mbv3Arch(d, base.kernels(), base.expands(), 0), 3, 32, 10);
        Mbv3Count two = Mbv3Count.of(base, 3, 32, 10);
        assertEquals((24 * 72 + 144) + (9 * 72 + 144) + (72 * 24 + 48), three.params() - two.params());
        assertEquals((24 * 72 + 9 * 72 + 72 * 24) * 64L, three.macs() - two.macs());
    }

    @Test
    void largestSubnetHasOfasParameterCount() {
        // OFA's MobileNetV3 supernet (w1.0, 1000 classes) is published as 7.7M parameters
        Mbv3Count c = Mbv3Count.of(Mbv3Arch.largest(), 3, 224, 1000);
        assertEquals(7.7e6, c.params(), 0.05e6);
    }
}

package archway.supernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Init;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Json;
import archway.spaces.mbv3.Mbv3Network;
import archway.spaces.mbv3.Mbv3Space;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Once-for-all weight sharing: slices by hand on a tiny case, the largest subnet is the supernet, a sliced subnet
 * computes what a standalone network given hand-sliced weights computes, and a sandwich step's gradient is the
 * sum of the subnets' gradients (against per-subnet gradients mapped by hand, and finite differences).
 */
class SupernetSlicingTest {
    static final int CHANNELS = 1, RES = 8, CLASSES = 3, BATCH = 4;
    /** Stage 1 (SE) gets a 3x3 kernel and expand 3 in its first slot, 7x7 / 6 in its second; depths vary. */
    static final Mbv3Arch MIXED = Mbv3Json.parse("{\"ks\":[5,3,7,3, 3,7,5,5, 7,7,7,7, 3,5,3,5, 5,3,7,7],"
            + "\"e\":[4,6,3,3, 3,6,4,4, 6,3,4,6, 4,3,6,4, 3,4,3,6],\"d\":[3,2,4,2,3]}");

    @Test
    void sliceMapTakesLeadingChannelsAndTheKernelCentreOnATinyCase() {
        try (ParamStore whole = new ParamStore(Backends.standard(), 0); ParamStore part = new ParamStore(Backends.standard(), 0)) {
            ParamStore.Entry wConv = whole.weight("conv.weight", new int[] {4, 1, 5, 5}, new Init.Constant(0));
            ParamStore.Entry wPw = whole.weight("pw.weight", new int[] {3, 4, 1, 1}, new Init.Constant(0));
            ParamStore.Entry wGamma = whole.weight("bn.gamma", new int[] {4}, new Init.Constant(0));
            ParamStore.Entry wLin = whole.weight("fc.weight", new int[] {5, 4}, new Init.Constant(0));
            ParamStore.Entry pConv = part.weight("conv.weight", new int[] {2, 1, 3, 3}, new Init.Constant(0));
            ParamStore.Entry pPw = part.weight("pw.weight", new int[] {3, 2, 1, 1}, new Init.Constant(0));
            ParamStore.Entry pGamma = part.weight("bn.gamma", new int[] {2}, new Init.Constant(0));
            ParamStore.Entry pLin = part.weight("fc.weight", new int[] {2, 3}, new Init.Constant(0));
            // 100 conv floats padded to 112: pw at 112, gamma at 128, fc at 144.
            assertEquals(112, wPw.offset());
            assertEquals(144, wLin.offset());
            SliceMap m = SliceMap.weights(whole, part);
            // conv [c, 0, y, x] of the 3x3 crop = whole [c, 0, y + 1, x + 1] of the 5x5.
            assertEquals(0 * 25 + 1 * 5 + 1, m.source((int) pConv.offset()));                 // c0 (0,0) -> (1,1)
            assertEquals(1 * 25 + 3 * 5 + 3, m.source((int) pConv.offset() + 9 + 8));         // c1 (2,2) -> (3,3)
            assertEquals(1 * 25 + 2 * 5 + 3, m.source((int) pConv.offset() + 9 + 5));         // c1 (1,2) -> (2,3)
            // pointwise [o, i] of [3, 2] = whole [o, i] of [3, 4]: first input channels.
            assertEquals(112 + 2 * 4 + 1, m.source((int) pPw.offset() + 2 * 2 + 1));
            assertEquals(128 + 1, m.source((int) pGamma.offset() + 1));
            // linear [2, 3] of [5, 4]: first rows, first columns.
            assertEquals(144 + 1 * 4 + 2, m.source((int) pLin.offset() + 1 * 3 + 2));
            assertEquals(-1, m.source(18), "alignment padding maps nowhere");
            float[] w = new float[m.wholeLength()];
            for (int i = 0; i < w.length; i++) {
                w[i] = i;
            }
            float[] p = new float[m.partLength()];
            m.gather(w, p);
            assertArrayEquals(new float[] {6, 7, 8, 11, 12, 13, 16, 17, 18}, java.util.Arrays.copyOf(p, 9));
            float[] back = new float[m.wholeLength()];
            m.scatterAdd(p, back);
            m.scatterAdd(p, back);
            assertEquals(2 * 31f, back[31]);
            assertEquals(0f, back[0], "a 5x5 corner is not in the 3x3 crop");
            assertEquals(0f, back[112 + 2], "input channel 2 of the pointwise conv is not in the part");
        }
        try (ParamStore whole = new ParamStore(Backends.standard(), 0); ParamStore part = new ParamStore(Backends.standard(), 0)) {
            whole.weight("conv.weight", new int[] {4, 1, 5, 5}, new Init.Constant(0));
            part.weight("conv.weight", new int[] {2, 1, 4, 4}, new Init.Constant(0));
            assertThrows(IllegalArgumentException.class, () -> SliceMap.weights(whole, part), "a 4x4 kernel has no centre in 5x5");
        }
    }

    @Test
    void theLargestSubnetIsTheSupernetUnchanged() {
        try (Mbv3Supernet sn = Mbv3Supernet.create(CHANNELS, RES, CLASSES, 5);
             Subnet largest = sn.subnet(Mbv3Arch.largest());
             Network fresh = new Network(Mbv3Network.discrete(Mbv3Arch.largest(), CLASSES), CHANNELS, RES, RES, 5)) {
            SliceMap m = largest.map();
            assertEquals(m.wholeLength(), m.partLength());
            for (int i = 0; i < m.partLength(); i++) {
                int j = m.source(i);
                assertTrue(j == i || j == -1, "position " + i + " maps to " + j);
            }
            float[] whole = sn.hostWeights();
            assertArrayEquals(whole, largest.network().params().weights().toFloatArray());
            // A fresh supernet is initialised exactly as a network of the largest subnet with the same seed.
            assertArrayEquals(fresh.params().weights().toFloatArray(), whole);
            assertEquals(fresh.params().weightCount(), sn.weightCount());
        }
    }

    @Test
    void mbv3SlicesAreKernelCentresAndFirstChannels() {
        try (Mbv3Supernet sn = Mbv3Supernet.create(CHANNELS, RES, CLASSES, 6); Subnet s = sn.subnet(MIXED)) {
            ParamStore big = sn.params(), small = s.network().params();
            float[] w = sn.hostWeights();
            float[] p = small.weights().toFloatArray();
            // stage 1 slot 0: kernel 3, expand 3 on 24 input channels: Cmid 72 of 144, SE 24 of 40 (make_divisible).
            ParamStore.Entry dw = small.entry("s1.l0.dw.weight"), bigDw = big.entry("s1.l0.dw.weight");
            assertArrayEquals(new int[] {72, 1, 3, 3}, dw.shape());
            assertArrayEquals(new int[] {144, 1, 7, 7}, bigDw.shape());
            for (int c : new int[] {0, 40, 71}) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertEquals(w[(int) bigDw.offset() + c * 49 + (y + 2) * 7 + (x + 2)], p[(int) dw.offset() + c * 9 + y * 3 + x]);
                    }
                }
            }
            ParamStore.Entry se = small.entry("s1.l0.se.reduce.weight"), bigSe = big.entry("s1.l0.se.reduce.weight");
            assertArrayEquals(new int[] {Mbv3Space.squeezeChannels(72), 72}, se.shape());
            assertEquals(w[(int) bigSe.offset() + 5 * 144 + 70], p[(int) se.offset() + 5 * 72 + 70]);
            assertTrue(small.entries().stream().noneMatch(e -> e.name().startsWith("s1.l2.")), "d = 2 in stage 1");
            assertTrue(big.entries().stream().anyMatch(e -> e.name().startsWith("s1.l3.")));
        }
    }

    @Test
    void aSlicedSubnetComputesWhatAStandaloneNetworkWithHandSlicedWeightsComputes() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] images = randomImages(rng);
        int[] labels = {0, 1, 2, 1};
        try (Mbv3Supernet sn = Mbv3Supernet.create(CHANNELS, RES, CLASSES, 7)) {
            perturb(sn, rng);
            for (Mbv3Arch a : List.of(MIXED, Mbv3Arch.smallest(), Mbv3Arch.uniform(3, 5, 4))) {
                try (Subnet s = sn.subnet(a);
                     Network ref = new Network(Mbv3Network.discrete(a, CLASSES), CHANNELS, RES, RES, 99)) {
                    handSlice(sn, ref);
                    float[] got = forward(s.network(), images, labels);
                    float[] want = forward(ref, images, labels);
                    assertArrayEquals(want, got, "probabilities of " + a);
                    try (Network unsliced = new Network(Mbv3Network.discrete(a, CLASSES), CHANNELS, RES, RES, 99)) {
                        assertNotEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(forward(unsliced, images, labels)),
                                "the comparison can tell weights apart");
                    }
                }
            }
        }
    }

    @Test
    void aSandwichStepsGradientIsTheSumOfTheSubnetsGradients() {
        SplittableRandom rng = new SplittableRandom(12);
        float[] images = randomImages(rng);
        int[] labels = {2, 0, 1, 1};
        List<Mbv3Arch> archs = SandwichRule.STANDARD.subnets(3, 0, 0);
        assertEquals(4, archs.size());
        try (Mbv3Supernet sn = Mbv3Supernet.create(CHANNELS, RES, CLASSES, 8)) {
            perturb(sn, rng);
            float[] whole = sn.hostWeights();
            List<Subnet> subnets = new ArrayList<>();
            try {
                for (Mbv3Arch a : archs) {
                    subnets.add(sn.subnet(a));
                }
                float[] grads = new float[whole.length];
                try (BufferArena arena = Backends.standard().arena()) {
                    Buffer img = arena.allocate(images.length), lab = arena.allocate(BATCH);
                    img.write(0, images);
                    for (int i = 0; i < BATCH; i++) {
                        lab.setInt(i, labels[i]);
                    }
                    for (Subnet s : subnets) {
                        s.accumulateStep(whole, img, lab, BATCH, grads);
                    }
                }
                // Reference: each subnet's own gradient, mapped into the supernet by the test's own index arithmetic.
                double[] want = new double[whole.length];
                for (Mbv3Arch a : archs) {
                    try (Network ref = new Network(Mbv3Network.discrete(a, CLASSES), CHANNELS, RES, RES, 1)) {
                        handSlice(sn, ref);
                        Pass p = ref.pass(BATCH, Mode.TRAIN, ValueKind.WEIGHT);
                        load(p, images, labels);
                        p.forward();
                        p.backward();
                        handScatter(sn.params(), ref.params(), ref.params().weightGrads().toFloatArray(), want);
                    }
                }
                double maxAbs = 0;
                for (double v : want) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertTrue(maxAbs > 0);
                for (int i = 0; i < whole.length; i++) {
                    assertEquals(want[i], grads[i], 1e-6 * maxAbs, "gradient at " + i);
                }
                // Finite differences of L(W) = sum over subnets of their losses, at weights every subnet shares: a
                // classifier bias and typical (median |g|) weights of the classifier and the head's projection. (The
                // earlier layers of this 8x8 toy normalise a handful of values per channel: too curved for finite
                // differences; the exact comparison above covers their slices.)
                ParamStore big = sn.params();
                int bias = (int) big.entry("classifier.bias").offset();
                ParamStore.Entry fc = big.entry("classifier.weight"), head = big.entry("head.features.weight");
                int fcWeight = medianIn(grads, (int) fc.offset(), (int) fc.size(), 1, 0);
                int headWeight = medianIn(grads, (int) head.offset(), (int) head.size(), 1, 0);
                for (int j : new int[] {bias + 1, fcWeight, headWeight}) {
                    double h = 1e-2; // the losses are floats: a smaller step drowns in their rounding
                    float[] plus = whole.clone(), minus = whole.clone();
                    plus[j] += (float) h;
                    minus[j] -= (float) h;
                    double step = (double) plus[j] - minus[j];
                    double fd = (totalLoss(subnets, plus, images, labels) - totalLoss(subnets, minus, images, labels)) / step;
                    assertEquals(fd, grads[j], 0.01 * Math.abs(fd) + 1e-4, "finite difference at " + j);
                }
            } finally {
                subnets.forEach(Subnet::close);
            }
        }
    }

    /** Of the {@code count} positions base + c * stride + cell, the one whose |g| is the median. */
    private static int medianIn(float[] g, int base, int channels, int perChannel, int cell) {
        Integer[] idx = new Integer[channels];
        for (int c = 0; c < channels; c++) {
            idx[c] = base + c * perChannel + cell;
        }
        java.util.Arrays.sort(idx, java.util.Comparator.comparingDouble(i -> Math.abs(g[i])));
        return idx[channels / 2];
    }

    private static double totalLoss(List<Subnet> subnets, float[] weights, float[] images, int[] labels) {
        double sum = 0;
        for (Subnet s : subnets) {
            s.pullWeights(weights);
            Pass p = s.network().pass(BATCH, Mode.TRAIN, ValueKind.WEIGHT);
            load(p, images, labels);
            p.forward();
            sum += p.loss();
        }
        return sum;
    }

    static float[] randomImages(SplittableRandom rng) {
        float[] x = new float[BATCH * CHANNELS * RES * RES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** Moves BN's gamma and beta off 1 and 0, so that slicing them matters. */
    static void perturb(Mbv3Supernet sn, SplittableRandom rng) {
        float[] w = sn.hostWeights();
        for (ParamStore.Entry e : sn.params().entries()) {
            if (e.name().endsWith(".gamma") || e.name().endsWith(".beta")) {
                for (long i = 0; i < e.size(); i++) {
                    w[(int) (e.offset() + i)] += (float) (0.2 * rng.nextGaussian());
                }
            }
        }
        sn.params().weights().write(0, w);
    }

    private static void load(Pass p, float[] images, int[] labels) {
        p.images().write(0, images);
        for (int i = 0; i < labels.length; i++) {
            p.labels().setInt(i, labels[i]);
        }
    }

    private static float[] forward(Network net, float[] images, int[] labels) {
        Pass p = net.pass(BATCH, Mode.TRAIN);
        load(p, images, labels);
        p.forward();
        return p.probabilities().toFloatArray();
    }

    /** The supernet position of element {@code i} of {@code small}, by explicit per-rank index arithmetic. */
    private static int position(ParamStore.Entry big, ParamStore.Entry small, int i) {
        int[] S = big.shape(), s = small.shape();
        return switch (s.length) {
            case 1 -> (int) big.offset() + i;
            case 2 -> (int) big.offset() + (i / s[1]) * S[1] + i % s[1];
            case 4 -> {
                int x = i % s[3], y = (i / s[3]) % s[2], in = (i / (s[3] * s[2])) % s[1], o = i / (s[3] * s[2] * s[1]);
                int off = (S[2] - s[2]) / 2;
                yield (int) big.offset() + ((o * S[1] + in) * S[2] + y + off) * S[3] + x + off;
            }
            default -> throw new AssertionError("rank " + s.length);
        };
    }

    /** Writes the supernet's slices into {@code ref}'s weights, entry by entry. */
    static void handSlice(Mbv3Supernet sn, Network ref) {
        float[] whole = sn.hostWeights();
        ParamStore p = ref.params();
        float[] w = p.weights().toFloatArray();
        for (ParamStore.Entry e : p.entries()) {
            if (e.kind() != ValueKind.WEIGHT) {
                continue;
            }
            ParamStore.Entry big = sn.params().entry(e.name());
            for (int i = 0; i < e.size(); i++) {
                w[(int) e.offset() + i] = whole[position(big, e, i)];
            }
        }
        p.weights().write(0, w);
    }

    private static void handScatter(ParamStore whole, ParamStore part, float[] grads, double[] into) {
        for (ParamStore.Entry e : part.entries()) {
            if (e.kind() != ValueKind.WEIGHT) {
                continue;
            }
            ParamStore.Entry big = whole.entry(e.name());
            for (int i = 0; i < e.size(); i++) {
                into[position(big, e, i)] += grads[(int) e.offset() + i];
            }
        }
    }
}

package archway.spaces.mbv3;

/**
 * Exact parameter and multiply-accumulate counts of a subnet, computed analytically from the space's
 * definition (docs/MBV3.md): parameters = weights + biases + 2 per BN channel; MACs = k*k*Cin/groups*Cout*Hout*Wout
 * per convolution and in*out per linear layer for one image, SE's 1x1 convolutions at 1x1 spatial size.
 * The network builder's traced graph must give the same numbers.
 */
public record Mbv3Count(long params, long macs) {
    /**
     * Where the backbone stands after one stage: MACs spent so far for one image (stem included), and the shape of
     * the stage's output feature map (channels, height = width). Early exits attach there (NACHOS).
     */
    public record StageEnd(long macs, int channels, int size) {
    }

    /** A running total while walking the network. */
    private static final class Tally {
        long params;
        long macs;

        /** Convolution with BN (no bias). */
        void convBn(int k, int in, int out, int groups, int hOut) {
            conv(k, in, out, groups, hOut, false);
            params += 2L * out;
        }

        void conv(int k, int in, int out, int groups, int hOut, boolean bias) {
            long weights = (long) k * k * (in / groups) * out;
            params += weights + (bias ? out : 0);
            macs += weights * hOut * hOut;
        }
    }

    /**
     * @param inChannels image channels
     * @param resolution input height = width (the arch's own resolution, when it has one, is not used here)
     * @param classes    outputs of the final linear layer
     */
    public static Mbv3Count of(Mbv3Arch arch, int inChannels, int resolution, int classes) {
        return walk(arch, inChannels, resolution, classes, new StageEnd[Mbv3Space.STAGES]);
    }

    /** The backbone after each of the {@link Mbv3Space#STAGES} stages, in order. */
    public static StageEnd[] stageEnds(Mbv3Arch arch, int inChannels, int resolution) {
        StageEnd[] ends = new StageEnd[Mbv3Space.STAGES];
        walk(arch, inChannels, resolution, 1, ends);
        return ends;
    }

    private static Mbv3Count walk(Mbv3Arch arch, int inChannels, int resolution, int classes, StageEnd[] ends) {
        if (inChannels < 1 || resolution < 1 || classes < 1) {
            throw new IllegalArgumentException("need positive channels, resolution and classes: " + inChannels + ", "
                    + resolution + ", " + classes);
        }
        Tally t = new Tally();
        int h = Mbv3Space.convOut(resolution, 2);
        t.convBn(3, inChannels, Mbv3Space.STEM_CHANNELS, 1, h);                      // stem
        t.convBn(3, Mbv3Space.STEM_CHANNELS, Mbv3Space.STEM_CHANNELS, Mbv3Space.STEM_CHANNELS, h);   // first block: dw
        t.convBn(1, Mbv3Space.STEM_CHANNELS, Mbv3Space.STEM_CHANNELS, 1, h);         // first block: pointwise
        int in = Mbv3Space.STEM_CHANNELS;
        for (int s = 0; s < Mbv3Space.STAGES; s++) {
            int out = Mbv3Space.WIDTHS[s];
            for (int l = 0; l < arch.depth(s); l++) {
                int stride = l == 0 ? Mbv3Space.FIRST_STRIDES[s] : 1;
                int k = arch.kernel(s, l);
                int mid = Mbv3Space.middleChannels(in, arch.expand(s, l));
                t.convBn(1, in, mid, 1, h);                                          // expand
                h = Mbv3Space.convOut(h, stride);
                t.convBn(k, mid, mid, mid, h);                                       // depthwise
                if (Mbv3Space.SQUEEZE_EXCITE[s]) {
                    int r = Mbv3Space.squeezeChannels(mid);
                    t.conv(1, mid, r, 1, 1, true);
                    t.conv(1, r, mid, 1, 1, true);
                }
                t.convBn(1, mid, out, 1, h);                                         // project
                in = out;
            }
            ends[s] = new StageEnd(t.macs, out, h);
        }
        t.convBn(1, in, Mbv3Space.HEAD_CHANNELS, 1, h);                              // final expand
        t.conv(1, Mbv3Space.HEAD_CHANNELS, Mbv3Space.FEATURE_CHANNELS, 1, 1, false); // feature mix after pooling
        t.params += (long) Mbv3Space.FEATURE_CHANNELS * classes + classes;            // classifier
        t.macs += (long) Mbv3Space.FEATURE_CHANNELS * classes;
        return new Mbv3Count(t.params, t.macs);
    }
}

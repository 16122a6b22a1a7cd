package archway.runtime;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.SiblingConvKernels;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Locale;

/**
 * Two sibling convolutions (one input, filters of k1 and k - k1 output channels) on the CPU backend, for
 * timing them ({@code nas bench kernel --op conv2d-siblings-*}): variant "auto" is the library's sibling
 * call (one merged call where a Winograd kernel takes the merged shape, what plans run), "separate" the
 * two ordinary convolutions (what plans run with {@code -Darchway.plan.siblings=false}).
 */
public final class SiblingConvBench implements AutoCloseable {
    /** The variant names, "auto" first. */
    public static final List<String> VARIANTS = List.of("auto", "separate");

    private final Arena arena = Arena.ofConfined();
    private final Conv2dDesc pair, first, second;
    private final int k1;

    /** @throws IllegalArgumentException when the shape is not a valid convolution or the split leaves one empty */
    public SiblingConvBench(ConvShape s, int k1) {
        try {
            if (s.groups() != 1) {
                throw new IllegalArgumentException("sibling convolutions are ungrouped (groups 1), got groups " + s.groups());
            }
            if (k1 < 1 || k1 >= s.k()) {
                throw new IllegalArgumentException("split " + k1 + " of " + s.k() + " output channels must leave both "
                        + "convolutions at least one channel");
            }
            pair = desc(s, s.k());
            first = desc(s, k1);
            second = desc(s, s.k() - k1);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        this.k1 = k1;
    }

    private Conv2dDesc desc(ConvShape s, int k) {
        return Conv2dDesc.square(arena, s.n(), s.c(), s.h(), s.w(), k, s.kernel(), s.stride(), s.pad(),
                s.dilation(), s.groups());
    }

    public long inputSize() { return pair.inputSize(); }

    public long firstWeightSize() { return first.weightSize(); }

    public long secondWeightSize() { return second.weightSize(); }

    public long firstOutputSize() { return first.outputSize(); }

    public long secondOutputSize() { return second.outputSize(); }

    /** Multiply-accumulates of one forward pass of both convolutions. */
    public long macs() { return pair.macs(); }

    /**
     * What "auto" runs for this pass in the loaded ISA build: the merged call's algorithm (a conv2d variant
     * name), or "separate" for two calls.
     */
    public String choice(ConvBench.Pass p) {
        Enum<?> merged = SiblingConvKernels.merged(pair, k1, switch (p) {
            case FORWARD -> SiblingConvKernels.Pass.FORWARD;
            case DATA_GRADIENT -> SiblingConvKernels.Pass.DATA_GRADIENT;
            case WEIGHT_GRADIENT -> SiblingConvKernels.Pass.WEIGHT_GRADIENT;
        });
        return merged == null ? "separate" : merged.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs one pass with a variant of {@link #VARIANTS}, overwriting its outputs: forward y1, y2 from x;
     * data gradient x from dy1 = y1, dy2 = y2; weight gradient w1, w2 from x and y1, y2.
     */
    public void run(ConvBench.Pass p, String variant, Buffer x, Buffer w1, Buffer w2, Buffer y1, Buffer y2) {
        var xs = CpuBuffer.segment(x);
        var w1s = CpuBuffer.segment(w1);
        var w2s = CpuBuffer.segment(w2);
        var y1s = CpuBuffer.segment(y1);
        var y2s = CpuBuffer.segment(y2);
        boolean separate = variant.equals("separate");
        switch (p) {
            case FORWARD -> {
                if (separate) {
                    ConvKernels.conv2dFwd(first, xs, w1s, y1s);
                    ConvKernels.conv2dFwd(second, xs, w2s, y2s);
                } else {
                    SiblingConvKernels.forward(pair, k1, false, xs, w1s, w2s, y1s, y2s);
                }
            }
            case DATA_GRADIENT -> {
                if (separate) {
                    ConvKernels.conv2dBwdData(first, y1s, w1s, xs, false);
                    ConvKernels.conv2dBwdData(second, y2s, w2s, xs, true);
                } else {
                    SiblingConvKernels.backwardData(pair, k1, null, y1s, y2s, w1s, w2s, xs, false);
                }
            }
            case WEIGHT_GRADIENT -> {
                if (separate) {
                    ConvKernels.conv2dBwdFilter(first, xs, y1s, w1s, false);
                    ConvKernels.conv2dBwdFilter(second, xs, y2s, w2s, false);
                } else {
                    SiblingConvKernels.backwardFilter(pair, k1, false, xs, y1s, y2s, w1s, w2s, false);
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}

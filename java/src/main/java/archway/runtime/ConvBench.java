package archway.runtime;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvAlgo;
import archway.bindings.cpu.ConvBwdDataAlgo;
import archway.bindings.cpu.ConvBwdFilterAlgo;
import archway.bindings.cpu.ConvGradientAlgorithms;
import archway.bindings.cpu.ConvKernels;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One convolution shape on the CPU backend, for timing its kernels one by one ({@code nas bench kernel}):
 * each pass with a named variant (the implementations of libarchway_cpu: {@code ConvAlgo},
 * {@code ConvBwdDataAlgo}, {@code ConvBwdFilterAlgo}, spelled in lower case; "auto" is what plans use).
 * Which ISA build runs them is chosen per process (ARCHWAY_ISA, {@link Devices}). Buffers come from a CPU
 * backend arena; the shape is validated when the object is made.
 */
public final class ConvBench implements AutoCloseable {
    /** The three passes of a convolution. */
    public enum Pass {
        /** y = conv(x, w). */
        FORWARD,
        /** dx = data gradient of dy. */
        DATA_GRADIENT,
        /** dw = weight gradient of x and dy, summed over the batch. */
        WEIGHT_GRADIENT
    }

    private final Arena arena = Arena.ofConfined();
    private final Conv2dDesc desc;

    /** @throws IllegalArgumentException when the shape is not a valid convolution */
    public ConvBench(ConvShape s) {
        try {
            desc = Conv2dDesc.square(arena, s.n(), s.c(), s.h(), s.w(), s.k(), s.kernel(), s.stride(), s.pad(),
                    s.dilation(), s.groups());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The variant names of one pass, "auto" first. */
    public static List<String> variants(Pass p) {
        List<String> names = new ArrayList<>();
        for (Enum<?> e : switch (p) {
            case FORWARD -> ConvAlgo.values();
            case DATA_GRADIENT -> ConvBwdDataAlgo.values();
            case WEIGHT_GRADIENT -> ConvBwdFilterAlgo.values();
        }) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    public long inputSize() { return desc.inputSize(); }

    public long weightSize() { return desc.weightSize(); }

    public long outputSize() { return desc.outputSize(); }

    /** Multiply-accumulates of one forward pass. */
    public long macs() { return desc.macs(); }

    /** The variant "auto" runs for this shape and pass in the loaded ISA build. */
    public String choice(Pass p) {
        Enum<?> e = switch (p) {
            case FORWARD -> ConvKernels.conv2dFwdChoice(desc);
            case DATA_GRADIENT -> ConvGradientAlgorithms.dataChoice(desc);
            case WEIGHT_GRADIENT -> ConvGradientAlgorithms.filterChoice(desc);
        };
        return e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs one pass with a named variant (one of {@link #variants(Pass)}), overwriting its output: forward
     * y = conv(x, w); data gradient x = dx of dy = y; weight gradient w = dw of x and dy = y. False (output
     * untouched) when the variant does not apply to this shape in this build.
     */
    public boolean run(Pass p, String variant, Buffer x, Buffer w, Buffer y) {
        String name = variant.toUpperCase(Locale.ROOT);
        return switch (p) {
            case FORWARD -> ConvKernels.conv2dFwd(desc, ConvAlgo.valueOf(name), CpuBuffer.segment(x), CpuBuffer.segment(w),
                    CpuBuffer.segment(y));
            case DATA_GRADIENT -> ConvGradientAlgorithms.data(desc, ConvBwdDataAlgo.valueOf(name), CpuBuffer.segment(y),
                    CpuBuffer.segment(w), CpuBuffer.segment(x), false);
            case WEIGHT_GRADIENT -> ConvGradientAlgorithms.filter(desc, ConvBwdFilterAlgo.valueOf(name),
                    CpuBuffer.segment(x), CpuBuffer.segment(y), CpuBuffer.segment(w), false);
        };
    }

    @Override
    public void close() {
        arena.close();
    }
}

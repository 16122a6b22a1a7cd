package archway.runtime;

import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvAlgo;
import archway.bindings.cpu.ConvKernels;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.Arena;

/**
 * One convolution shape on the CPU backend, for timing its kernels one by one ({@code nas bench kernel}):
 * the forward pass with a named {@link ConvVariant}, and the two gradients. Buffers come from a CPU
 * backend arena; the shape is validated when the object is made.
 */
public final class ConvBench implements AutoCloseable {
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

    public long inputSize() { return desc.inputSize(); }

    public long weightSize() { return desc.weightSize(); }

    public long outputSize() { return desc.outputSize(); }

    /** Multiply-accumulates of one forward pass. */
    public long macs() { return desc.macs(); }

    /** The variant {@link ConvVariant#AUTO} runs for this shape in the loaded ISA build. */
    public ConvVariant choice() {
        return ConvVariant.valueOf(ConvKernels.conv2dFwdChoice(desc).name());
    }

    /** y = conv(x, w) with {@code v}; false (y untouched) when v does not apply to this shape in this build. */
    public boolean forward(ConvVariant v, Buffer x, Buffer w, Buffer y) {
        return ConvKernels.conv2dFwd(desc, ConvAlgo.valueOf(v.name()), CpuBuffer.segment(x), CpuBuffer.segment(w),
                CpuBuffer.segment(y));
    }

    /** dx = data gradient of dy (overwrites dx). */
    public void backwardData(Buffer dy, Buffer w, Buffer dx) {
        ConvKernels.conv2dBwdData(desc, CpuBuffer.segment(dy), CpuBuffer.segment(w), CpuBuffer.segment(dx), false);
    }

    /** dw = weight gradient summed over the batch (overwrites dw). */
    public void backwardFilter(Buffer x, Buffer dy, Buffer dw) {
        ConvKernels.conv2dBwdFilter(desc, CpuBuffer.segment(x), CpuBuffer.segment(dy), CpuBuffer.segment(dw), false);
    }

    @Override
    public void close() {
        arena.close();
    }
}

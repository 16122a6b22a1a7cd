package archway.runtime.cpu;

import static archway.runtime.cpu.CpuBuffer.segment;

import archway.bindings.cpu.ConvertKernels;
import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.OptimizerKernels;
import archway.bindings.cpu.RandomKernels;
import archway.bindings.cpu.SimplexKernels;
import archway.runtime.Buffer;
import archway.runtime.FlatOps;
import java.lang.foreign.MemorySegment;

/** {@link FlatOps} as single calls into the CPU kernels. */
final class CpuFlatOps implements FlatOps {
    @Override
    public void fill(Buffer y, long n, float v) { ElementwiseKernels.fill(segment(y), n, v); }

    @Override
    public void copy(Buffer x, Buffer y, long n) { ElementwiseKernels.copy(segment(x), segment(y), n); }

    @Override
    public void copyBytes(Buffer x, Buffer y, long bytes) {
        MemorySegment.copy(segment(x), 0, segment(y), 0, bytes);
    }

    @Override
    public void axpy(float alpha, Buffer x, Buffer y, long n) { ElementwiseKernels.axpy(alpha, segment(x), segment(y), n); }

    @Override
    public void axpby(float alpha, Buffer x, float beta, Buffer y, long n) {
        ElementwiseKernels.axpby(alpha, segment(x), beta, segment(y), n);
    }

    @Override
    public void weightNoise(Buffer w, Buffer eps, Buffer y, long n, float sigma) {
        ElementwiseKernels.weightNoise(segment(w), segment(eps), segment(y), n, sigma);
    }

    @Override
    public void asamDirection(Buffer w, Buffer g, Buffer y, long n, float eta) {
        ElementwiseKernels.asamDirection(segment(w), segment(g), segment(y), n, eta);
    }

    @Override
    public void scale(Buffer y, long n, float alpha) { ElementwiseKernels.scale(segment(y), n, alpha); }

    @Override
    public double sumsq(Buffer x, long n) { return ElementwiseKernels.sumsq(segment(x), n); }

    @Override
    public double dot(Buffer a, Buffer b, long n) { return ElementwiseKernels.dot(segment(a), segment(b), n); }

    @Override
    public void uniform(Buffer out, long n, long seed, int purpose, int step) {
        RandomKernels.uniform(segment(out), n, seed, purpose, step);
    }

    @Override
    public void normal(Buffer out, long n, long seed, int purpose, int step) {
        RandomKernels.normal(segment(out), n, seed, purpose, step);
    }

    @Override
    public void sgdStep(Buffer w, Buffer g, Buffer momentum, long n, float lr, float momentumFactor, float weightDecay,
                        boolean nesterov) {
        OptimizerKernels.sgdStep(segment(w), segment(g), segment(momentum), n, lr, momentumFactor, weightDecay, nesterov);
    }

    @Override
    public void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, int t, boolean decoupled) {
        OptimizerKernels.adamStep(segment(w), segment(g), segment(m), segment(v), n, lr, beta1, beta2, eps, weightDecay,
                t, decoupled);
    }

    @Override
    public void softmaxRows(Buffer x, Buffer y, int rows, int cols, float temperature) {
        SimplexKernels.softmaxRowsFwd(segment(x), segment(y), rows, cols, temperature);
    }

    @Override
    public void softmaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                                    boolean accumulate) {
        SimplexKernels.softmaxRowsBwd(segment(y), segment(dy), segment(dx), rows, cols, temperature, accumulate);
    }

    @Override
    public void sparsemaxRows(Buffer x, Buffer y, int rows, int cols, float temperature) {
        SimplexKernels.sparsemaxRowsFwd(segment(x), segment(y), rows, cols, temperature);
    }

    @Override
    public void sparsemaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                                      boolean accumulate) {
        SimplexKernels.sparsemaxRowsBwd(segment(y), segment(dy), segment(dx), rows, cols, temperature, accumulate);
    }

    @Override
    public void u8ToF32Normalize(Buffer x, Buffer y, long n, int c, long hw, Buffer mean, Buffer std) {
        ConvertKernels.u8ToF32Normalize(segment(x), segment(y), n, c, hw, segment(mean), segment(std));
    }
}

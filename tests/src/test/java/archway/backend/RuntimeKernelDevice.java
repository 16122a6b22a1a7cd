package archway.backend;

import archway.bindings.cpu.RandomKernels;
import archway.bindings.cpu.SizeVariableKernels;
import archway.bindings.cpu.TwoPassReductions;
import archway.bindings.cpu.ZoKernels;
import archway.runtime.Activation;
import archway.runtime.Backend;
import archway.runtime.Binder;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import archway.runtime.KernelCall;
import archway.runtime.Operand;
import archway.runtime.PoolKind;
import archway.runtime.PoolShape;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A runtime {@link Backend} as the harness's {@link KernelDevice}: graph-op kernels are built as
 * {@link KernelCall} records and run through the backend's binder (exactly as a plan runs them),
 * flat-buffer operations through its {@link FlatOps}. The kernels that have no runtime entry yet (the
 * two-pass reductions and clipping, ZO pieces, weight noise, centre crop, channel bias: the CUDA-backend
 * and FlatNAS work will add them) go to the CPU bindings on the buffers' host memory, so this class
 * serves the CPU backend only until they do.
 */
final class RuntimeKernelDevice implements KernelDevice {
    private final Backend backend;
    private final BufferArena arena;
    private final Binder binder;
    private final FlatOps flat;

    RuntimeKernelDevice(Backend backend) {
        this.backend = backend;
        this.arena = backend.arena();
        this.binder = backend.binder();
        this.flat = backend.flat();
    }

    /** An operand naming the first {@code size} elements of a buffer (the binder resolves it back). */
    private record Slot(Buffer buffer, long size) implements Operand {
        @Override
        public String name() {
            return "harness buffer";
        }
    }

    private static Operand op(Buffer b, long n) {
        return b == null ? null : new Slot(b, n);
    }

    private static Operand op(Buffer b) {
        return op(b, b == null ? 0 : b.length());
    }

    private void run(KernelCall call) {
        binder.bind(call, o -> ((Slot) o).buffer().slice(0, o.size())).run();
    }

    private static MemorySegment host(Buffer b) {
        return CpuBuffer.segment(b);
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public Buffer put(float[] v) {
        Buffer b = arena.allocate(Math.max(1, v.length));
        b.write(0, v);
        return b;
    }

    @Override
    public Buffer putInts(int[] v) {
        Buffer b = arena.allocate(Math.max(1, v.length));
        for (int i = 0; i < v.length; i++) {
            b.setInt(i, v[i]);
        }
        return b;
    }

    @Override
    public Buffer zeros(long n) {
        return arena.allocate(Math.max(1, n));
    }

    @Override
    public float[] get(Buffer buffer, int n) {
        float[] out = new float[n];
        buffer.read(0, out);
        return out;
    }

    @Override
    public void close() {
        binder.close();
        arena.close();
    }

    @Override
    public void actFwd(Activation a, Buffer x, Buffer y, long n) {
        run(new KernelCall.ActivationFwd(a, op(x, n), op(y, n)));
    }

    @Override
    public void actBwd(Activation a, Buffer x, Buffer dy, Buffer dx, long n, boolean accumulate) {
        run(new KernelCall.ActivationBwd(a, op(x, n), op(dy, n), op(dx, n), accumulate));
    }

    @Override
    public void axpy(float alpha, Buffer x, Buffer y, long n) {
        flat.axpy(alpha, x, y, n);
    }

    @Override
    public void copy(Buffer x, Buffer y, long n) {
        flat.copy(x, y, n);
    }

    @Override
    public void weightNoise(Buffer w, Buffer out, long n, float sigma, long seed, int purpose, int step) {
        RandomKernels.weightNoise(host(w), host(out), n, sigma, seed, purpose, step);
    }

    @Override
    public void zoPerturb(Buffer theta, Buffer z, float mu, Buffer plus, Buffer minus, long n) {
        ZoKernels.perturb(host(theta), host(z), mu, host(plus), host(minus), n);
    }

    @Override
    public void zoDirection(Buffer z, long d, long seed, int purpose, int step) {
        ZoKernels.direction(host(z), d, seed, purpose, step);
    }

    @Override
    public double sumsq(Buffer x, long n) {
        return flat.sumsq(x, n);
    }

    @Override
    public double dot(Buffer a, Buffer b, long n) {
        return flat.dot(a, b, n);
    }

    @Override
    public double zoWeightTerm(Buffer wTwin, Buffer w, Buffer g, long n) {
        return ZoKernels.weightTerm(host(wTwin), host(w), host(g), n);
    }

    @Override
    public double clipGradNorm(Buffer g, long n, float maxNorm) {
        return TwoPassReductions.clipGradNorm(host(g), n, maxNorm);
    }

    private static Operand[] ops(Buffer[] bs, long n) {
        Operand[] out = new Operand[bs.length];
        for (int i = 0; i < bs.length; i++) {
            out[i] = op(bs[i], n);
        }
        return out;
    }

    @Override
    public void mixedFwd(Buffer[] xs, Buffer w, long n, Buffer y) {
        run(new KernelCall.MixedFwd(ops(xs, n), op(w, xs.length), xs.length, n, op(y, n)));
    }

    @Override
    public void mixedBwd(Buffer[] xs, Buffer w, long n, Buffer dy, Buffer[] dxs, Buffer dw, boolean accumulateDx,
                         boolean accumulateDw) {
        run(new KernelCall.MixedBwd(ops(xs, n), op(w, xs.length), xs.length, n, op(dy, n), ops(dxs, n),
                op(dw, xs.length), accumulateDx, accumulateDw));
    }

    @Override
    public void softmaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature) {
        flat.softmaxRows(x, y, rows, cols, temperature);
    }

    @Override
    public void softmaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature) {
        flat.softmaxRowsBackward(y, dy, dx, rows, cols, temperature, false);
    }

    @Override
    public void sparsemaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature) {
        flat.sparsemaxRows(x, y, rows, cols, temperature);
    }

    @Override
    public void sparsemaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature) {
        flat.sparsemaxRowsBackward(y, dy, dx, rows, cols, temperature, false);
    }

    @Override
    public void sgdStep(Buffer w, Buffer g, Buffer buf, long n, float lr, float momentum, float wd, boolean nesterov) {
        flat.sgdStep(w, g, buf, n, lr, momentum, wd, nesterov);
    }

    @Override
    public void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr, float beta1, float beta2, float eps,
                         float wd, int t, boolean decoupled) {
        flat.adamStep(w, g, m, v, n, lr, beta1, beta2, eps, wd, t, decoupled);
    }

    @Override
    public void channelCopy(Buffer src, Buffer dst, int n, int srcC, int srcC0, int dstC, int dstC0, int count, int hw,
                            boolean accumulate) {
        run(new KernelCall.ChannelCopy(op(src), op(dst), n, srcC, srcC0, dstC, dstC0, count, hw, accumulate));
    }

    @Override
    public void channelShuffle(Buffer x, Buffer y, int n, int c, int hw, int groups, boolean inverse) {
        long size = (long) n * c * hw;
        run(new KernelCall.ChannelShuffle(op(x, size), op(y, size), n, c, hw, groups, inverse, false));
    }

    @Override
    public void spatialShift(Buffer x, Buffer y, int n, int c, int h, int w, int oh, int ow, int offH, int offW,
                             boolean bwd) {
        run(new KernelCall.SpatialShift(op(x), op(y), n, c, h, w, oh, ow, offH, offW, bwd, false));
    }

    @Override
    public double[] softmaxXentFwd(Buffer logits, Buffer labels, Buffer probs, int n, int k) {
        Buffer loss = arena.allocate(1), correct = arena.allocate(1);
        run(new KernelCall.SoftmaxXentFwd(op(logits, (long) n * k), op(labels, n), op(probs, (long) n * k), n, k,
                op(loss, 1), op(correct, 1)));
        return new double[] {loss.get(0), correct.getInt(0)};
    }

    @Override
    public void softmaxXentBwd(Buffer probs, Buffer labels, Buffer dlogits, int n, int k, float scale) {
        run(new KernelCall.SoftmaxXentBwd(op(probs, (long) n * k), op(labels, n), op(dlogits, (long) n * k), n, k,
                scale, false));
    }

    @Override
    public void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer x, Buffer y) {
        PoolShape s = new PoolShape(n, c, h, w, kernel, stride, pad, false);
        run(new KernelCall.Pool2dFwd(PoolKind.AVG, s, op(x), op(y)));
    }

    @Override
    public void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer dy, Buffer dx) {
        PoolShape s = new PoolShape(n, c, h, w, kernel, stride, pad, false);
        run(new KernelCall.Pool2dBwd(PoolKind.AVG, s, null, op(dy), op(dx), false));
    }

    @Override
    public void centerCrop(Buffer src, Buffer dst, int planes, int big, int k, boolean bwd) {
        if (bwd) {
            SizeVariableKernels.cropBwd(host(src), host(dst), planes, big, k, false);
        } else {
            SizeVariableKernels.cropFwd(host(src), host(dst), planes, big, k, false);
        }
    }

    @Override
    public void channelBiasFwd(Buffer x, Buffer b, Buffer y, int n, int c, int hw) {
        SizeVariableKernels.biasFwd(host(x), host(b), host(y), n, c, hw);
    }

    @Override
    public void channelBiasBwd(Buffer dy, Buffer db, int n, int c, int hw) {
        SizeVariableKernels.biasBwd(host(dy), host(db), n, c, hw, false);
    }

    @Override
    public void philoxUniform(Buffer out, long n, long seed, int purpose, int step) {
        flat.uniform(out, n, seed, purpose, step);
    }

    @Override
    public void philoxNormal(Buffer out, long n, long seed, int purpose, int step) {
        flat.normal(out, n, seed, purpose, step);
    }
}

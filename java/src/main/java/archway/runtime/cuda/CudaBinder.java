package archway.runtime.cuda;

import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cuda.CudaKernels;
import archway.runtime.Activation;
import archway.runtime.Binder;
import archway.runtime.BoundStep;
import archway.runtime.Buffer;
import archway.runtime.KernelCall;
import archway.runtime.Operand;
import archway.runtime.OperandSlice;
import archway.runtime.PoolKind;
import archway.runtime.PoolShape;
import archway.runtime.Resolver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Binds kernel calls to the device for one plan: convolutions, batch norm and max pooling to cuDNN
 * (descriptors made here, algorithms from the backend's {@link AlgorithmCache}), linear layers, global
 * average pooling, channel scaling and the run-time-weighted add to cuBLAS, everything else to
 * Archway's CUDA kernels. Scratch (the cuDNN workspace, reduction partials, ones vectors, the max-pool
 * forward that cuDNN's backward needs) comes from the plan's device arena; host-side pointer arrays
 * and average-pool descriptors from an FFM arena; all live as long as the plan.
 */
final class CudaBinder implements Binder {
    private final CudaContext ctx;
    private final CudaBufferArena arena;
    private final Arena host = Arena.ofShared();
    private final CudnnDescriptors descriptors = new CudnnDescriptors();
    private final ConvWorkspace workspace;
    private final ConvWorkspace reluInput;
    /** How convolution algorithms are chosen (-Darchway.cuda.conv.algo, read once per binder). */
    private final ConvAlgorithmSearch search = ConvAlgorithmSearch.configured();

    CudaBinder(CudaContext ctx) {
        this.ctx = ctx;
        this.arena = new CudaBufferArena(ctx);
        this.workspace = new ConvWorkspace(arena, "cuDNN workspace");
        this.reluInput = new ConvWorkspace(arena, "fused-ReLU scratch");
    }

    @Override
    public BoundStep bind(KernelCall call, Resolver r) {
        MemorySegment s = ctx.streamSegment();
        return switch (call) {
            case KernelCall.ActivationFwd c -> {
                long x = a(r, c.x()), y = a(r, c.y()), n = c.x().size();
                int kind = act(c.act());
                yield step(c, () -> CudaKernels.actFwd(kind, m(x), m(y), n, s));
            }
            case KernelCall.ActivationBwd c -> {
                long x = a(r, c.x()), dy = a(r, c.dy()), dx = a(r, c.dx()), n = c.x().size();
                int kind = act(c.act()), acc = flag(c.accumulate());
                yield step(c, () -> CudaKernels.actBwd(kind, m(x), m(dy), m(dx), n, acc, s));
            }
            case KernelCall.BatchNormFwdTrain c -> batchNormTrain(c, r);
            case KernelCall.BatchNormFwdSaved c -> batchNormTrain(new KernelCall.BatchNormFwdTrain(c.shape(), c.x(),
                    c.gamma(), c.beta(), c.y(), null, null, null, null), r);
            case KernelCall.BatchNormFwdEval c -> batchNormEval(c, r);
            case KernelCall.BatchNormAdd c -> throw new IllegalStateException("bn_add reached the CUDA binder: the CUDA "
                    + "backend does not fuse batch norm into sums (fusesBatchNormIntoSums() is false)");
            case KernelCall.BatchNormBwd c -> batchNormBackward(c, r);
            case KernelCall.ChannelCopy c -> {
                long src = a(r, c.src()), dst = a(r, c.dst());
                yield step(c, () -> CudaKernels.channelCopy(m(src), m(dst), c.n(), c.srcC(), c.srcFrom(), c.dstC(),
                        c.dstFrom(), c.count(), c.hw(), flag(c.accumulate()), s));
            }
            case KernelCall.ChannelShuffle c -> {
                long x = a(r, c.x()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.channelShuffle(m(x), m(y), c.n(), c.c(), c.hw(), c.groups(),
                        flag(c.inverse()), flag(c.accumulate()), s));
            }
            case KernelCall.SpatialShift c -> {
                long x = a(r, c.x()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.spatialShift(m(x), m(y), c.n(), c.c(), c.h(), c.w(), c.oh(), c.ow(),
                        c.offH(), c.offW(), flag(c.backward()), flag(c.accumulate()), s));
            }
            case KernelCall.Conv2dFwd c -> convForward(c, r);
            case KernelCall.Conv2dBwdData c -> convBackwardData(c, r);
            case KernelCall.Conv2dBwdFilter c -> convBackwardFilter(c, r);
            case KernelCall.ReluConv2dFwd c -> reluConvForward(c, r);
            case KernelCall.ReluConv2dBwdData c -> reluConvBackwardData(c, r);
            case KernelCall.ReluConv2dBwdFilter c -> reluConvBackwardFilter(c, r);
            case KernelCall.SiblingConv2dFwd c -> throw siblingsNotFused(c);
            case KernelCall.SiblingConv2dBwdData c -> throw siblingsNotFused(c);
            case KernelCall.SiblingConv2dBwdFilter c -> throw siblingsNotFused(c);
            case KernelCall.GlobalAvgPoolFwd c -> {
                long x = a(r, c.x()), y = a(r, c.y()), ones = ones(c.hw());
                FloatPointer inv = new FloatPointer(1f / c.hw());
                // y[nc] = x^T[nc, hw] ones[hw] / hw (x is column-major [hw, nc]).
                yield step(c, () -> CudaContext.checkCublas(cublas.cublasSgemv_v2(ctx.cublasHandle, cublas.CUBLAS_OP_T,
                        c.hw(), c.n() * c.c(), inv, f(x), c.hw(), f(ones), 1, ctx.zero, f(y), 1), "cublasSgemv"));
            }
            case KernelCall.GlobalAvgPoolBwd c -> {
                long dy = a(r, c.dy()), dx = a(r, c.dx()), ones = ones(c.hw());
                long bytes = (long) c.n() * c.c() * c.hw() * Float.BYTES;
                FloatPointer inv = new FloatPointer(1f / c.hw());
                boolean acc = c.accumulate();
                // dx[hw, nc] (+)= ones[hw] dy[nc]^T / hw.
                yield step(c, () -> {
                    if (!acc) {
                        memsetZero(dx, bytes);
                    }
                    CudaContext.checkCublas(cublas.cublasSger_v2(ctx.cublasHandle, c.hw(), c.n() * c.c(), inv, f(ones), 1,
                            f(dy), 1, f(dx), c.hw()), "cublasSger");
                });
            }
            case KernelCall.Pool2dFwd c -> c.pool() == PoolKind.AVG ? avgPoolForward(c, r) : maxPoolForward(c, r);
            case KernelCall.Pool2dBwd c -> c.pool() == PoolKind.AVG ? avgPoolBackward(c, r) : maxPoolBackward(c, r);
            case KernelCall.LinearFwd c -> linearForward(c, r);
            case KernelCall.LinearBwd c -> linearBackward(c, r);
            case KernelCall.SoftmaxXentFwd c -> {
                long logits = a(r, c.logits()), labels = a(r, c.labels()), probs = a(r, c.probs());
                long loss = a(r, c.loss()), correct = a(r, c.correct());
                long scratchLen = 2L * c.n();
                long scratch = CudaBuffer.address(arena.allocate(2 * scratchLen));
                yield step(c, () -> CudaKernels.softmaxXentFwd(m(logits), m(labels), m(probs), c.n(), c.k(), m(loss),
                        m(correct), m(scratch), scratchLen, s));
            }
            case KernelCall.SoftmaxXentBwd c -> {
                long probs = a(r, c.probs()), labels = a(r, c.labels()), dl = a(r, c.dlogits());
                yield step(c, () -> CudaKernels.softmaxXentBwd(m(probs), m(labels), m(dl), c.n(), c.k(), c.scale(),
                        flag(c.accumulate()), s));
            }
            case KernelCall.MixedFwd c -> {
                MemorySegment xs = pointers(r, c.xs());
                long w = a(r, c.w()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.mixedFwd(xs, m(w), c.k(), c.n(), m(y), 0, s));
            }
            case KernelCall.MixedBwd c -> {
                MemorySegment xs = pointers(r, c.xs()), dxs = pointers(r, c.dxs());
                long w = a(r, c.w()), dy = a(r, c.dy()), dw = a(r, c.dw());
                long scratchLen = CudaFlatOps.reductionScratch(c.k());
                long scratch = CudaBuffer.address(arena.allocate(2 * scratchLen));
                yield step(c, () -> CudaKernels.mixedBwd(xs, m(w), c.k(), c.n(), m(dy), dxs, m(dw),
                        flag(c.accumulateDx()), flag(c.accumulateDw()), m(scratch), scratchLen, s));
            }
            case KernelCall.WeightedAdd c -> weightedAdd(c, r);
            case KernelCall.Fill c -> {
                long y = a(r, c.y());
                yield step(c, () -> CudaKernels.fill(m(y), c.n(), c.value(), s));
            }
            case KernelCall.Copy c -> {
                long x = a(r, c.x()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.copy(m(x), m(y), c.n(), s));
            }
            case KernelCall.Add c -> {
                long x = a(r, c.a()), b = a(r, c.b()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.add(m(x), m(b), m(y), c.n(), s));
            }
            case KernelCall.Add3 c -> {
                // No fused kernel on the GPU, where this pass is cheap: add, then add the third.
                long x = a(r, c.a()), b = a(r, c.b()), third = a(r, c.c()), y = a(r, c.y());
                yield step(c, () -> {
                    CudaKernels.add(m(x), m(b), m(y), c.n(), s);
                    CudaKernels.axpy(1f, m(third), m(y), c.n(), s);
                });
            }
            case KernelCall.Axpy c -> {
                long x = a(r, c.x()), y = a(r, c.y());
                yield step(c, () -> CudaKernels.axpy(c.alpha(), m(x), m(y), c.n(), s));
            }
            case KernelCall.ChannelScaleFwd c -> {
                long x = a(r, c.x()), sc = a(r, c.s()), y = a(r, c.y());
                // y[hw, nc] = x[hw, nc] diag(s[nc]).
                yield step(c, () -> CudaContext.checkCublas(cublas.cublasSdgmm(ctx.cublasHandle, cublas.CUBLAS_SIDE_RIGHT,
                        c.hw(), c.n() * c.c(), f(x), c.hw(), f(sc), 1, f(y), c.hw()), "cublasSdgmm"));
            }
            case KernelCall.ChannelScaleBwd c -> channelScaleBackward(c, r);
        };
    }

    // ---------------------------------------------------------------- cuDNN convolutions

    /** The native descriptors of one convolution and the algorithm chosen for one of its passes. */
    private record ConvBinding(cudnnTensorStruct x, cudnnTensorStruct y, cudnnFilterStruct w, cudnnConvolutionStruct conv,
                               ConvAlgorithm algo, String call) {
    }

    private ConvBinding conv(archway.runtime.ConvShape shape, ConvPass pass) {
        ConvDescriptor d = ConvDescriptor.of(shape);
        cudnnTensorStruct xd = descriptors.tensor(d.x()), yd = descriptors.tensor(d.y());
        cudnnFilterStruct wd = descriptors.filter(d);
        cudnnConvolutionStruct cd = descriptors.convolution(d);
        ConvAlgorithm algo = ctx.algorithms.get(new AlgorithmKey(d, pass, search), k -> switch (search) {
            case TIMED -> CudnnTimedSearch.choose(ctx, d, pass, xd, wd, cd, yd);
            case HEURISTIC -> switch (pass) {
                case FORWARD -> CudnnAlgorithms.forward(ctx, xd, wd, cd, yd);
                case BACKWARD_DATA -> CudnnAlgorithms.backwardData(ctx, wd, yd, cd, xd);
                case BACKWARD_FILTER -> CudnnAlgorithms.backwardFilter(ctx, xd, yd, cd, wd);
            };
        });
        workspace.need(algo.workspaceBytes());
        // What an error names: the cuDNN call, the shape and the algorithm (built once, at bind time).
        String call = switch (pass) {
            case FORWARD -> "cudnnConvolutionForward";
            case BACKWARD_DATA -> "cudnnConvolutionBackwardData";
            case BACKWARD_FILTER -> "cudnnConvolutionBackwardFilter";
        } + " (" + shape + ", algorithm " + algo.algo() + ", workspace " + algo.workspaceBytes() + " B)";
        return new ConvBinding(xd, yd, wd, cd, algo, call);
    }

    private static IllegalStateException siblingsNotFused(KernelCall c) {
        return new IllegalStateException(c.kernel() + " reached the CUDA binder: the CUDA backend runs sibling "
                + "convolutions as two calls (fusesSiblingConvolutions() is false)");
    }

    private BoundStep convForward(KernelCall.Conv2dFwd c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.FORWARD);
        long x = a(r, c.x()), w = a(r, c.w()), y = a(r, c.y());
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnConvolutionForward(ctx.cudnnHandle, ctx.one, b.x(), p(x),
                b.w(), p(w), b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), ctx.zero,
                b.y(), p(y)), b.call()));
    }

    private BoundStep convBackwardData(KernelCall.Conv2dBwdData c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.BACKWARD_DATA);
        long dy = a(r, c.dy()), w = a(r, c.w()), dx = a(r, c.dx());
        FloatPointer beta = c.accumulate() ? ctx.one : ctx.zero;
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnConvolutionBackwardData(ctx.cudnnHandle, ctx.one, b.w(),
                p(w), b.y(), p(dy), b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), beta,
                b.x(), p(dx)), b.call()));
    }

    private BoundStep convBackwardFilter(KernelCall.Conv2dBwdFilter c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.BACKWARD_FILTER);
        long x = a(r, c.x()), dy = a(r, c.dy()), dw = a(r, c.dw());
        FloatPointer beta = c.accumulate() ? ctx.one : ctx.zero;
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnConvolutionBackwardFilter(ctx.cudnnHandle, ctx.one, b.x(),
                p(x), b.y(), p(dy), b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), beta,
                b.w(), p(dw)), b.call()));
    }

    // ---------------------------------------------------------------- fused input ReLU
    // cuDNN has no ReLU on a convolution's input: relu(x) (or the gradient reaching it) goes through one
    // scratch shared by the plan's fused convolutions, with the activation kernels around the cuDNN call.

    private long reluScratch(archway.runtime.ConvShape s) {
        long elements = (long) s.n() * s.c() * s.h() * s.w();
        reluInput.need(elements * Float.BYTES);
        return elements;
    }

    private BoundStep reluConvForward(KernelCall.ReluConv2dFwd c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.FORWARD);
        long x = a(r, c.x()), w = a(r, c.w()), y = a(r, c.y()), n = reluScratch(c.shape());
        int relu = act(Activation.RELU);
        MemorySegment s = ctx.streamSegment();
        return step(c, () -> {
            long t = reluInput.address();
            CudaKernels.actFwd(relu, m(x), m(t), n, s);
            CudaContext.checkCudnn(cudnn.cudnnConvolutionForward(ctx.cudnnHandle, ctx.one, b.x(), p(t), b.w(), p(w),
                    b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), ctx.zero, b.y(), p(y)),
                    b.call());
        });
    }

    private BoundStep reluConvBackwardData(KernelCall.ReluConv2dBwdData c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.BACKWARD_DATA);
        long x = a(r, c.x()), dy = a(r, c.dy()), w = a(r, c.w()), dx = a(r, c.dx()), n = reluScratch(c.shape());
        int relu = act(Activation.RELU), acc = flag(c.accumulate());
        MemorySegment s = ctx.streamSegment();
        return step(c, () -> {
            long t = reluInput.address();
            CudaContext.checkCudnn(cudnn.cudnnConvolutionBackwardData(ctx.cudnnHandle, ctx.one, b.w(), p(w), b.y(),
                    p(dy), b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), ctx.zero, b.x(),
                    p(t)), b.call());
            CudaKernels.actBwd(relu, m(x), m(t), m(dx), n, acc, s);
        });
    }

    private BoundStep reluConvBackwardFilter(KernelCall.ReluConv2dBwdFilter c, Resolver r) {
        ConvBinding b = conv(c.shape(), ConvPass.BACKWARD_FILTER);
        long x = a(r, c.x()), dy = a(r, c.dy()), dw = a(r, c.dw()), n = reluScratch(c.shape());
        FloatPointer beta = c.accumulate() ? ctx.one : ctx.zero;
        int relu = act(Activation.RELU);
        MemorySegment s = ctx.streamSegment();
        return step(c, () -> {
            long t = reluInput.address();
            CudaKernels.actFwd(relu, m(x), m(t), n, s);
            CudaContext.checkCudnn(cudnn.cudnnConvolutionBackwardFilter(ctx.cudnnHandle, ctx.one, b.x(), p(t), b.y(),
                    p(dy), b.conv(), b.algo().algo(), p(workspace.address()), b.algo().workspaceBytes(), beta, b.w(),
                    p(dw)), b.call());
        });
    }

    // ---------------------------------------------------------------- cuDNN batch norm

    private BoundStep batchNormTrain(KernelCall.BatchNormFwdTrain c, Resolver r) {
        BatchNormDescriptor d = BatchNormDescriptor.of(c.shape());
        cudnnTensorStruct xd = descriptors.tensor(d.x()), pd = descriptors.tensor(d.params());
        int ch = c.shape().c();
        long x = a(r, c.x()), y = a(r, c.y());
        long gamma = c.gamma() == null ? constant(ch, 1f) : a(r, c.gamma());
        long beta = c.beta() == null ? constant(ch, 0f) : a(r, c.beta());
        long rm = a(r, c.runningMean()), rv = a(r, c.runningVar()), sm = a(r, c.saveMean()), si = a(r, c.saveInvstd());
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnBatchNormalizationForwardTraining(ctx.cudnnHandle,
                cudnn.CUDNN_BATCHNORM_SPATIAL, ctx.one, ctx.zero, xd, p(x), xd, p(y), pd, p(gamma), p(beta), d.momentum(),
                p(rm), p(rv), d.eps(), p(sm), p(si)), "cudnnBatchNormalizationForwardTraining"));
    }

    private BoundStep batchNormEval(KernelCall.BatchNormFwdEval c, Resolver r) {
        BatchNormDescriptor d = BatchNormDescriptor.of(c.shape());
        cudnnTensorStruct xd = descriptors.tensor(d.x()), pd = descriptors.tensor(d.params());
        int ch = c.shape().c();
        long x = a(r, c.x()), y = a(r, c.y()), rm = a(r, c.runningMean()), rv = a(r, c.runningVar());
        long gamma = c.gamma() == null ? constant(ch, 1f) : a(r, c.gamma());
        long beta = c.beta() == null ? constant(ch, 0f) : a(r, c.beta());
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnBatchNormalizationForwardInference(ctx.cudnnHandle,
                cudnn.CUDNN_BATCHNORM_SPATIAL, ctx.one, ctx.zero, xd, p(x), xd, p(y), pd, p(gamma), p(beta), p(rm), p(rv),
                d.eps()), "cudnnBatchNormalizationForwardInference"));
    }

    /** cuDNN computes dx, dgamma and dbeta together: absent ones go to scratch with beta 0. */
    private BoundStep batchNormBackward(KernelCall.BatchNormBwd c, Resolver r) {
        BatchNormDescriptor d = BatchNormDescriptor.of(c.shape());
        cudnnTensorStruct xd = descriptors.tensor(d.x()), pd = descriptors.tensor(d.params());
        int ch = c.shape().c();
        long x = a(r, c.x()), dy = a(r, c.dy()), sm = a(r, c.saveMean()), si = a(r, c.saveInvstd());
        long gamma = c.gamma() == null ? constant(ch, 1f) : a(r, c.gamma());
        long dx = c.dx() == null ? CudaBuffer.address(arena.allocate(d.x().elements())) : a(r, c.dx());
        long dg = c.dgamma() == null ? CudaBuffer.address(arena.allocate(ch)) : a(r, c.dgamma());
        long db = c.dbeta() == null ? CudaBuffer.address(arena.allocate(ch)) : a(r, c.dbeta());
        FloatPointer betaData = c.dx() != null && c.accumulateDx() ? ctx.one : ctx.zero;
        FloatPointer betaParam = c.dgamma() != null && c.accumulateParams() ? ctx.one : ctx.zero;
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnBatchNormalizationBackward(ctx.cudnnHandle,
                cudnn.CUDNN_BATCHNORM_SPATIAL, ctx.one, betaData, ctx.one, betaParam, xd, p(x), xd, p(dy), xd, p(dx), pd,
                p(gamma), p(dg), p(db), d.eps(), p(sm), p(si)), "cudnnBatchNormalizationBackward"));
    }

    // ---------------------------------------------------------------- pooling

    private BoundStep maxPoolForward(KernelCall.Pool2dFwd c, Resolver r) {
        PoolDescriptor d = PoolDescriptor.of(c.shape());
        cudnnPoolingStruct pd = descriptors.maxPooling(d);
        cudnnTensorStruct xd = descriptors.tensor(d.x()), yd = descriptors.tensor(d.y());
        long x = a(r, c.x()), y = a(r, c.y());
        return step(c, () -> CudaContext.checkCudnn(cudnn.cudnnPoolingForward(ctx.cudnnHandle, pd, ctx.one, xd, p(x),
                ctx.zero, yd, p(y)), "cudnnPoolingForward"));
    }

    /** cuDNN's max-pool backward reads the forward output, which the engine does not keep: recompute it. */
    private BoundStep maxPoolBackward(KernelCall.Pool2dBwd c, Resolver r) {
        PoolDescriptor d = PoolDescriptor.of(c.shape());
        cudnnPoolingStruct pd = descriptors.maxPooling(d);
        cudnnTensorStruct xd = descriptors.tensor(d.x()), yd = descriptors.tensor(d.y());
        long x = a(r, c.x()), dy = a(r, c.dy()), dx = a(r, c.dx());
        long y = CudaBuffer.address(arena.allocate(d.y().elements()));
        FloatPointer beta = c.accumulate() ? ctx.one : ctx.zero;
        return step(c, () -> {
            CudaContext.checkCudnn(cudnn.cudnnPoolingForward(ctx.cudnnHandle, pd, ctx.one, xd, p(x), ctx.zero, yd, p(y)),
                    "cudnnPoolingForward");
            CudaContext.checkCudnn(cudnn.cudnnPoolingBackward(ctx.cudnnHandle, pd, ctx.one, yd, p(y), yd, p(dy), xd, p(x),
                    beta, xd, p(dx)), "cudnnPoolingBackward");
        });
    }

    private BoundStep avgPoolForward(KernelCall.Pool2dFwd c, Resolver r) {
        MemorySegment desc = avgDesc(c.shape());
        long x = a(r, c.x()), y = a(r, c.y());
        MemorySegment s = ctx.streamSegment();
        return step(c, () -> CudaKernels.avgpool2dFwd(desc, m(x), m(y), s));
    }

    private BoundStep avgPoolBackward(KernelCall.Pool2dBwd c, Resolver r) {
        MemorySegment desc = avgDesc(c.shape());
        long dy = a(r, c.dy()), dx = a(r, c.dx());
        MemorySegment s = ctx.streamSegment();
        int acc = flag(c.accumulate());
        return step(c, () -> CudaKernels.avgpool2dBwd(desc, m(dy), m(dx), acc, s));
    }

    private MemorySegment avgDesc(PoolShape p) {
        return Pool2dDesc.square(host, p.n(), p.c(), p.h(), p.w(), p.kernel(), p.stride(), p.pad(), p.countIncludePad())
                .nativeDesc();
    }

    // ---------------------------------------------------------------- cuBLAS

    private BoundStep linearForward(KernelCall.LinearFwd c, Resolver r) {
        GemmCall g = GemmCall.linearForward(c.n(), c.in(), c.out());
        long x = a(r, c.x()), w = a(r, c.w()), b = a(r, c.b()), y = a(r, c.y());
        long ones = b == 0 ? 0 : ones(c.n());
        return step(c, () -> {
            gemm(g, w, x, y);
            if (b != 0) {
                // y^T[out, n] += b[out] ones[n]^T
                CudaContext.checkCublas(cublas.cublasSgemm_v2(ctx.cublasHandle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N,
                        c.out(), c.n(), 1, ctx.one, f(b), c.out(), f(ones), 1, ctx.one, f(y), c.out()), "cublasSgemm");
            }
        });
    }

    private BoundStep linearBackward(KernelCall.LinearBwd c, Resolver r) {
        GemmCall data = GemmCall.linearBackwardData(c.n(), c.in(), c.out(), c.accumulateDx());
        GemmCall filter = GemmCall.linearBackwardFilter(c.n(), c.in(), c.out(), c.accumulateParams());
        long x = a(r, c.x()), w = a(r, c.w()), dy = a(r, c.dy());
        long dx = a(r, c.dx()), dw = a(r, c.dw()), db = a(r, c.db());
        long ones = db == 0 ? 0 : ones(c.n());
        FloatPointer betaB = c.accumulateParams() ? ctx.one : ctx.zero;
        return step(c, () -> {
            if (dx != 0) {
                gemm(data, w, dy, dx);
            }
            if (dw != 0) {
                gemm(filter, x, dy, dw);
            }
            if (db != 0) {
                // db[out] (+)= dy^T[out, n] ones[n]
                CudaContext.checkCublas(cublas.cublasSgemv_v2(ctx.cublasHandle, cublas.CUBLAS_OP_N, c.out(), c.n(),
                        ctx.one, f(dy), c.out(), f(ones), 1, betaB, f(db), 1), "cublasSgemv");
            }
        });
    }

    private void gemm(GemmCall g, long a, long b, long c) {
        CudaContext.checkCublas(cublas.cublasSgemm_v2(ctx.cublasHandle, g.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                g.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, g.m(), g.n(), g.k(), ctx.one, f(a), g.lda(), f(b),
                g.ldb(), g.beta() == 0f ? ctx.zero : ctx.one, f(c), g.ldc()), "cublasSgemm");
    }

    /** y (+)= w[0] x with the weight read on the device when the step runs (cuBLAS device pointer mode). */
    private BoundStep weightedAdd(KernelCall.WeightedAdd c, Resolver r) {
        long w = a(r, c.weight()), x = a(r, c.x()), y = a(r, c.y());
        int n = Math.toIntExact(c.n());
        boolean acc = c.accumulate();
        return step(c, () -> {
            if (!acc) {
                memsetZero(y, (long) n * Float.BYTES);
            }
            CudaContext.checkCublas(cublas.cublasSetPointerMode_v2(ctx.cublasHandle, cublas.CUBLAS_POINTER_MODE_DEVICE),
                    "cublasSetPointerMode");
            try {
                CudaContext.checkCublas(cublas.cublasSaxpy_v2(ctx.cublasHandle, n, f(w), f(x), 1, f(y), 1), "cublasSaxpy");
            } finally {
                CudaContext.checkCublas(cublas.cublasSetPointerMode_v2(ctx.cublasHandle, cublas.CUBLAS_POINTER_MODE_HOST),
                        "cublasSetPointerMode");
            }
        });
    }

    /** dx (+)= dy s (via scratch when accumulating), ds (+)= per-(n, c) dot products of dy and x (batched gemm). */
    private BoundStep channelScaleBackward(KernelCall.ChannelScaleBwd c, Resolver r) {
        long x = a(r, c.x()), sc = a(r, c.s()), dy = a(r, c.dy()), dx = a(r, c.dx()), ds = a(r, c.ds());
        int hw = c.hw(), nc = c.n() * c.c();
        long total = (long) nc * hw;
        boolean acc = c.accumulate();
        long tmp = dx != 0 && acc ? CudaBuffer.address(arena.allocate(total)) : 0;
        MemorySegment s = ctx.streamSegment();
        return step(c, () -> {
            if (dx != 0) {
                long target = acc ? tmp : dx;
                CudaContext.checkCublas(cublas.cublasSdgmm(ctx.cublasHandle, cublas.CUBLAS_SIDE_RIGHT, hw, nc, f(dy), hw,
                        f(sc), 1, f(target), hw), "cublasSdgmm");
                if (acc) {
                    CudaKernels.axpy(1f, m(tmp), m(dx), total, s);
                }
            }
            if (ds != 0) {
                CudaContext.checkCublas(cublas.cublasSgemmStridedBatched(ctx.cublasHandle, cublas.CUBLAS_OP_T,
                        cublas.CUBLAS_OP_N, 1, 1, hw, ctx.one, f(dy), hw, hw, f(x), hw, hw, acc ? ctx.one : ctx.zero,
                        f(ds), 1, 1, nc), "cublasSgemmStridedBatched");
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static BoundStep step(KernelCall c, Runnable launch) {
        return new CudaStep(c.kernel(), launch);
    }

    /** The operand's device address (0 when absent). */
    private static long a(Resolver r, Operand o) {
        if (o == null) {
            return 0;
        }
        if (o instanceof OperandSlice s) {
            return a(r, s.base()) + s.offset() * Float.BYTES;
        }
        return CudaBuffer.address(r.buffer(o));
    }

    private static MemorySegment m(long address) {
        return MemorySegment.ofAddress(address);
    }

    private static org.bytedeco.javacpp.Pointer p(long address) {
        return DevicePointer.of(address);
    }

    private static FloatPointer f(long address) {
        return DevicePointer.floats(address);
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    private static int act(Activation a) {
        return switch (a) {
            case RELU -> archway.bindings.cpu.Activation.RELU.code();
            case SIGMOID -> archway.bindings.cpu.Activation.SIGMOID.code();
            case HSWISH -> archway.bindings.cpu.Activation.HSWISH.code();
            case HSIGMOID -> archway.bindings.cpu.Activation.HSIGMOID.code();
        };
    }

    /** A host array of device addresses (null entries: absent operands), as the mixed-op kernels take it. */
    private MemorySegment pointers(Resolver r, Operand[] xs) {
        if (xs == null) {
            return MemorySegment.NULL;
        }
        MemorySegment arr = host.allocate(ValueLayout.ADDRESS, xs.length);
        for (int i = 0; i < xs.length; i++) {
            arr.setAtIndex(ValueLayout.ADDRESS, i, MemorySegment.ofAddress(a(r, xs[i])));
        }
        return arr;
    }

    private long ones(int n) {
        return constant(n, 1f);
    }

    private long constant(int n, float v) {
        Buffer b = arena.allocate(n);
        float[] h = new float[n];
        java.util.Arrays.fill(h, v);
        b.write(0, h);
        return CudaBuffer.address(b);
    }

    private void memsetZero(long address, long bytes) {
        CudaContext.check(cudart.cudaMemsetAsync(new DevicePointer(address), 0, bytes, ctx.stream), "cudaMemsetAsync");
    }

    @Override
    public void close() {
        ctx.synchronize();
        descriptors.close();
        arena.close();
        host.close();
    }
}

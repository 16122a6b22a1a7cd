package archway.runtime;

/**
 * A backend-neutral kernel call: which kernel, its descriptor as plain numbers and flags, and its
 * operands. Graph ops emit these instead of calling kernels; a {@link Backend} binds each one to its
 * memory and kernels ({@link Binder#bind}). A null operand means "absent" where the kernel allows it
 * (no affine parameters, a gradient nobody wants, a "none" candidate). Sizes not given explicitly are
 * the operands' sizes.
 *
 * <p>Adding a kernel: a record here, a case in every backend's binder (the switch over this sealed
 * interface is exhaustive, so the compiler lists the backends that still lack it).
 */
public sealed interface KernelCall {
    /** The kernel's name, as profiles and debuggers show it. */
    String kernel();

    /** y = act(x) elementwise. */
    record ActivationFwd(Activation act, Operand x, Operand y) implements KernelCall {
        public String kernel() { return "act_fwd_" + act.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** dx (+)= act'(x) dy. */
    record ActivationBwd(Activation act, Operand x, Operand dy, Operand dx, boolean accumulate) implements KernelCall {
        public String kernel() { return "act_bwd_" + act.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * Training-mode batch norm with batch statistics; saves mean / inverse std for backward and updates
     * the running statistics (all four may be null: a side-effect-free recomputation). y null: statistics
     * only, applied by a {@link BatchNormAdd} (only where the backend fuses batch norm into sums).
     */
    record BatchNormFwdTrain(BatchNormShape shape, Operand x, Operand gamma, Operand beta, Operand y,
                             Operand saveMean, Operand saveInvstd, Operand runningMean, Operand runningVar)
            implements KernelCall {
        public String kernel() { return "bn_fwd_train"; }
    }

    /**
     * y = term 0 + term 1 + ..., added left to right, each term a batch norm applied with a training
     * forward's saved statistics ({@code mean} and {@code invstd} given; gamma and beta optional) or an
     * input as it is (both null): a node that sums batch-normed edges, without the normalised tensors.
     * Bit-identical to the unfused steps (each BN's y, then add / add3 / axpy). Only a backend whose
     * {@link Backend#fusesBatchNormIntoSums()} is true receives it.
     */
    record BatchNormAdd(BatchNormShape shape, BatchNormAddTerm[] terms, Operand y) implements KernelCall {
        public BatchNormAdd {
            if (terms.length < 1) {
                throw new IllegalArgumentException("batch norm add needs at least one term");
            }
            terms = terms.clone();
        }

        public String kernel() { return "bn_add"; }
    }

    /** One term of {@link BatchNormAdd}. */
    record BatchNormAddTerm(Operand x, Operand mean, Operand invstd, Operand gamma, Operand beta) {
        public BatchNormAddTerm {
            if (x == null || (mean == null) != (invstd == null)) {
                throw new IllegalArgumentException("a batch norm add term needs x, and mean and invstd together");
            }
        }
    }

    /**
     * The training forward's y again from the statistics it saved (rematerialising y in backward). The CPU
     * kernel applies the saved mean / inverse std and repeats y bit for bit; cuDNN, which has no such call,
     * recomputes the batch statistics as {@link BatchNormFwdTrain} without side effects does.
     */
    record BatchNormFwdSaved(BatchNormShape shape, Operand x, Operand gamma, Operand beta, Operand saveMean,
                             Operand saveInvstd, Operand y) implements KernelCall {
        public String kernel() { return "bn_fwd_saved"; }
    }

    /** Eval-mode batch norm with the running statistics. */
    record BatchNormFwdEval(BatchNormShape shape, Operand x, Operand gamma, Operand beta, Operand runningMean,
                            Operand runningVar, Operand y) implements KernelCall {
        public String kernel() { return "bn_fwd_eval"; }
    }

    /** Batch-norm backward: dx and/or dgamma, dbeta (null when not wanted). */
    record BatchNormBwd(BatchNormShape shape, Operand x, Operand dy, Operand gamma, Operand saveMean,
                        Operand saveInvstd, Operand dx, Operand dgamma, Operand dbeta, boolean accumulateDx,
                        boolean accumulateParams) implements KernelCall {
        public String kernel() { return "bn_bwd"; }
    }

    /**
     * dst[:, dstFrom + i] (+)= src[:, srcFrom + i] for i < count, over n samples of hw elements per
     * channel (concat, channel slices, crops with hw = 1 rows).
     */
    record ChannelCopy(Operand src, Operand dst, int n, int srcC, int srcFrom, int dstC, int dstFrom, int count,
                       int hw, boolean accumulate) implements KernelCall {
        public String kernel() { return "channel_copy"; }
    }

    /** Channel shuffle with {@code groups} groups, or its inverse. */
    record ChannelShuffle(Operand x, Operand y, int n, int c, int hw, int groups, boolean inverse, boolean accumulate)
            implements KernelCall {
        public String kernel() { return "channel_shuffle"; }
    }

    /** y[n, c, i, j] = x[n, c, i + offH, j + offW] (zero outside), or its adjoint when {@code backward}. */
    record SpatialShift(Operand x, Operand y, int n, int c, int h, int w, int oh, int ow, int offH, int offW,
                        boolean backward, boolean accumulate) implements KernelCall {
        public String kernel() { return "spatial_shift"; }
    }

    /** y = conv2d(x, w). */
    record Conv2dFwd(ConvShape shape, Operand x, Operand w, Operand y) implements KernelCall {
        public String kernel() { return "conv2d_fwd"; }
    }

    /** dx (+)= conv2d data gradient of dy through w. */
    record Conv2dBwdData(ConvShape shape, Operand dy, Operand w, Operand dx, boolean accumulate) implements KernelCall {
        public String kernel() { return "conv2d_bwd_data"; }
    }

    /** dw (+)= conv2d filter gradient of x and dy. */
    record Conv2dBwdFilter(ConvShape shape, Operand x, Operand dy, Operand dw, boolean accumulate)
            implements KernelCall {
        public String kernel() { return "conv2d_bwd_filter"; }
    }

    /** y = conv2d(relu(x), w): the ReLU fused into the convolution's input (never stored). */
    record ReluConv2dFwd(ConvShape shape, Operand x, Operand w, Operand y) implements KernelCall {
        public String kernel() { return "conv2d_relu_in_fwd"; }
    }

    /** dx (+)= relu'(x) * (conv2d data gradient of dy through w): the gradient at the fused ReLU's input. */
    record ReluConv2dBwdData(ConvShape shape, Operand x, Operand dy, Operand w, Operand dx, boolean accumulate)
            implements KernelCall {
        public String kernel() { return "conv2d_relu_in_bwd_data"; }
    }

    /** dw (+)= conv2d filter gradient of relu(x) and dy. */
    record ReluConv2dBwdFilter(ConvShape shape, Operand x, Operand dy, Operand dw, boolean accumulate)
            implements KernelCall {
        public String kernel() { return "conv2d_relu_in_bwd_filter"; }
    }

    /**
     * Sibling convolutions, two of one input with filters w1 and w2 (alike otherwise), as one call:
     * y1 = conv2d(x', w1), y2 = conv2d(x', w2) with x' = relu(x) when {@code reluInput}. {@code shape} is the
     * pair as one convolution (k = k1 + k2 output channels). Emitted only for backends that
     * {@linkplain Backend#fusesSiblingConvolutions() fuse sibling convolutions}.
     */
    record SiblingConv2dFwd(ConvShape shape, int k1, boolean reluInput, Operand x, Operand w1, Operand w2, Operand y1,
                            Operand y2) implements KernelCall {
        public String kernel() { return "conv2d_siblings_fwd"; }
    }

    /**
     * dx (+)= the data gradients of dy1 through w1 and of dy2 through w2 (times relu'(reluX) when reluX, the
     * fused ReLU's input, is not null): both siblings' gradients at their shared input.
     */
    record SiblingConv2dBwdData(ConvShape shape, int k1, Operand reluX, Operand dy1, Operand dy2, Operand w1,
                                Operand w2, Operand dx, boolean accumulate) implements KernelCall {
        public String kernel() { return "conv2d_siblings_bwd_data"; }
    }

    /** dw1 (+)= the filter gradient of x' and dy1, dw2 (+)= that of x' and dy2 (x' as in the forward). */
    record SiblingConv2dBwdFilter(ConvShape shape, int k1, boolean reluInput, Operand x, Operand dy1, Operand dy2,
                                  Operand dw1, Operand dw2, boolean accumulate) implements KernelCall {
        public String kernel() { return "conv2d_siblings_bwd_filter"; }
    }

    /** [n, c, hw] -> [n, c] mean. */
    record GlobalAvgPoolFwd(Operand x, Operand y, int n, int c, int hw) implements KernelCall {
        public String kernel() { return "global_avgpool_fwd"; }
    }

    record GlobalAvgPoolBwd(Operand dy, Operand dx, int n, int c, int hw, boolean accumulate) implements KernelCall {
        public String kernel() { return "global_avgpool_bwd"; }
    }

    record Pool2dFwd(PoolKind pool, PoolShape shape, Operand x, Operand y) implements KernelCall {
        public String kernel() { return pool == PoolKind.AVG ? "avgpool2d_fwd" : "maxpool2d_fwd"; }
    }

    /** Pooling backward; {@code x} is read by max pooling only (null for average pooling). */
    record Pool2dBwd(PoolKind pool, PoolShape shape, Operand x, Operand dy, Operand dx, boolean accumulate)
            implements KernelCall {
        public String kernel() { return pool == PoolKind.AVG ? "avgpool2d_bwd" : "maxpool2d_bwd"; }
    }

    /** y[n, out] = x[n, in] w^T + b. */
    record LinearFwd(Operand x, Operand w, Operand b, Operand y, int n, int in, int out) implements KernelCall {
        public String kernel() { return "linear_fwd"; }
    }

    /** Linear backward: dx and/or dw, db (null when not wanted). */
    record LinearBwd(Operand x, Operand w, Operand dy, Operand dx, Operand dw, Operand db, int n, int in, int out,
                     boolean accumulateDx, boolean accumulateParams) implements KernelCall {
        public String kernel() { return "linear_bwd"; }
    }

    /** Mean softmax cross-entropy of logits [n, k] against int32 labels; probabilities and argmax hits. */
    record SoftmaxXentFwd(Operand logits, Operand labels, Operand probs, int n, int k, Operand loss, Operand correct)
            implements KernelCall {
        public String kernel() { return "softmax_xent_fwd"; }
    }

    record SoftmaxXentBwd(Operand probs, Operand labels, Operand dlogits, int n, int k, float scale, boolean accumulate)
            implements KernelCall {
        public String kernel() { return "softmax_xent_bwd"; }
    }

    /** y = sum_i w[i] xs[i] over n elements; {@code w} is a k-element row, null xs entries are skipped. */
    record MixedFwd(Operand[] xs, Operand w, int k, long n, Operand y) implements KernelCall {
        public String kernel() { return "mixed_fwd"; }
    }

    /** dxs[i] (+)= w[i] dy (null entries skipped) and dw[i] (+)= <dy, xs[i]> (skipped when dw is null). */
    record MixedBwd(Operand[] xs, Operand w, int k, long n, Operand dy, Operand[] dxs, Operand dw,
                    boolean accumulateDx, boolean accumulateDw) implements KernelCall {
        public String kernel() { return "mixed_bwd"; }
    }

    /** y (+)= weight[0] x, the scalar read from memory when the step runs (a mixing weight). */
    record WeightedAdd(Operand weight, Operand x, Operand y, long n, boolean accumulate) implements KernelCall {
        public String kernel() { return accumulate ? "axpy" : "axpby"; }
    }

    record Fill(Operand y, long n, float value) implements KernelCall {
        public String kernel() { return "fill"; }
    }

    record Copy(Operand x, Operand y, long n) implements KernelCall {
        public String kernel() { return "copy"; }
    }

    /** y = a + b. */
    record Add(Operand a, Operand b, Operand y, long n) implements KernelCall {
        public String kernel() { return "add"; }
    }

    /** y = (a + b) + c: one pass where add then axpy make two, with the same bits. */
    record Add3(Operand a, Operand b, Operand c, Operand y, long n) implements KernelCall {
        public String kernel() { return "add3"; }
    }

    /** y += alpha x. */
    record Axpy(float alpha, Operand x, Operand y, long n) implements KernelCall {
        public String kernel() { return "axpy"; }
    }

    /** y[n, c, :] = x[n, c, :] s[n, c] (squeeze-excite style channel scale). */
    record ChannelScaleFwd(Operand x, Operand s, Operand y, int n, int c, int hw) implements KernelCall {
        public String kernel() { return "channel_scale_fwd"; }
    }

    /** Channel-scale backward: dx (+)= dy s, ds (+)= sum_hw dy x (either may be null). */
    record ChannelScaleBwd(Operand x, Operand s, Operand dy, Operand dx, Operand ds, int n, int c, int hw,
                           boolean accumulate) implements KernelCall {
        public String kernel() { return "channel_scale_bwd"; }
    }
}

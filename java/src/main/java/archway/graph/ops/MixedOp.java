package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;
import archway.runtime.Operand;
import java.util.ArrayList;
import java.util.List;

/**
 * The DARTS edge: y = sum_k w[k] * cand[k], w = one row of a MIX block. One fused kernel forward;
 * backward gives every candidate gradient and every dL/dw[k] = <dy, cand[k]> in one pass over dy.
 * A null candidate is the "none" op; candidates whose weight is exactly zero are skipped (their
 * producing ops are guarded by the same weight, so they are never computed).
 *
 * <p>Candidates produced only for this edge ("owned": conv/pool outputs) receive their gradient from
 * the fused kernel. A candidate that is a shared value (skip_connect passes the edge input itself) gets
 * {@code dx += w[k] dy} through a separate axpy so that its other gradient writers are respected.
 */
public final class MixedOp extends Op {
    private final Value[] cands;
    private final boolean[] owned;
    private final Value mix;
    private final long start;
    private final int k;

    private MixedOp(String name, Value y, Value[] cands, boolean[] owned, Value mix, long start, Value[] inputs) {
        super(name, y, inputs);
        this.cands = cands.clone();
        this.owned = owned.clone();
        this.mix = mix;
        this.start = start;
        this.k = cands.length;
    }

    /**
     * @param cands candidate outputs (null = none), all of one shape
     * @param owned whether candidate k is consumed by this edge alone
     * @param mix   the MIX block value ([rows, cands.length])
     * @param row   which row of the block weights this edge
     */
    public static Value apply(Graph g, String name, Value[] cands, boolean[] owned, Value mix, int row) {
        if (mix.rank() != 2 || mix.dim(1) != cands.length || row < 0 || row >= mix.dim(0)) {
            throw new IllegalArgumentException("mixed " + name + ": mix block " + mix + " has no row " + row
                    + " of width " + cands.length);
        }
        return applyAt(g, name, cands, owned, mix, (long) row * cands.length);
    }

    /**
     * As {@link #apply} with the weights {@code mix[start, start + cands.length)} of the flattened block (a
     * weighted sum of a node's incoming edges, a scaled auxiliary path).
     */
    public static Value applyAt(Graph g, String name, Value[] cands, boolean[] owned, Value mix, long start) {
        if (start < 0 || start + cands.length > mix.size()) {
            throw new IllegalArgumentException("mixed " + name + ": mix block " + mix + " has no weights ["
                    + start + ", " + (start + cands.length) + ")");
        }
        Value shapeOf = null;
        List<Value> ins = new ArrayList<>();
        for (Value c : cands) {
            if (c != null) {
                if (shapeOf != null && !java.util.Arrays.equals(c.shape(), shapeOf.shape())) {
                    throw new IllegalArgumentException("mixed " + name + ": candidate shapes differ");
                }
                shapeOf = c;
                ins.add(c);
            }
        }
        if (shapeOf == null) {
            throw new IllegalArgumentException("mixed " + name + ": every candidate is none");
        }
        ins.add(mix);
        Value y = g.activation(name, shapeOf.shape());
        g.add(new MixedOp(name, y, cands, owned, mix, start, ins.toArray(new Value[0])));
        return y;
    }

    /**
     * sum_j mix[start + j] * xs[j] for values consumed only here (a node's incoming edges weighted by PC-DARTS
     * edge normalisation).
     */
    public static Value weightedSum(Graph g, String name, Value[] xs, Value mix, long start) {
        boolean[] owned = new boolean[xs.length];
        java.util.Arrays.fill(owned, true);
        return applyAt(g, name, xs, owned, mix, start);
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        long n = output.size();
        List<Value> reads = new ArrayList<>(List.of(inputs));
        s.step("mixed " + name, reads.toArray(new Value[0]), new Value[] {output},
                new KernelCall.MixedFwd(cands.clone(), row(mix), k, n, output));
    }

    @Override
    protected void backward(Schedule s) {
        long n = output.size();
        Value dy = s.grad(output);
        boolean sparse = s.graph().sparseMix();
        boolean wantMix = s.needsGrad(mix);
        Value[] fused = new Value[k];
        List<Integer> sharedIdx = new ArrayList<>();
        boolean anyFused = false;
        for (int i = 0; i < k; i++) {
            Value c = cands[i];
            if (c == null || !s.needsGrad(c)) {
                continue;
            }
            Value dc = s.grad(c);
            if (owned[i]) {
                // Only this edge writes an owned candidate's gradient: the first (and only) write overwrites.
                s.accumulate(dc);
                fused[i] = dc;
                anyFused = true;
            } else {
                sharedIdx.add(i);
            }
        }
        if (anyFused || wantMix) {
            Value dmix = wantMix ? s.grad(mix) : null;
            if (wantMix) {
                s.accumulate(dmix);
            }
            // The candidates are read only for dL/dw (their dot products with dy); a weight step's
            // backward reads just dy and the mix row, so the candidates need not outlive the forward.
            List<Value> reads = wantMix ? new ArrayList<>(List.of(inputs)) : new ArrayList<>(List.of(mix));
            reads.add(dy);
            List<Value> writes = new ArrayList<>();
            for (Value f : fused) {
                if (f != null) {
                    writes.add(f);
                }
            }
            if (dmix != null) {
                writes.add(dmix);
            }
            // Mix gradients accumulate over every edge and cell sharing the block (zeroed per backward);
            // a weight step passes no dw, so the kernel skips the K dot products.
            s.step("mixed bwd " + name, reads.toArray(new Value[0]), writes.toArray(new Value[0]),
                    new KernelCall.MixedBwd(cands.clone(), row(mix), k, n, dy, fused, dmix == null ? null : row(dmix),
                            false, true));
        }
        for (int i : sharedIdx) {
            Value dc = s.grad(cands[i]);
            boolean acc = s.accumulate(dc, sparse);
            // dc (+)= w[k] dy with w[k] read when the step runs (the search changes it between runs).
            s.step("mixed bwd skip " + name, new Value[] {dy}, new Value[] {dc},
                    new KernelCall.WeightedAdd(Operand.slice(mix, start + i, 1), dy, dc, n, acc));
        }
    }

    /** This op's k weights of the block (the mixing weights or their gradient). */
    private Operand row(Value block) {
        return Operand.slice(block, start, k);
    }
}

package archway.graph;

import archway.runtime.ConvShape;
import archway.runtime.KernelCall;
import archway.runtime.Operand;
import java.util.List;

/**
 * A plan pass for backends that {@linkplain archway.runtime.Backend#fusesSiblingConvolutions() fuse
 * sibling convolutions}: two 3x3 stride-1 convolutions of the same input (the edges leaving one node of an
 * NB201 or DARTS cell) become one call per pass, so the kernels read and transform the input once and run
 * products twice as deep ({@link KernelCall.SiblingConv2dFwd} and its gradients).
 *
 * <ul>
 *   <li>Forward: the second convolution moves up to the first (its input and filters are ready there; its
 *       output is written earlier and nothing reads it before).</li>
 *   <li>Data gradient: two steps writing the same gradient become one at the later step's place, when no
 *       step in between reads or writes that gradient or rewrites the earlier step's operands; the merged
 *       step keeps the earlier step's overwrite/accumulate flag.</li>
 *   <li>Filter gradient: likewise, for two steps reading the same input.</li>
 * </ul>
 * Steps that a guard may skip, that carry several calls or that were remapped are left alone. Off with
 * {@code -Darchway.plan.siblings=false} (read when a plan is built, for A/B runs).
 */
final class SiblingConvolutions {
    private SiblingConvolutions() {
    }

    static boolean enabled() {
        return !"false".equals(System.getProperty("archway.plan.siblings"));
    }

    /** Merges sibling convolution steps of {@code specs} in place. */
    static void merge(List<Schedule.Spec> specs) {
        for (int i = 0; i < specs.size(); i++) {
            for (int j = i + 1; j < specs.size(); j++) {
                if (tryMerge(specs, i, j)) {
                    i--;  // a backward merge removed step i: look at the step now there (a merged one is final)
                    break;
                }
            }
        }
    }

    private static boolean tryMerge(List<Schedule.Spec> specs, int i, int j) {
        Schedule.Spec a = specs.get(i), b = specs.get(j);
        if (!single(a) || !single(b) || a.phase() != b.phase()) {
            return false;
        }
        KernelCall ca = a.calls()[0], cb = b.calls()[0];
        if (ca instanceof KernelCall.Conv2dFwd x && cb instanceof KernelCall.Conv2dFwd y
                && x.x() == y.x() && siblings(x.shape(), y.shape()) && untouchedBetween(specs, i, j, y.y(), x.x(), y.w())) {
            specs.set(i, forward(a, b, x.shape(), y.shape(), false, x.x(), x.w(), y.w(), x.y(), y.y()));
            specs.remove(j);
            return true;
        }
        if (ca instanceof KernelCall.ReluConv2dFwd x && cb instanceof KernelCall.ReluConv2dFwd y
                && x.x() == y.x() && siblings(x.shape(), y.shape()) && untouchedBetween(specs, i, j, y.y(), x.x(), y.w())) {
            specs.set(i, forward(a, b, x.shape(), y.shape(), true, x.x(), x.w(), y.w(), x.y(), y.y()));
            specs.remove(j);
            return true;
        }
        // Backward: the merged step takes the later place (b, j), where both output gradients exist; the
        // later step's convolution goes first in channel order.
        if (ca instanceof KernelCall.Conv2dBwdData x && cb instanceof KernelCall.Conv2dBwdData y
                && x.dx() == y.dx() && siblings(x.shape(), y.shape()) && y.accumulate()
                && untouchedBetween(specs, i, j, x.dx(), x.dy(), x.w())) {
            specs.set(j, data(a, b, y.shape(), x.shape(), null, y.dy(), x.dy(), y.w(), x.w(), x.dx(), x.accumulate()));
            specs.remove(i);
            return true;
        }
        if (ca instanceof KernelCall.ReluConv2dBwdData x && cb instanceof KernelCall.ReluConv2dBwdData y
                && x.dx() == y.dx() && x.x() == y.x() && siblings(x.shape(), y.shape()) && y.accumulate()
                && untouchedBetween(specs, i, j, x.dx(), x.dy(), x.w(), x.x())) {
            specs.set(j, data(a, b, y.shape(), x.shape(), x.x(), y.dy(), x.dy(), y.w(), x.w(), x.dx(), x.accumulate()));
            specs.remove(i);
            return true;
        }
        if (ca instanceof KernelCall.Conv2dBwdFilter x && cb instanceof KernelCall.Conv2dBwdFilter y
                && x.x() == y.x() && x.dw() != y.dw() && x.accumulate() == y.accumulate() && siblings(x.shape(), y.shape())
                && untouchedBetween(specs, i, j, x.dw(), x.dy(), x.x())) {
            specs.set(j, filter(a, b, y.shape(), x.shape(), false, x.x(), y.dy(), x.dy(), y.dw(), x.dw(), x.accumulate()));
            specs.remove(i);
            return true;
        }
        if (ca instanceof KernelCall.ReluConv2dBwdFilter x && cb instanceof KernelCall.ReluConv2dBwdFilter y
                && x.x() == y.x() && x.dw() != y.dw() && x.accumulate() == y.accumulate() && siblings(x.shape(), y.shape())
                && untouchedBetween(specs, i, j, x.dw(), x.dy(), x.x())) {
            specs.set(j, filter(a, b, y.shape(), x.shape(), true, x.x(), y.dy(), x.dy(), y.dw(), x.dw(), x.accumulate()));
            specs.remove(i);
            return true;
        }
        return false;
    }

    /** One unguarded, unremapped call. */
    private static boolean single(Schedule.Spec s) {
        return s.calls().length == 1 && s.guard() < 0 && s.remap().isEmpty();
    }

    /** Same input and convolution but for the output channels; 3x3, stride 1, no dilation or groups (Winograd). */
    private static boolean siblings(ConvShape a, ConvShape b) {
        return a.n() == b.n() && a.c() == b.c() && a.h() == b.h() && a.w() == b.w() && a.kernel() == 3 && b.kernel() == 3
                && a.stride() == 1 && b.stride() == 1 && a.pad() == b.pad() && a.dilation() == 1 && b.dilation() == 1
                && a.groups() == 1 && b.groups() == 1;
    }

    /**
     * True when no step strictly between i and j reads or writes {@code moved} (the value whose write
     * moves), or writes any of {@code read} (operands the moved call reads at its new place).
     */
    private static boolean untouchedBetween(List<Schedule.Spec> specs, int i, int j, Operand moved, Operand... read) {
        for (int t = i + 1; t < j; t++) {
            Schedule.Spec s = specs.get(t);
            if (contains(s.reads(), moved) || contains(s.writes(), moved)) {
                return false;
            }
            for (Operand r : read) {
                if (r != null && contains(s.writes(), r)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(Value[] vs, Operand v) {
        for (Value x : vs) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static ConvShape merged(ConvShape first, ConvShape second) {
        return new ConvShape(first.n(), first.c(), first.h(), first.w(), first.k() + second.k(), first.kernel(),
                first.stride(), first.pad(), first.dilation(), first.groups());
    }

    private static String label(Schedule.Spec first, Schedule.Spec second) {
        return first.label() + " + " + second.label();
    }

    private static Schedule.Spec forward(Schedule.Spec a, Schedule.Spec b, ConvShape s1, ConvShape s2, boolean relu,
                                         Operand x, Operand w1, Operand w2, Operand y1, Operand y2) {
        KernelCall call = new KernelCall.SiblingConv2dFwd(merged(s1, s2), s1.k(), relu, x, w1, w2, y1, y2);
        return new Schedule.Spec(union(a.reads(), b.reads()), union(a.writes(), b.writes()), new KernelCall[] {call},
                a.guard(), a.phase(), label(a, b));
    }

    private static Schedule.Spec data(Schedule.Spec earlier, Schedule.Spec later, ConvShape s1, ConvShape s2,
                                      Operand reluX, Operand dy1, Operand dy2, Operand w1, Operand w2, Operand dx,
                                      boolean accumulate) {
        KernelCall call = new KernelCall.SiblingConv2dBwdData(merged(s1, s2), s1.k(), reluX, dy1, dy2, w1, w2, dx,
                accumulate);
        return new Schedule.Spec(union(later.reads(), earlier.reads()), union(later.writes(), earlier.writes()),
                new KernelCall[] {call}, later.guard(), later.phase(), label(later, earlier));
    }

    private static Schedule.Spec filter(Schedule.Spec earlier, Schedule.Spec later, ConvShape s1, ConvShape s2,
                                        boolean relu, Operand x, Operand dy1, Operand dy2, Operand dw1, Operand dw2,
                                        boolean accumulate) {
        KernelCall call = new KernelCall.SiblingConv2dBwdFilter(merged(s1, s2), s1.k(), relu, x, dy1, dy2, dw1, dw2,
                accumulate);
        return new Schedule.Spec(union(later.reads(), earlier.reads()), union(later.writes(), earlier.writes()),
                new KernelCall[] {call}, later.guard(), later.phase(), label(later, earlier));
    }

    private static Value[] union(Value[] a, Value[] b) {
        java.util.List<Value> all = new java.util.ArrayList<>(java.util.Arrays.asList(a));
        for (Value v : b) {
            if (!all.contains(v)) {
                all.add(v);
            }
        }
        return all.toArray(new Value[0]);
    }
}

package archway.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places every arena value (activations, aux tensors, activation gradients) at a byte offset by
 * liveness: a value lives from the step that first writes it to the step that last touches it, and
 * values whose lifetimes do not overlap share memory. Greedy first-fit in order of first write.
 */
final class MemoryPlanner {
    static final long ALIGN = 64;

    record Placement(Map<Value, Long> offsets, long bytes, long naiveBytes) {
    }

    private MemoryPlanner() {
    }

    static boolean inArena(Value v) {
        return v.kind == ValueKind.ACTIVATION || v.kind == ValueKind.AUX
                || (v.kind == ValueKind.GRAD && v.gradOf.kind != ValueKind.WEIGHT && v.gradOf.kind != ValueKind.MIX);
    }

    static Placement place(List<Schedule.Spec> specs, List<Value> kept) {
        Map<Value, int[]> life = new HashMap<>();
        List<Value> order = new ArrayList<>();
        for (int t = 0; t < specs.size(); t++) {
            Schedule.Spec s = specs.get(t);
            for (Value v : s.writes()) {
                touch(life, order, v, t);
            }
            for (Value v : s.reads()) {
                touch(life, order, v, t);
            }
        }
        int end = specs.size();
        for (Value v : kept) {
            if (inArena(v)) {
                int[] l = life.get(v);
                if (l != null) {
                    l[1] = end;
                }
            }
        }
        order.sort(Comparator.comparingInt(v -> life.get(v)[0]));
        record Block(long offset, long bytes, int end) {
        }
        List<Block> active = new ArrayList<>();
        Map<Value, Long> offsets = new HashMap<>();
        long top = 0, naive = 0;
        for (Value v : order) {
            int[] l = life.get(v);
            active.removeIf(b -> b.end < l[0]);
            active.sort(Comparator.comparingLong(Block::offset));
            long bytes = (v.size * Float.BYTES + ALIGN - 1) & ~(ALIGN - 1);
            naive += bytes;
            long candidate = 0;
            for (Block b : active) {
                if (candidate + bytes <= b.offset) {
                    break;
                }
                candidate = Math.max(candidate, b.offset + b.bytes);
            }
            active.add(new Block(candidate, bytes, l[1]));
            offsets.put(v, candidate);
            top = Math.max(top, candidate + bytes);
        }
        return new Placement(offsets, top, naive);
    }

    private static void touch(Map<Value, int[]> life, List<Value> order, Value v, int t) {
        if (v == null || !inArena(v)) {
            return;
        }
        int[] l = life.get(v);
        if (l == null) {
            life.put(v, new int[] {t, t});
            order.add(v);
        } else {
            l[1] = Math.max(l[1], t);
        }
    }
}

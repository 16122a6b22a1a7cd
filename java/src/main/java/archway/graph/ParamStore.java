package archway.graph;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat buffers of a model: trainable weights with their gradients, non-trained state (batch-norm
 * running statistics) and architecture mixing weights with their gradients. Each is one contiguous
 * backend buffer, so "perturb all weights", "norm of all gradients" or "copy all parameters" are single
 * kernel calls. Entries are registered by name while tracing; tracing the same network again (another
 * batch size, another mode) finds the same entries, so every plan of a model shares its parameters.
 */
public final class ParamStore implements AutoCloseable {
    /** Philox purpose code of weight initialisation. */
    public static final int PURPOSE_INIT = 1;

    /** One named span in a flat buffer. */
    public static final class Entry {
        final String name;
        final ValueKind kind;
        final int[] shape;
        final long offset;
        final long size;
        final Init init;
        final int index;

        Entry(String name, ValueKind kind, int[] shape, long offset, Init init, int index) {
            this.name = name;
            this.kind = kind;
            this.shape = shape.clone();
            long s = 1;
            for (int d : shape) {
                s *= d;
            }
            this.size = s;
            this.offset = offset;
            this.init = init;
            this.index = index;
        }

        public String name() { return name; }

        public ValueKind kind() { return kind; }

        public int[] shape() { return shape.clone(); }

        /** Offset in floats inside its flat buffer. */
        public long offset() { return offset; }

        public long size() { return size; }
    }

    private final long seed;
    private final Backend backend;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final long[] totals = new long[ValueKind.values().length];
    private final BufferArena arena;
    private Buffer weights, weightGrads, state, mix, mixGrads;

    /** A store on the default backend; {@code seed} seeds weight initialisation. */
    public ParamStore(long seed) {
        this(Backends.standard(), seed);
    }

    /** A store whose buffers {@code backend} owns; {@code seed} seeds weight initialisation. */
    public ParamStore(Backend backend, long seed) {
        this.backend = backend;
        this.seed = seed;
        this.arena = backend.arena();
    }

    /** The backend that owns this store's buffers (plans of the model bind and run on it). */
    public Backend backend() { return backend; }

    /** The backend's flat-buffer operations (shorthand for {@code backend().flat()}). */
    public FlatOps flat() { return backend.flat(); }

    /** Registers (or finds) a trainable weight. */
    public Entry weight(String name, int[] shape, Init init) {
        return register(name, ValueKind.WEIGHT, shape, init);
    }

    /** Registers (or finds) a non-trained state tensor filled with {@code value}. */
    public Entry state(String name, int[] shape, float value) {
        return register(name, ValueKind.STATE, shape, new Init.Constant(value));
    }

    /** Registers (or finds) a block of architecture mixing weights (set by the search algorithm). */
    public Entry mix(String name, int[] shape) {
        return register(name, ValueKind.MIX, shape, new Init.Constant(0f));
    }

    private Entry register(String name, ValueKind kind, int[] shape, Init init) {
        Entry e = entries.get(name);
        if (e != null) {
            if (e.kind != kind || !Arrays.equals(e.shape, shape)) {
                throw new IllegalStateException("parameter " + name + " re-registered as " + kind + Arrays.toString(shape)
                        + " but is " + e.kind + Arrays.toString(e.shape));
            }
            return e;
        }
        if (weights != null) {
            throw new IllegalStateException("parameter " + name + " registered after the store was allocated");
        }
        e = new Entry(name, kind, shape, totals[kind.ordinal()], init, entries.size());
        // Keep every span 16-float aligned (64 bytes) so vector kernels start on a cache line.
        totals[kind.ordinal()] += (e.size + 15) & ~15L;
        entries.put(name, e);
        return e;
    }

    /** Allocates and initialises the flat buffers (idempotent; called by the first plan). */
    public void allocate() {
        if (weights != null) {
            return;
        }
        long w = totals[ValueKind.WEIGHT.ordinal()], m = totals[ValueKind.MIX.ordinal()];
        archway.MemoryBudget.requireNative(Float.BYTES * (2 * w + totals[ValueKind.STATE.ordinal()] + 2 * m),
                "the parameters of this network (" + w + " weights and their gradients)");
        weights = alloc(totals[ValueKind.WEIGHT.ordinal()]);
        weightGrads = alloc(totals[ValueKind.WEIGHT.ordinal()]);
        state = alloc(totals[ValueKind.STATE.ordinal()]);
        mix = alloc(totals[ValueKind.MIX.ordinal()]);
        mixGrads = alloc(totals[ValueKind.MIX.ordinal()]);
        for (Entry e : entries.values()) {
            initialise(e);
        }
    }

    private Buffer alloc(long floats) {
        return arena.allocate(Math.max(16, floats));
    }

    private void initialise(Entry e) {
        Buffer s = slice(e);
        FlatOps f = backend.flat();
        switch (e.init) {
            case Init.Constant c -> f.fill(s, e.size, c.value());
            case Init.Uniform u -> {
                f.uniform(s, e.size, seed, PURPOSE_INIT, e.index);
                float bound = (float) (1.0 / Math.sqrt(u.fanIn()));
                // u in [0,1) -> [-bound, bound): y = 2 bound u - bound
                f.scale(s, e.size, 2 * bound);
                try (BufferArena scratch = backend.arena()) {
                    Buffer shift = scratch.allocate(e.size);
                    f.fill(shift, e.size, -bound);
                    f.axpy(1f, shift, s, e.size);
                }
            }
            case Init.Normal nrm -> {
                f.normal(s, e.size, seed, PURPOSE_INIT, e.index);
                f.scale(s, e.size, nrm.scale());
            }
        }
    }

    /** Re-initialises every weight and state entry from the seed (mixing weights untouched). */
    public void reinitialise() {
        allocate();
        for (Entry e : entries.values()) {
            if (e.kind != ValueKind.MIX) {
                initialise(e);
            }
        }
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return e;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    /** The entry's span in its flat buffer. */
    public Buffer slice(Entry e) {
        allocate();
        return buffer(e.kind).slice(e.offset, e.size);
    }

    /** The entry's gradient span (WEIGHT and MIX entries only). */
    public Buffer gradSlice(Entry e) {
        allocate();
        Buffer g = switch (e.kind) {
            case WEIGHT -> weightGrads;
            case MIX -> mixGrads;
            default -> throw new IllegalArgumentException(e.name + " (" + e.kind + ") has no gradient");
        };
        return g.slice(e.offset, e.size);
    }

    private Buffer buffer(ValueKind kind) {
        return switch (kind) {
            case WEIGHT -> weights;
            case STATE -> state;
            case MIX -> mix;
            default -> throw new IllegalArgumentException(kind + " is not stored in the parameter store");
        };
    }

    /** Number of trainable weight elements (excluding alignment padding). */
    public long weightCount() {
        return entries.values().stream().filter(e -> e.kind == ValueKind.WEIGHT).mapToLong(e -> e.size).sum();
    }

    /** Length in floats of the flat buffer of a kind (including alignment padding). */
    public long flatLength(ValueKind kind) {
        return totals[kind.ordinal()];
    }

    public Buffer weights() { allocate(); return weights; }

    public Buffer weightGrads() { allocate(); return weightGrads; }

    public Buffer state() { allocate(); return state; }

    public Buffer mix() { allocate(); return mix; }

    public Buffer mixGrads() { allocate(); return mixGrads; }

    /** Reads one mixing weight (used by guards that skip ops whose weight is exactly zero). */
    public float mixAt(long index) {
        return mix.get(index);
    }

    @Override
    public void close() {
        arena.close();
    }
}

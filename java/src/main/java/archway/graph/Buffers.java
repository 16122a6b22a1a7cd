package archway.graph;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Resolves values to their native memory when a plan binds its steps. */
public interface Buffers {
    /** The value's storage (arena slice, flat-store span or dedicated input buffer). */
    MemorySegment seg(Value v);

    /** An arena living as long as the plan, for per-plan constants such as pointer arrays. */
    Arena planArena();

    ParamStore params();
}

package archway.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results: every benchmark invocation adds the work it did, so JMH reports these
 * counters as rates next to ops/s — {@code gflop} is GFLOP/s (2 x multiply-accumulates), {@code gbyte}
 * is GB/s of compulsory memory traffic (each tensor read or written once).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Work {
    public double gflop;
    public double gbyte;

    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
        gbyte = 0;
    }

    void add(double flop, double bytes) {
        gflop += flop * 1e-9;
        gbyte += bytes * 1e-9;
    }
}

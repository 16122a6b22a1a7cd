package archway.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.Backend;
import archway.runtime.BoundStep;
import archway.runtime.Buffer;
import archway.runtime.Executor;
import archway.runtime.cpu.CpuBackend;
import archway.spaces.nb201.Nb201Network;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A plan closes the executors it made: the old one when it binds its steps anew (the workspace moved, so a CUDA
 * executor's captured graphs point at freed memory) and the current one when it closes. A network made and dropped
 * per trial would otherwise leave its device graphs behind. A recording backend counts what the CPU executor does
 * not show.
 */
class PlanExecutorLifecycleTest {
    @Test
    void aPlanClosesTheExecutorItReplacesAndTheOneItHoldsWhenItCloses() {
        AtomicInteger made = new AtomicInteger(), closed = new AtomicInteger();
        Backend cpu = CpuBackend.instance();
        Backend recording = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("executor")) {
                        made.incrementAndGet();
                        return new Executor((BoundStep[]) args[0], (long[]) args[1], (Buffer) args[2], (Boolean) args[3]) {
                            @Override
                            public void close() {
                                closed.incrementAndGet();
                            }
                        };
                    }
                    try {
                        return m.invoke(cpu, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        int[] ops = {3, 2, 4, 1, 3, 2};
        try (Network net = new Network(recording, Nb201Network.discrete(ops, 2, 1, TinyNets.CLASSES), 1, 8, 8, 9)) {
            Pass small = net.pass(2, Mode.TRAIN, ValueKind.WEIGHT);
            TinyNets.randomBatch(small, 1);
            small.forward();
            small.backward();
            assertEquals(1, made.get());
            assertEquals(0, closed.get());

            Pass large = net.pass(32, Mode.TRAIN, ValueKind.WEIGHT);  // needs more workspace: it moves
            TinyNets.randomBatch(large, 2);
            large.forward();
            assertEquals(2, made.get());
            assertEquals(0, closed.get());

            small.forward();  // bound to the old workspace: bound again, the old executor closed
            assertEquals(3, made.get());
            assertEquals(1, closed.get());
        }
        assertEquals(3, closed.get(), "closing the network closes every plan's current executor");
    }
}

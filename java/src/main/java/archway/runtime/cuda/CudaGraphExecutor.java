package archway.runtime.cuda;

import archway.runtime.BoundStep;
import archway.runtime.Buffer;
import archway.runtime.Executor;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.global.cudart;

/**
 * A plan's bound steps on the device, each distinct step range (forward, backward, a whole step)
 * captured once as a CUDA graph and replayed; {@link RecapturePolicy} decides when. Guards read a
 * host copy of the mixing weights (one transfer per run, not one per step) and the resulting
 * {@link SkipPattern} is part of what was captured. Profiling runs eagerly.
 */
final class CudaGraphExecutor extends Executor {
    private record Range(int from, int to) {
    }

    private final class Captured {
        final RecapturePolicy policy = new RecapturePolicy();
        CUgraphExec_st exec;
    }

    private final CudaContext ctx;
    private final long[] guards;
    private final Map<Range, Captured> graphs = new HashMap<>();

    CudaGraphExecutor(CudaContext ctx, BoundStep[] steps, long[] guards, Buffer guardWeights, boolean profile) {
        super(steps, guards, guardWeights, profile);
        this.ctx = ctx;
        this.guards = guards();
    }

    @Override
    public void run(int from, int to) {
        if (profiling()) {
            super.run(from, to);
            return;
        }
        Buffer w = guardWeights();
        float[] weights = w == null ? new float[0] : w.toFloatArray();
        long[] range = java.util.Arrays.copyOfRange(guards, from, to);
        SkipPattern pattern = SkipPattern.of(range, weights);
        Captured g = graphs.computeIfAbsent(new Range(from, to), r -> new Captured());
        switch (g.policy.next(pattern, false)) {
            case EAGER -> launchSteps(from, to, pattern);
            case CAPTURE, RECAPTURE -> {
                destroy(g);
                g.exec = capture(from, to, pattern, g);
                if (g.exec != null) {
                    launch(g.exec);
                } else {
                    launchSteps(from, to, pattern);  // nothing of the failed capture ran
                }
            }
            case REPLAY -> launch(g.exec);
        }
    }

    /** Profiling: each step's device work is timed to its end (a stream synchronisation per step). */
    @Override
    protected void awaitStep() {
        ctx.synchronize();
    }

    private void launchSteps(int from, int to, SkipPattern pattern) {
        for (int i = from; i < to; i++) {
            if (!pattern.skips(i - from)) {
                step(i).run();
            }
        }
    }

    /**
     * The range as an instantiated graph, or null when a step cannot be captured: then the range runs
     * eagerly from now on (one line on stderr says which steps and why). Nothing captured has run.
     */
    private CUgraphExec_st capture(int from, int to, SkipPattern pattern, Captured g) {
        CUgraph_st graph = new CUgraph_st();
        CudaContext.check(cudart.cudaStreamBeginCapture(ctx.stream, cudart.cudaStreamCaptureModeThreadLocal),
                "cudaStreamBeginCapture");
        try {
            launchSteps(from, to, pattern);
        } catch (RuntimeException e) {
            int ended = cudart.cudaStreamEndCapture(ctx.stream, graph);
            if (!graph.isNull()) {
                cudart.cudaGraphDestroy(graph);
            }
            // A capture that a library broke leaves its error behind (not sticky): clear it, or the next
            // check would report it against an innocent call.
            int last = cudart.cudaGetLastError();
            g.policy.captureFailed();
            System.err.println("archway: CUDA graph capture of plan steps [" + from + ", " + to + ") failed ("
                    + e.getMessage() + "; end capture: " + cudart.cudaGetErrorString(ended).getString()
                    + "; last error: " + cudart.cudaGetErrorString(last).getString() + "): running them eagerly");
            return null;
        }
        CudaContext.check(cudart.cudaStreamEndCapture(ctx.stream, graph), "cudaStreamEndCapture");
        CUgraphExec_st exec = new CUgraphExec_st();
        CudaContext.check(cudart.cudaGraphInstantiate(exec, graph, 0L), "cudaGraphInstantiate");
        CudaContext.check(cudart.cudaGraphDestroy(graph), "cudaGraphDestroy");
        return exec;
    }

    /** Destroys every captured graph (a network made and dropped per trial would otherwise leave its graphs behind). */
    @Override
    public void close() {
        for (Captured g : graphs.values()) {
            destroy(g);
        }
        graphs.clear();
    }

    private void launch(CUgraphExec_st exec) {
        CudaContext.check(cudart.cudaGraphLaunch(exec, ctx.stream), "cudaGraphLaunch");
    }

    private static void destroy(Captured g) {
        if (g.exec != null) {
            cudart.cudaGraphExecDestroy(g.exec);
            g.exec = null;
        }
    }
}

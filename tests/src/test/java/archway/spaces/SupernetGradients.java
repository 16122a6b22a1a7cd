package archway.spaces;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.bindings.cpu.CpuLibrary;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;

/**
 * Finite-difference checks of a supernet's gradients: mixing weights set to a random softmax per row,
 * one random batch, then dL/dp (MIX) or dL/dw (WEIGHT) from the plan against central differences of
 * the loss on sampled entries. Float32 tolerances, loose per entry: ReLU and max-pool kinks and
 * batch-norm over few samples make these tiny supernets rough at the finite-difference scale (the
 * NB201 supernet shows the same scatter), so a small step is used and the sampled gradient as a whole
 * must also agree to a few percent. Routing bugs give errors of order 100%.
 */
final class SupernetGradients {
    private SupernetGradients() {
    }

    /**
     * Random softmax rows in every [rows, cols] MIX block (none at exactly zero, so no candidate is skipped);
     * rank-1 blocks (edge-normalisation weights, the auxiliary skip weight) get positive weights around 1.
     */
    static void randomMix(ParamStore p, List<String> blocks, Random r) {
        MemorySegment mix = CpuBuffer.segment(p.mix());
        for (String b : blocks) {
            ParamStore.Entry e = p.entry(b);
            if (e.shape().length == 1) {
                for (int i = 0; i < e.shape()[0]; i++) {
                    mix.setAtIndex(ValueLayout.JAVA_FLOAT, e.offset() + i, (float) Math.exp(0.5 * r.nextGaussian()));
                }
                continue;
            }
            int rows = e.shape()[0], cols = e.shape()[1];
            for (int row = 0; row < rows; row++) {
                double[] a = new double[cols];
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    a[c] = Math.exp(r.nextGaussian());
                    sum += a[c];
                }
                for (int c = 0; c < cols; c++) {
                    mix.setAtIndex(ValueLayout.JAVA_FLOAT, e.offset() + (long) row * cols + c, (float) (a[c] / sum));
                }
            }
        }
    }

    /** A random batch (images N(0,1), labels in [0, classes)). */
    static void randomBatch(Pass pass, int classes, Random r) {
        MemorySegment img = CpuBuffer.segment(pass.images());
        long n = img.byteSize() / Float.BYTES;
        for (long i = 0; i < n; i++) {
            img.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextGaussian());
        }
        for (int i = 0; i < pass.batch(); i++) {
            CpuBuffer.segment(pass.labels()).setAtIndex(ValueLayout.JAVA_INT, i, r.nextInt(classes));
        }
    }

    /**
     * Checks {@code samples} random entries of the flat buffer of {@code kind} (MIX or WEIGHT) inside
     * the given entries, returns the largest |analytic| seen (so callers can assert the check was not vacuous).
     */
    static double check(Network net, int batch, int classes, ValueKind kind, List<String> entries, int samples,
                        double h, long seed) {
        // One thread: OpenMP spinning on a shared machine slows these many tiny passes down badly.
        CpuLibrary.setThreads(1);
        Random r = new Random(seed);
        ParamStore p = net.params();
        if (kind == ValueKind.MIX) {
            randomMix(p, entries, r);
        }
        Pass pass = net.pass(batch, Mode.TRAIN, kind);
        randomBatch(pass, classes, r);
        pass.forward();
        pass.backward();
        MemorySegment values = kind == ValueKind.MIX ? CpuBuffer.segment(p.mix()) : CpuBuffer.segment(p.weights());
        MemorySegment grads = kind == ValueKind.MIX ? CpuBuffer.segment(p.mixGrads()) : CpuBuffer.segment(p.weightGrads());
        double largest = 0, errSq = 0, numSq = 0;
        for (int s = 0; s < samples; s++) {
            ParamStore.Entry e = p.entry(entries.get(s % entries.size()));
            long i = e.offset() + r.nextLong(e.size());
            double analytic = grads.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            float orig = values.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            values.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (orig + h));
            pass.forward();
            double up = pass.loss();
            values.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (orig - h));
            pass.forward();
            double down = pass.loss();
            values.setAtIndex(ValueLayout.JAVA_FLOAT, i, orig);
            double numeric = (up - down) / (2 * h);
            largest = Math.max(largest, Math.abs(analytic));
            errSq += (numeric - analytic) * (numeric - analytic);
            numSq += numeric * numeric;
            // The loss is a float: up - down is known to an ulp of the loss each, which at a loss of 34
            // (the DARTS variant below) and h = 5e-4 is 0.004 of the difference quotient by itself.
            double resolution = (Math.ulp((float) up) + Math.ulp((float) down)) / (2 * h);
            assertTrue(Math.abs(numeric - analytic) <= 5e-3 + 0.15 * Math.abs(numeric) + resolution,
                    e.name() + "[" + (i - e.offset()) + "]: analytic " + analytic + " vs finite difference " + numeric);
        }
        double relative = Math.sqrt(errSq / Math.max(numSq, 1e-30));
        assertTrue(relative < 0.08, "relative error of the sampled gradient " + relative);
        return largest;
    }
}

package archway.graph;

import archway.bindings.cpu.RandomKernels;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import archway.spaces.nb201.Nb201Network;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Small networks and data for engine tests. */
final class TinyNets {
    static final int CLASSES = 3;

    private TinyNets() {
    }

    /** A 2-channel, 1-cell NB201 supernet on 8x8 single-channel images. */
    static Network supernet(long seed) {
        return new Network(Nb201Network.supernet(2, 1, CLASSES), 1, 8, 8, seed);
    }

    /** Random N(0,1) images and fixed labels into the pass. */
    static void randomBatch(Pass p, long seed) {
        MemorySegment img = CpuBuffer.segment(p.images());
        long n = img.byteSize() / Float.BYTES;
        RandomKernels.normal(img, n, seed, 99, 0);
        for (int i = 0; i < p.batch(); i++) {
            CpuBuffer.segment(p.labels()).setAtIndex(ValueLayout.JAVA_INT, i, i % CLASSES);
        }
    }

    /** Softmax-like mixing weights with a little variety (rows sum to 1). */
    static void setMix(Network net, double[] p) {
        MemorySegment mix = CpuBuffer.segment(net.params().mix());
        for (int i = 0; i < p.length; i++) {
            mix.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) p[i]);
        }
    }

    static double[] uniformRows(int rows, int cols) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                p[r * cols + c] = (1.0 + 0.3 * Math.sin(r * 7 + c * 3)) / cols;
            }
        }
        return p;
    }
}

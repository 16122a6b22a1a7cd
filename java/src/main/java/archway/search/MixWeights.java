package archway.search;

import archway.graph.ParamStore;
import archway.runtime.Buffer;
import java.util.List;

/**
 * Copies the search algorithm's mixing-weight vector (all MIX blocks concatenated, row-major) into the
 * model's flat mix buffer, and reads back dL/dp from the mix-gradient buffer.
 */
final class MixWeights {
    private final ParamStore params;
    private final long[] offsets;
    private final int[] lengths;
    private final int total;

    MixWeights(ParamStore params, List<String> blocks) {
        this.params = params;
        this.offsets = new long[blocks.size()];
        this.lengths = new int[blocks.size()];
        int t = 0;
        for (int i = 0; i < blocks.size(); i++) {
            ParamStore.Entry e = params.entry(blocks.get(i));
            offsets[i] = e.offset();
            lengths[i] = Math.toIntExact(e.size());
            t += lengths[i];
        }
        this.total = t;
    }

    int size() { return total; }

    void write(double[] p) {
        copyIn(params.mix(), p);
    }

    double[] readGrad() {
        return copyOut(params.mixGrads());
    }

    private void copyIn(Buffer dst, double[] v) {
        if (v.length != total) {
            throw new IllegalArgumentException("mixing weights: expected " + total + " values, got " + v.length);
        }
        int pos = 0;
        for (int b = 0; b < offsets.length; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                dst.set(offsets[b] + i, (float) v[pos++]);
            }
        }
    }

    private double[] copyOut(Buffer src) {
        double[] out = new double[total];
        int pos = 0;
        for (int b = 0; b < offsets.length; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                out[pos++] = src.get(offsets[b] + i);
            }
        }
        return out;
    }
}

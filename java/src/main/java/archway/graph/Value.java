package archway.graph;

import java.util.Arrays;

/**
 * A tensor of static shape in a traced graph. Storage is resolved at plan time: arena offsets for
 * activations, aux tensors and activation gradients; spans of the flat stores for weights, state and
 * mixing weights; dedicated buffers for inputs and labels.
 */
public final class Value implements archway.runtime.Operand {
    final int id;
    final String name;
    final int[] shape;
    final long size;
    final ValueKind kind;
    /** For GRAD values: the activation whose gradient this is. */
    final Value gradOf;
    /** For WEIGHT, STATE, MIX values: the store entry. */
    final ParamStore.Entry entry;

    Value(int id, String name, int[] shape, ValueKind kind, Value gradOf, ParamStore.Entry entry) {
        this.id = id;
        this.name = name;
        this.shape = shape.clone();
        long s = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("value " + name + ": non-positive dimension in " + Arrays.toString(shape));
            }
            s *= d;
        }
        this.size = s;
        this.kind = kind;
        this.gradOf = gradOf;
        this.entry = entry;
    }

    @Override
    public String name() { return name; }

    public int[] shape() { return shape.clone(); }

    public int dim(int i) { return shape[i]; }

    public int rank() { return shape.length; }

    /** Number of elements. */
    @Override
    public long size() { return size; }

    public ValueKind kind() { return kind; }

    /** Batch dimension (first). */
    public int n() { return shape[0]; }

    /** Channels of an NCHW or [N, F] value. */
    public int c() { return shape[1]; }

    public int h() { return shape.length == 4 ? shape[2] : 1; }

    public int w() { return shape.length == 4 ? shape[3] : 1; }

    /** Spatial size H*W (1 for rank-2 values). */
    public int hw() { return h() * w(); }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + ":" + kind;
    }
}

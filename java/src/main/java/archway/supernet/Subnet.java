package archway.supernet;

import archway.graph.Mode;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.Buffer;
import archway.spaces.mbv3.Mbv3Arch;

/**
 * One subnet of a supernet as a standalone network (its own weights, gradients and passes) with the map of
 * its weights into the supernet's: weights are copied in before a pass ({@link #pullWeights}) and its
 * gradients added back after it ({@link #pushGradients}). Closing it frees the network.
 */
public final class Subnet implements AutoCloseable {
    private final Mbv3Arch arch;
    private final Network net;
    private final SliceMap map;
    private final float[] scratch;

    Subnet(Mbv3Arch arch, Network net, SliceMap map) {
        this.arch = arch;
        this.net = net;
        this.map = map;
        this.scratch = new float[map.partLength()];
    }

    public Mbv3Arch arch() { return arch; }

    public Network network() { return net; }

    public SliceMap map() { return map; }

    /** Copies this subnet's slices of {@code whole} (the supernet's weights, read to the host) into its weights. */
    public void pullWeights(float[] whole) {
        map.gather(whole, scratch);
        net.params().weights().write(0, scratch);
    }

    /** Adds this subnet's weight gradients into {@code wholeGrads} (the supernet's, on the host). */
    public void pushGradients(float[] wholeGrads) {
        net.params().weightGrads().read(0, scratch);
        map.scatterAdd(scratch, wholeGrads);
    }

    /**
     * This subnet's share of a sandwich step: weights pulled from {@code weights}, one TRAIN-mode forward and
     * backward pass on the batch ({@code batch} images and int labels), its gradient added into {@code grads}.
     * Returns its (mean cross-entropy) loss.
     */
    public float accumulateStep(float[] weights, Buffer images, Buffer labels, int batch, float[] grads) {
        pullWeights(weights);
        Pass pass = net.pass(batch, Mode.TRAIN, ValueKind.WEIGHT);
        pass.load(images, labels);
        pass.forward();
        float loss = pass.loss();
        if (Float.isFinite(loss)) {
            pass.backward();
            pushGradients(grads);
        }
        return loss;
    }

    @Override
    public void close() {
        net.close();
    }
}

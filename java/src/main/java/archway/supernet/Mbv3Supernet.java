package archway.supernet;

import archway.UserError;
import archway.data.DataFormatException;
import archway.data.EvalBatches;
import archway.graph.Graph;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.run.Checkpoint;
import archway.run.RunDirectory;
import archway.run.RunIoError;
import archway.runtime.Backends;
import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3Network;
import archway.train.BatchNormCalibration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The once-for-all supernet of the mbv3 space (docs/SUPERNET.md): the weights of the largest subnet (4 layers
 * per stage, 7x7 kernels, expand 6), from which every subnet is sliced ({@link SliceMap}: kernel centre crops,
 * first channels, first layers). Its weights and gradients are one flat buffer each, the parameter store of the
 * largest network traced without plans.
 *
 * <p>For the FlatNAS evaluator: {@link #load} a trained run, then {@link #initialise(Network, Mbv3Arch, EvalBatches)} a
 * candidate built by {@link Mbv3Network#discrete} for the same classes and input channels (any resolution).
 * {@link #identity()} names the weights (SHA-256), for trial specs.
 */
public final class Mbv3Supernet implements AutoCloseable {
    /** Checkpoint sections of a supernet run: weights and [in channels, resolution, classes]. */
    static final String WEIGHTS = "supernet.weights";
    static final String SHAPE = "supernet.shape";

    private final ParamStore store;
    private final int inChannels, resolution, classes;
    private final long seed;

    private Mbv3Supernet(int inChannels, int resolution, int classes, long seed) {
        if (inChannels < 1 || resolution < 1 || classes < 1) {
            throw new IllegalArgumentException("supernet needs positive channels, resolution and classes, got "
                    + inChannels + ", " + resolution + ", " + classes);
        }
        this.inChannels = inChannels;
        this.resolution = resolution;
        this.classes = classes;
        this.seed = seed;
        this.store = new ParamStore(Backends.standard(), seed);
        Graph g = new Graph(store);
        Mbv3Network.discrete(Mbv3Arch.largest(), classes).build(g, g.input("images", 1, inChannels, resolution, resolution));
    }

    /**
     * A fresh supernet for images of {@code inChannels} x {@code resolution}^2 and {@code classes} classes, its
     * weights initialised from {@code seed} exactly as a network of the largest subnet with that seed would be.
     */
    public static Mbv3Supernet create(int inChannels, int resolution, int classes, long seed) {
        Mbv3Supernet s = new Mbv3Supernet(inChannels, resolution, classes, seed);
        s.store.allocate();
        return s;
    }

    /**
     * The supernet of a {@code nas supernet train} run directory, from its latest checkpoint (the end of the last
     * finished epoch). Bad directories are one {@link UserError}.
     */
    public static Mbv3Supernet load(Path runDir) {
        Path file = new RunDirectory(runDir).checkpoint();
        if (!Files.isRegularFile(file)) {
            throw new UserError("supernet " + runDir + ": no " + file.getFileName()
                    + " (not a nas supernet train run, or no epoch finished yet)");
        }
        Checkpoint ck;
        try {
            ck = Checkpoint.read(file);
        } catch (IOException e) {
            throw new RunIoError(file, "cannot read supernet checkpoint", e);
        }
        if (!ck.has(SHAPE) || !ck.has(WEIGHTS)) {
            throw new UserError("supernet " + runDir + ": " + file.getFileName() + " is not a supernet checkpoint");
        }
        double[] shape = ck.getDoubles(SHAPE, 3);
        Mbv3Supernet s = new Mbv3Supernet((int) shape[0], (int) shape[1], (int) shape[2], 0);
        try {
            s.store.allocate();
            ck.getFloats(WEIGHTS, s.store.weights(), s.store.flatLength(ValueKind.WEIGHT));
        } catch (RuntimeException e) {
            s.close();
            throw e instanceof DataFormatException d ? new UserError("supernet " + file + ": " + d.getMessage()) : e;
        }
        return s;
    }

    /** Adds this supernet's weights and shape to a checkpoint. */
    void saveTo(Checkpoint ck) {
        ck.putDoubles(SHAPE, new double[] {inChannels, resolution, classes})
                .putFloats(WEIGHTS, store.weights(), store.flatLength(ValueKind.WEIGHT));
    }

    /** Reads the weights of a checkpoint written by {@link #saveTo} for the same shape. */
    void loadFrom(Checkpoint ck) {
        double[] shape = ck.getDoubles(SHAPE, 3);
        if (shape[0] != inChannels || shape[1] != resolution || shape[2] != classes) {
            throw new DataFormatException("supernet checkpoint is for " + (int) shape[0] + "x" + (int) shape[1] + "^2 images and "
                    + (int) shape[2] + " classes, not " + inChannels + "x" + resolution + "^2 and " + classes);
        }
        ck.getFloats(WEIGHTS, store.weights(), store.flatLength(ValueKind.WEIGHT));
    }

    /** The shared weights, their gradients and (unused) running statistics. */
    public ParamStore params() { return store; }

    public int inChannels() { return inChannels; }

    /** The resolution it was traced (and trained) at; subnets run at any resolution. */
    public int resolution() { return resolution; }

    public int classes() { return classes; }

    /** Parameters of the largest subnet (all shared weights). */
    public long weightCount() { return store.weightCount(); }

    /** All shared weights on the host (a copy). */
    public float[] hostWeights() {
        float[] w = new float[Math.toIntExact(store.flatLength(ValueKind.WEIGHT))];
        store.weights().read(0, w);
        return w;
    }

    /** Sets the supernet's gradient buffer to {@code grads} (host, one float per flat weight). */
    public void setGradients(float[] grads) {
        store.weightGrads().write(0, grads);
    }

    /** SHA-256 (hex) of the shared weights as float32 little endian: the same weights, the same identity. */
    public String identity() {
        float[] w = hostWeights();
        ByteBuffer b = ByteBuffer.allocate(w.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(w);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new standalone network of {@code arch} at the supernet's resolution holding its slices of the current
     * weights (its running statistics are the initial ones: recalibrate before evaluating). Close it.
     */
    public Subnet subnet(Mbv3Arch arch) {
        Subnet s = emptySubnet(arch);
        s.pullWeights(hostWeights());
        return s;
    }

    /** A subnet whose weights are still its own initial ones (the caller pulls the supernet's in). */
    Subnet emptySubnet(Mbv3Arch arch) {
        Network net = new Network(store.backend(), Mbv3Network.discrete(arch, classes), inChannels, resolution,
                resolution, seed);
        try {
            return new Subnet(arch, net, SliceMap.weights(store, net.params()));
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Copies the supernet's slices into the weights of {@code candidate}, a network built by
     * {@code Mbv3Network.discrete(arch, classes())} on {@link #inChannels()} channels at any resolution. Running
     * statistics are left as they are.
     *
     * @throws IllegalArgumentException when the candidate's weights are not those of {@code arch} in this supernet
     */
    public void copyWeights(Network candidate, Mbv3Arch arch) {
        ParamStore p = candidate.params();
        Mbv3Count expected = Mbv3Count.of(arch, inChannels, 1, classes);
        if (p.weightCount() != expected.params()) {
            throw new IllegalArgumentException("candidate has " + p.weightCount() + " weights, " + arch + " on "
                    + inChannels + " channels with " + classes + " classes has " + expected.params());
        }
        SliceMap map = SliceMap.weights(store, p);
        float[] part = new float[map.partLength()];
        map.gather(hostWeights(), part);
        p.weights().write(0, part);
    }

    /**
     * Starts a candidate from the supernet: {@link #copyWeights} and then batch-norm statistics recalibrated on
     * {@code calibration} (training images; see {@link BatchNormCalibration}).
     */
    public void initialise(Network candidate, Mbv3Arch arch, EvalBatches calibration) {
        copyWeights(candidate, arch);
        BatchNormCalibration.recalibrate(candidate, calibration);
    }

    @Override
    public void close() {
        store.close();
    }
}

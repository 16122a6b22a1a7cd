package archway.nachos;

/**
 * The exit classifier attached to a C x H x H feature map:
 * [MaxPool k] -> ReLU -> Conv3x3(C->32) -> ReLU -> Conv3x3(32->64) -> ReLU -> Conv3x3(64->128) -> ReLU -> flatten
 * -> Linear(classes + 1), the extra output being the exit confidence's logit. Convolutions keep the size
 * (stride 1, padding 1); the max-pool (kernel = stride = k, k in {1, 2, 4}) shrinks it to floor(H / k).
 */
public record ExitClassifier(int channels, int size, int pool, int classes) {
    /** Pool kernels tried in order by the prepending rule (1 = no pooling). */
    public static final int[] POOLS = {1, 2, 4};
    static final int[] WIDTHS = {32, 64, 128};

    public ExitClassifier {
        if (channels < 1 || classes < 1 || pool < 1 || size / pool < 1) {
            throw new IllegalArgumentException("bad exit classifier: channels " + channels + ", size " + size
                    + ", pool " + pool + ", classes " + classes);
        }
    }

    /** Spatial size after the max-pool. */
    public int pooledSize() {
        return size / pool;
    }

    /**
     * Multiply-accumulates for one image: convolutions, the linear layer and, as the graph counts a pooling op, k*k
     * per pooled output (activations count none, as in the backbone count).
     */
    public long macs() {
        long area = (long) pooledSize() * pooledSize();
        long macs = pool > 1 ? (long) pool * pool * channels * area : 0;
        int in = channels;
        for (int w : WIDTHS) {
            macs += 9L * in * w * area;
            in = w;
        }
        return macs + in * area * (classes + 1);
    }

    /** Weights and the linear layer's bias (convolutions without bias, no BN: see {@link EarlyExitNetwork}). */
    public long params() {
        long params = 0;
        int in = channels;
        for (int w : WIDTHS) {
            params += 9L * in * w;
            in = w;
        }
        long flat = (long) in * pooledSize() * pooledSize();
        return params + flat * (classes + 1) + classes + 1;
    }
}

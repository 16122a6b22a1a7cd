package archway.optim;

import archway.runtime.Backend;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.FlatOps;

/**
 * Sharpness-aware minimisation (Foret et al.) and its adaptive variant (ASAM, Kwon et al.) on one flat weight
 * span, wrapped around any base optimiser: with the gradient g at w in the gradient buffer, {@link #perturb}
 * saves w and moves it to w + e, where
 * <ul>
 *   <li>SAM: e = rho g / ||g||;</li>
 *   <li>adaptive: e = rho T^2 g / ||T g||, T = |w| + eta elementwise.</li>
 * </ul>
 * The caller then recomputes the gradient at w + e, calls {@link #restore} (w back, bit for bit) and lets the
 * base optimiser (e.g. {@link Sgd}) step with that gradient. Everything runs on the backend's flat buffers; the
 * only extra memory is one copy of the weights (and one scratch span for the adaptive variant).
 */
public final class Sam implements AutoCloseable {
    public enum Kind { SAM, ADAPTIVE }

    /** ASAM's default eta (Kwon et al.). */
    public static final float DEFAULT_ETA = 0.01f;

    private final FlatOps flat;
    private final Buffer weights, grads, saved, scratch;
    private final long n;
    private final float rho, eta;
    private final Kind kind;
    private final BufferArena arena;
    private boolean perturbed;

    public Sam(Backend backend, Buffer weights, Buffer grads, long n, Kind kind, float rho, float eta) {
        if (rho < 0) {
            throw new IllegalArgumentException("rho must be >= 0, got " + rho);
        }
        this.flat = backend.flat();
        this.weights = weights;
        this.grads = grads;
        this.n = n;
        this.kind = kind;
        this.rho = rho;
        this.eta = eta;
        this.arena = backend.arena();
        this.saved = arena.allocate(Math.max(1, n));
        this.scratch = kind == Kind.ADAPTIVE ? arena.allocate(Math.max(1, n)) : null;
    }

    /** Saves w and moves it to w + e; returns ||e|| (0 when the gradient is 0: then w stays). */
    public double perturb() {
        if (perturbed) {
            throw new IllegalStateException("perturb() twice without restore()");
        }
        flat.copy(weights, saved, n);
        perturbed = true;
        Buffer direction;
        double norm;
        if (kind == Kind.SAM) {
            direction = grads;
            norm = Math.sqrt(flat.sumsq(grads, n));
        } else {
            flat.asamDirection(weights, grads, scratch, n, eta);     // T^2 g
            direction = scratch;
            norm = Math.sqrt(flat.dot(scratch, grads, n));            // ||T g||
        }
        if (norm == 0 || !Double.isFinite(norm)) {
            return 0;
        }
        flat.axpy((float) (rho / norm), direction, weights, n);
        return kind == Kind.SAM ? rho : rho * Math.sqrt(flat.sumsq(scratch, n)) / norm;
    }

    /** Puts the saved weights back. */
    public void restore() {
        if (!perturbed) {
            throw new IllegalStateException("restore() without perturb()");
        }
        flat.copy(saved, weights, n);
        perturbed = false;
    }

    public Kind kind() { return kind; }

    public float rho() { return rho; }

    @Override
    public void close() {
        arena.close();
    }
}

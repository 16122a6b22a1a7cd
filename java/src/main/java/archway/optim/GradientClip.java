package archway.optim;

import archway.runtime.Buffer;
import archway.runtime.FlatOps;

/** Global gradient-norm clipping over one flat span (torch.nn.utils.clip_grad_norm_). */
public final class GradientClip {
    private GradientClip() {
    }

    /** Scales the gradients so their L2 norm is at most maxNorm; returns the norm before clipping. */
    public static double clip(FlatOps flat, Buffer grads, long n, double maxNorm) {
        double norm = Math.sqrt(flat.sumsq(grads, n));
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            flat.scale(grads, n, (float) coef);
        }
        return norm;
    }
}

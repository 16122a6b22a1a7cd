/* Per-element optimiser updates (PyTorch semantics), shared by the CPU and CUDA kernels. */
#ifndef ARCHWAY_MATH_OPTIM_H
#define ARCHWAY_MATH_OPTIM_H
#include <math.h>
#include "hd.h"

namespace archway {

/* SGD without dampening: g' = g + wd w; buf = momentum buf + g' (buf starts at zero, so the first
 * step gives buf = g' as in PyTorch); step = nesterov ? g' + momentum buf : buf; w -= lr step.
 * buf may be null when momentum == 0. */
ARCHWAY_HD void sgd_update(float* w, float g, float* buf, float lr, float momentum, float wd, int nesterov) {
  float gp = g + wd * *w;
  if (buf != 0) {
    float b = momentum * *buf + gp;
    *buf = b;
    gp = nesterov ? gp + momentum * b : b;
  }
  *w -= lr * gp;
}

/* Per-step Adam constants: step_size = lr / (1 - beta1^t), inv_bc2_sqrt = 1 / sqrt(1 - beta2^t), in double. */
ARCHWAY_HD void adam_constants(float lr, float beta1, float beta2, int t, float* step_size, float* inv_bc2_sqrt) {
  const double bc1 = 1.0 - pow((double)beta1, (double)t), bc2 = 1.0 - pow((double)beta2, (double)t);
  *step_size = (float)((double)lr / bc1);
  *inv_bc2_sqrt = (float)(1.0 / sqrt(bc2));
}

/* Adam / AdamW. bc1 = 1 - beta1^t, bc2_sqrt = sqrt(1 - beta2^t) (per step, computed once by the caller).
 * decoupled: w *= 1 - lr wd before the Adam step; else wd w is added to the gradient (L2).
 * w -= (lr / bc1) m / (sqrt(v) / bc2_sqrt + eps), the form PyTorch uses. */
ARCHWAY_HD void adam_update(float* w, float g, float* m, float* v, float lr, float beta1, float beta2, float eps,
                            float wd, int decoupled, float step_size, float inv_bc2_sqrt) {
  float wv = *w;
  if (decoupled) wv *= 1.0f - lr * wd;
  else g += wd * wv;
  float mv = beta1 * *m + (1.0f - beta1) * g;
  float vv = beta2 * *v + (1.0f - beta2) * g * g;
  *m = mv;
  *v = vv;
  *w = wv - step_size * mv / (sqrtf(vv) * inv_bc2_sqrt + eps);
}

}  // namespace archway
#endif

/* Elementwise activations and their derivatives, shared by the CPU and CUDA kernels.
 * Codes follow archway.h: 0 relu, 1 sigmoid, 2 hswish, 3 hsigmoid. */
#ifndef ARCHWAY_MATH_ACTIVATION_H
#define ARCHWAY_MATH_ACTIVATION_H
#include <math.h>
#include "hd.h"

namespace archway {

ARCHWAY_HD float relu_fwd(float x) { return x > 0.0f ? x : 0.0f; }
ARCHWAY_HD float relu_grad(float x) { return x > 0.0f ? 1.0f : 0.0f; }

/* exp(-x) overflows to inf for very negative x, which still gives the right limit 0. */
ARCHWAY_HD float sigmoid_fwd(float x) { return 1.0f / (1.0f + expf(-x)); }
ARCHWAY_HD float sigmoid_grad(float x) {
  float s = sigmoid_fwd(x);
  return s * (1.0f - s);
}

ARCHWAY_HD float relu6(float x) { return fminf(fmaxf(x, 0.0f), 6.0f); }
ARCHWAY_HD float hsigmoid_fwd(float x) { return relu6(x + 3.0f) * (1.0f / 6.0f); }
/* PyTorch convention: zero at the kinks x = -3 and x = 3. */
ARCHWAY_HD float hsigmoid_grad(float x) { return (x > -3.0f && x < 3.0f) ? (1.0f / 6.0f) : 0.0f; }

ARCHWAY_HD float hswish_fwd(float x) { return x * relu6(x + 3.0f) * (1.0f / 6.0f); }
/* d/dx x relu6(x+3)/6 = (2x + 3)/6 inside (-3, 3); 0 below, 1 above. */
ARCHWAY_HD float hswish_grad(float x) {
  if (x < -3.0f) return 0.0f;
  if (x > 3.0f) return 1.0f;
  return fmaf(x, 1.0f / 3.0f, 0.5f); /* fused, as the CPU kernel has always computed it */
}

/* dx (+)= dy * d with d = activation'(x), rounded as the CPU kernel's vectorised loop rounds it (pinned
 * bit for bit by native/test/hd_equivalence.cpp): one fused multiply-add for relu, sigmoid and
 * hsigmoid; for hswish GCC keeps the product separate, so `fused` is false there. */
ARCHWAY_HD float act_bwd_at(float dy, float d, float prev, int accumulate, bool fused) {
  if (!accumulate) return dy * d;
  return fused ? fmaf(dy, d, prev) : prev + mul_rounded(dy, d);
}
ARCHWAY_HD bool act_bwd_fused(int kind) { return kind != 2; /* ARCHWAY_ACT_HSWISH */ }

}  // namespace archway
#endif

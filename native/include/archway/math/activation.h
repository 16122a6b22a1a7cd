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
  return x * (1.0f / 3.0f) + 0.5f;
}

}  // namespace archway
#endif

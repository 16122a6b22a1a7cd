/* Convolution index math shared by the CPU kernels (native/src/conv2d*.cpp) and the CUDA kernels.
 *
 * One spatial axis: output position o, kernel tap t maps to input position
 *   i = o * stride - pad + t * dil,
 * and the tap contributes only when 0 <= i < size (zero padding). Everything below derives from that. */
#ifndef ARCHWAY_MATH_CONV2D_H
#define ARCHWAY_MATH_CONV2D_H

#include <stdint.h>
#include "archway/math/hd.h"

namespace archway {

/* Output extent along one axis; <= 0 means the window does not fit. */
ARCHWAY_HD int32_t conv_out_size(int32_t in, int32_t kernel, int32_t stride, int32_t pad, int32_t dil) {
  return (in + 2 * pad - dil * (kernel - 1) - 1) / stride + 1;
}

/* Input coordinate read by output o through tap t. */
ARCHWAY_HD int32_t conv_in_coord(int32_t o, int32_t t, int32_t stride, int32_t pad, int32_t dil) {
  return o * stride - pad + t * dil;
}

/* Ceiling division for a possibly negative numerator and a positive denominator. */
ARCHWAY_HD int32_t conv_ceil_div(int32_t a, int32_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/* The outputs [*lo, *hi) of an axis with `out` outputs whose input coordinate through tap t lies inside
 * [0, in): the valid run that needs no padding check (empty when *lo >= *hi). */
ARCHWAY_HD void conv_valid_outputs(int32_t in, int32_t out, int32_t t, int32_t stride, int32_t pad, int32_t dil,
                                   int32_t* lo, int32_t* hi) {
  const int32_t off = t * dil - pad; /* i = o * stride + off */
  int32_t l = conv_ceil_div(-off, stride);
  int32_t h = conv_ceil_div(in - off, stride);
  if (l < 0) l = 0;
  if (h > out) h = out;
  *lo = l;
  *hi = h > l ? h : l;
}

/* The output o that reads input i through tap t, or -1 when none does (backward-data gather form). */
ARCHWAY_HD int32_t conv_out_coord(int32_t i, int32_t t, int32_t stride, int32_t pad, int32_t dil, int32_t out) {
  const int32_t num = i + pad - t * dil;
  if (num < 0 || num % stride != 0) return -1;
  const int32_t o = num / stride;
  return o < out ? o : -1;
}

/* y[b, ko, oy, ox] for x[n, c, h, w], weight[k, c/groups, kh, kw]: one output element by definition
 * (the direct formula the GPU's naive kernels and the tests' expectations share). */
ARCHWAY_HD float conv2d_fwd_at(const float* x, const float* weight, int32_t c, int32_t h, int32_t w, int32_t k,
                               int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t ph, int32_t pw, int32_t dh,
                               int32_t dw, int32_t groups, int32_t b, int32_t ko, int32_t oy, int32_t ox) {
  const int32_t cg = c / groups, kg = k / groups, g = ko / kg;
  float acc = 0.0f;
  for (int32_t ci = 0; ci < cg; ++ci) {
    const float* xp = x + ((int64_t)b * c + (int64_t)g * cg + ci) * h * w;
    const float* wp = weight + ((int64_t)ko * cg + ci) * kh * kw;
    for (int32_t ty = 0; ty < kh; ++ty) {
      const int32_t iy = conv_in_coord(oy, ty, sh, ph, dh);
      if (iy < 0 || iy >= h) continue;
      for (int32_t tx = 0; tx < kw; ++tx) {
        const int32_t ix = conv_in_coord(ox, tx, sw, pw, dw);
        if (ix < 0 || ix >= w) continue;
        acc += xp[(int64_t)iy * w + ix] * wp[ty * kw + tx];
      }
    }
  }
  return acc;
}

}  // namespace archway

#endif

// Pieces shared by the convolution translation units: argument checks, im2col / col2im rows and the
// direct depthwise kernels. Not part of the ABI.
#ifndef ARCHWAY_NATIVE_CONV2D_INTERNAL_H
#define ARCHWAY_NATIVE_CONV2D_INTERNAL_H

#include <cstdint>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "archway.h"

namespace archway::conv {

// Short row copies (8..64 floats): a libc memcpy call costs more than the copy itself. Masked on every
// step, because GCC turns a plain copy loop back into a memmove call.
inline void copy_floats(float* __restrict dst, const float* __restrict src, int64_t n) {
#if defined(__AVX512F__)
  for (int64_t i = 0; i < n; i += 16) {
    const int64_t r = n - i;
    const __mmask16 m = r >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << r) - 1);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_maskz_loadu_ps(m, src + i));
  }
#else
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
#endif
}

// Second line of defence behind Conv2dDesc: positive sizes, divisible groups, consistent oh / ow.
bool valid(const archway_conv2d_desc* d);

// Values of im2col row (channel plane xc, tap ty, tx) for output positions j in [j0, j1)
// (j = oy * ow + ox) into out[0 .. j1 - j0); zero where the tap reads padding.
void im2col_row(const archway_conv2d_desc& d, const float* xc, int ty, int tx, int64_t j0, int64_t j1, float* out);

// Inverse of im2col_row: adds in[j - j0] into the channel plane dxc wherever the tap reads the image.
void col2im_row(const archway_conv2d_desc& d, float* dxc, int ty, int tx, int64_t j0, int64_t j1, const float* in);

// Direct kernels for c / groups == 1 (depthwise, any channel multiplier k / groups).
void depthwise_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y);
void depthwise_bwd_data(const archway_conv2d_desc& d, const float* dy, const float* weight, float* dx, bool accumulate);
void depthwise_bwd_filter(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight,
                          bool accumulate);

// Winograd F(2x2, 3x3) forward (conv2d_winograd.cpp): 3x3, stride 1, dilation 1, groups 1, any padding.
bool winograd_ok(const archway_conv2d_desc& d);
void winograd_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y);

}  // namespace archway::conv

#endif

// Sibling convolutions: two convolutions of the same input x with filters w1 [k1][c][kh][kw] and
// w2 [k2][c][kh][kw], alike in everything else (the edges leaving one node of an NB201 or DARTS cell).
// Where the automatic algorithm for the merged shape (k = k1 + k2 output channels) is a vectorised
// Winograd kernel, the pair runs as that one convolution, writing (or, for the data gradient, reading)
// the two tensors in place through ChannelPlanes: x is read and transformed once, and the products are
// twice as deep (16 -> 32 output channels at 28 px: 1.36 ms for the pair against 2 x 0.83 ms, batch 64).
// Elsewhere the pair is two ordinary calls.
//
// Results. Weight gradients, and outputs where the merged shape takes the same algorithm as each
// convolution alone: each output channel's sums run over the same terms in the same order, so they are
// bit-identical to two calls (checked by the tests). The merged shape may take another tiling (in the
// avx512 build F(4x4) for 16 -> 16 + 16, where each alone takes the tile-row F(2x2)), and the data
// gradient is one sum over the k1 + k2 channels of (dy1, dy2) instead of two sums added: there the
// results differ from two calls by rounding only.
#include <cstring>
#include "archway.h"
#include "conv2d_internal.h"
#include "scratch.h"

namespace archway::conv {
namespace {

archway_conv2d_desc with_k(const archway_conv2d_desc& d, int k) {
  archway_conv2d_desc e = d;
  e.k = k;
  return e;
}

#if defined(ARCHWAY_WIDE_KERNELS)
// The kernels move channels in vectors, so the split must fall on a vector boundary.
bool split_ok(const archway_conv2d_desc& d, int k1) {
  return d.groups == 1 && k1 % VecOps::kLanes == 0 && (d.k - k1) % VecOps::kLanes == 0;
}

// [w1; w2]: the merged convolution's k x c x kh x kw filters, in the calling thread's scratch.
const float* merged_filters(const archway_conv2d_desc& d, int k1, const float* w1, const float* w2) {
  static thread_local archway::Scratch buf;
  const int64_t per_k = (int64_t)d.c * d.kh * d.kw;
  float* w = buf.grow(per_k * d.k);
  std::memcpy(w, w1, sizeof(float) * per_k * k1);
  std::memcpy(w + per_k * k1, w2, sizeof(float) * per_k * (d.k - k1));
  return w;
}
#endif

}  // namespace

// The algorithm the merged call runs per pass (an ARCHWAY_CONV_ALGO_* / ARCHWAY_CONV_BWD_*_* value), or 0
// when the pair runs as two calls.
int32_t merged_forward_algo(const archway_conv2d_desc& d, int k1) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = auto_algo(d);
  if (split_ok(d, k1) && (algo == ARCHWAY_CONV_ALGO_WINOGRAD_F4 ||
                          (algo == ARCHWAY_CONV_ALGO_WINOGRAD && winograd_fast_ok(d))))
    return algo;
#endif
  return 0;
}

int32_t merged_data_algo(const archway_conv2d_desc& d, int k1, bool relu) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = data_algo(d, ARCHWAY_CONV_BWD_AUTO, relu);
  if (split_ok(d, k1) && (algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4 ||
                          (algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD && winograd_fast_ok(flipped(d)))))
    return algo;
#endif
  return 0;
}

int32_t merged_filter_algo(const archway_conv2d_desc& d, int k1) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = filter_algo(d, ARCHWAY_CONV_BWD_AUTO);
  if (split_ok(d, k1) && (algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4 || algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD))
    return algo;
#endif
  return 0;
}

int32_t siblings_forward(const archway_conv2d_desc& d, int k1, bool relu, const float* x, const float* w1,
                         const float* w2, float* y1, float* y2) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = merged_forward_algo(d, k1);
  if (algo != 0) {
    winograd_fwd(d, ChannelPlanes::one(x, d.c, (int64_t)d.h * d.w), merged_filters(d, k1, w1, w2),
                 ChannelPlanes::two(y1, y2, d.k, k1, (int64_t)d.oh * d.ow), false, relu, nullptr,
                 algo == ARCHWAY_CONV_ALGO_WINOGRAD_F4);
    return ARCHWAY_OK;
  }
#endif
  const int32_t s = forward(with_k(d, k1), ARCHWAY_CONV_ALGO_AUTO, relu, x, w1, y1);
  return s != ARCHWAY_OK ? s : forward(with_k(d, d.k - k1), ARCHWAY_CONV_ALGO_AUTO, relu, x, w2, y2);
}

int32_t siblings_backward_data(const archway_conv2d_desc& d, int k1, const float* relu_x, const float* dy1,
                               const float* dy2, const float* w1, const float* w2, float* dx, bool accumulate) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = merged_data_algo(d, k1, relu_x != nullptr);
  if (algo != 0) {
    const archway_conv2d_desc f = flipped(d);
    const bool f4 = algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4;
    const float* w = merged_filters(d, k1, w1, w2);
    const ChannelPlanes dy = ChannelPlanes::two(dy1, dy2, d.k, k1, (int64_t)d.oh * d.ow);
    if (f4) {
      winograd_bwd_data_f4(f, dy, w, dx, accumulate, relu_x);
    } else {
      winograd_fwd(f, dy, flipped_filters(d, w), ChannelPlanes::one(dx, d.c, (int64_t)d.h * d.w), accumulate, false,
                   relu_x, false);
    }
    return ARCHWAY_OK;
  }
#endif
  const int32_t s = backward_data(with_k(d, k1), ARCHWAY_CONV_BWD_AUTO, relu_x, dy1, w1, dx, accumulate);
  return s != ARCHWAY_OK ? s : backward_data(with_k(d, d.k - k1), ARCHWAY_CONV_BWD_AUTO, relu_x, dy2, w2, dx, true);
}

int32_t siblings_backward_filter(const archway_conv2d_desc& d, int k1, bool relu, const float* x, const float* dy1,
                                 const float* dy2, float* dw1, float* dw2, bool accumulate) {
#if defined(ARCHWAY_WIDE_KERNELS)
  const int32_t algo = merged_filter_algo(d, k1);
  if (algo != 0) {
    winograd_bwd_filter(d, x, ChannelPlanes::two(dy1, dy2, d.k, k1, (int64_t)d.oh * d.ow),
                        ChannelPlanes::two(dw1, dw2, d.k, k1, (int64_t)d.c * d.kh * d.kw), accumulate, relu,
                        algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4);
    return ARCHWAY_OK;
  }
#endif
  const int32_t s = backward_filter(with_k(d, k1), ARCHWAY_CONV_BWD_AUTO, relu, x, dy1, dw1, accumulate);
  return s != ARCHWAY_OK ? s : backward_filter(with_k(d, d.k - k1), ARCHWAY_CONV_BWD_AUTO, relu, x, dy2, dw2, accumulate);
}

}  // namespace archway::conv

using namespace archway::conv;

namespace {
bool siblings_valid(const archway_conv2d_desc* d, int32_t k1) { return valid(d) && d->groups == 1 && k1 >= 1 && k1 < d->k; }
}  // namespace

extern "C" {

int32_t archway_cpu_conv2d_siblings_fwd(const archway_conv2d_desc* dp, int32_t k1, int32_t relu, const float* x,
                                        const float* w1, const float* w2, float* y1, float* y2) {
  if (!siblings_valid(dp, k1) || x == nullptr || w1 == nullptr || w2 == nullptr || y1 == nullptr || y2 == nullptr) {
    return ARCHWAY_EINVAL;
  }
  return siblings_forward(*dp, k1, relu != 0, x, w1, w2, y1, y2);
}

int32_t archway_cpu_conv2d_siblings_bwd_data(const archway_conv2d_desc* dp, int32_t k1, const float* relu_x,
                                             const float* dy1, const float* dy2, const float* w1, const float* w2,
                                             float* dx, int32_t accumulate) {
  if (!siblings_valid(dp, k1) || dy1 == nullptr || dy2 == nullptr || w1 == nullptr || w2 == nullptr || dx == nullptr) {
    return ARCHWAY_EINVAL;
  }
  return siblings_backward_data(*dp, k1, relu_x, dy1, dy2, w1, w2, dx, accumulate != 0);
}

int32_t archway_cpu_conv2d_siblings_bwd_filter(const archway_conv2d_desc* dp, int32_t k1, int32_t relu, const float* x,
                                               const float* dy1, const float* dy2, float* dw1, float* dw2,
                                               int32_t accumulate) {
  if (!siblings_valid(dp, k1) || x == nullptr || dy1 == nullptr || dy2 == nullptr || dw1 == nullptr || dw2 == nullptr) {
    return ARCHWAY_EINVAL;
  }
  return siblings_backward_filter(*dp, k1, relu != 0, x, dy1, dy2, dw1, dw2, accumulate != 0);
}

int32_t archway_cpu_conv2d_siblings_merged(const archway_conv2d_desc* dp, int32_t k1, int32_t pass) {
  if (!siblings_valid(dp, k1)) return ARCHWAY_EINVAL;
  switch (pass) {
    case 0: return merged_forward_algo(*dp, k1);
    case 1: return merged_data_algo(*dp, k1, false);
    case 2: return merged_filter_algo(*dp, k1);
    default: return ARCHWAY_EINVAL;
  }
}

}  // extern "C"

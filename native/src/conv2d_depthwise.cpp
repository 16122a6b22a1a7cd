// Direct convolution kernels for c / groups == 1 (depthwise; output channel o reads input channel
// o / (k / groups)). A depthwise 3x3 does 9 MACs per output: im2col + GEMM would be all packing and
// no arithmetic, so these walk the planes directly, vectorised along output rows.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "archway/math/conv2d.h"
#include "conv2d_internal.h"

namespace archway::conv {
namespace {

// The run of one tap along an axis: outputs [lo, hi) read input o * stride + off.
struct TapRun {
  int32_t lo, hi, off;
};

TapRun run(int32_t in, int32_t out, int32_t t, int32_t stride, int32_t pad, int32_t dil) {
  TapRun r;
  conv_valid_outputs(in, out, t, stride, pad, dil, &r.lo, &r.hi);
  r.off = t * dil - pad;
  return r;
}

}  // namespace

void depthwise_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y) {
  const int kg = d.k / d.groups, taps = d.kh * d.kw;
  const int64_t hw = (int64_t)d.h * d.w, N = (int64_t)d.oh * d.ow, planes = (int64_t)d.n * d.k;
  const int sw = d.stride_w;
#pragma omp parallel for schedule(static)
  for (int64_t pl = 0; pl < planes; ++pl) {
    const int64_t b = pl / d.k;
    const int o = (int)(pl % d.k);
    const float* xc = x + (b * d.c + o / kg) * hw;
    const float* wo = weight + (int64_t)o * taps;
    float* yo = y + pl * N;
    std::memset(yo, 0, sizeof(float) * N);
    // Taps outer, rows inner: each output accumulates its taps in (ty, tx) order.
    for (int ty = 0; ty < d.kh; ++ty) {
      const TapRun ry = run(d.h, d.oh, ty, d.stride_h, d.pad_h, d.dil_h);
      for (int tx = 0; tx < d.kw; ++tx) {
        const TapRun rx = run(d.w, d.ow, tx, sw, d.pad_w, d.dil_w);
        const float wv = wo[ty * d.kw + tx];
        for (int oy = ry.lo; oy < ry.hi; ++oy) {
          const float* xr = xc + (int64_t)(oy * d.stride_h + ry.off) * d.w;
          float* yr = yo + (int64_t)oy * d.ow;
          if (sw == 1) {
            for (int ox = rx.lo; ox < rx.hi; ++ox) yr[ox] += wv * xr[ox + rx.off];
          } else {
            for (int ox = rx.lo; ox < rx.hi; ++ox) yr[ox] += wv * xr[(int64_t)ox * sw + rx.off];
          }
        }
      }
    }
  }
}

void depthwise_bwd_data(const archway_conv2d_desc& d, const float* dy, const float* weight, float* dx,
                        bool accumulate) {
  const int kg = d.k / d.groups, taps = d.kh * d.kw;
  const int64_t hw = (int64_t)d.h * d.w, N = (int64_t)d.oh * d.ow, planes = (int64_t)d.n * d.c;
  const int sw = d.stride_w;
  // One unit per input plane: it gathers from its kg output channels, so writes never collide.
#pragma omp parallel for schedule(static)
  for (int64_t pl = 0; pl < planes; ++pl) {
    const int64_t b = pl / d.c;
    const int ci = (int)(pl % d.c);
    float* dxc = dx + pl * hw;
    if (!accumulate) std::memset(dxc, 0, sizeof(float) * hw);
    for (int m = 0; m < kg; ++m) {
      const int o = ci * kg + m;
      const float* dyo = dy + (b * d.k + o) * N;
      const float* wo = weight + (int64_t)o * taps;
      for (int ty = 0; ty < d.kh; ++ty) {
        const TapRun ry = run(d.h, d.oh, ty, d.stride_h, d.pad_h, d.dil_h);
        for (int tx = 0; tx < d.kw; ++tx) {
          const TapRun rx = run(d.w, d.ow, tx, sw, d.pad_w, d.dil_w);
          const float wv = wo[ty * d.kw + tx];
          for (int oy = ry.lo; oy < ry.hi; ++oy) {
            float* xr = dxc + (int64_t)(oy * d.stride_h + ry.off) * d.w;
            const float* gr = dyo + (int64_t)oy * d.ow;
            if (sw == 1) {
              for (int ox = rx.lo; ox < rx.hi; ++ox) xr[ox + rx.off] += wv * gr[ox];
            } else {
              for (int ox = rx.lo; ox < rx.hi; ++ox) xr[(int64_t)ox * sw + rx.off] += wv * gr[ox];
            }
          }
        }
      }
    }
  }
}

void depthwise_bwd_filter(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight,
                          bool accumulate) {
  const int kg = d.k / d.groups, taps = d.kh * d.kw;
  const int64_t hw = (int64_t)d.h * d.w, N = (int64_t)d.oh * d.ow;
  const int sw = d.stride_w;
  // One unit per output channel owns its taps' gradients. Products are summed elementwise over the
  // batch into one plane per tap (vectorises without reassociating a reduction), then each plane is
  // summed in index order.
#pragma omp parallel for schedule(static)
  for (int o = 0; o < d.k; ++o) {
    thread_local std::vector<float> acc_buf;
    if ((int64_t)acc_buf.size() < taps * N) acc_buf.resize((size_t)(taps * N));
    float* acc = acc_buf.data();
    std::memset(acc, 0, sizeof(float) * taps * N);
    const int ci = o / kg;
    for (int64_t b = 0; b < d.n; ++b) {
      const float* xc = x + (b * d.c + ci) * hw;
      const float* dyo = dy + (b * d.k + o) * N;
      for (int ty = 0; ty < d.kh; ++ty) {
        const TapRun ry = run(d.h, d.oh, ty, d.stride_h, d.pad_h, d.dil_h);
        for (int tx = 0; tx < d.kw; ++tx) {
          const TapRun rx = run(d.w, d.ow, tx, sw, d.pad_w, d.dil_w);
          float* at = acc + (int64_t)(ty * d.kw + tx) * N;
          for (int oy = ry.lo; oy < ry.hi; ++oy) {
            const float* xr = xc + (int64_t)(oy * d.stride_h + ry.off) * d.w;
            const float* gr = dyo + (int64_t)oy * d.ow;
            float* ar = at + (int64_t)oy * d.ow;
            if (sw == 1) {
              for (int ox = rx.lo; ox < rx.hi; ++ox) ar[ox] += gr[ox] * xr[ox + rx.off];
            } else {
              for (int ox = rx.lo; ox < rx.hi; ++ox) ar[ox] += gr[ox] * xr[(int64_t)ox * sw + rx.off];
            }
          }
        }
      }
    }
    for (int t = 0; t < taps; ++t) {
      const float* at = acc + (int64_t)t * N;
      double s = 0.0;
      for (int64_t j = 0; j < N; ++j) s += at[j];
      float* dw = dweight + (int64_t)o * taps + t;
      *dw = accumulate ? *dw + (float)s : (float)s;
    }
  }
}

}  // namespace archway::conv

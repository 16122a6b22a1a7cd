// Average / max pooling over windows and global average pooling. Parallel over (n, c) planes; the
// backward passes scatter within a plane, so planes never race.
#include <string.h>
#include "archway.h"
#include "archway/math/pool.h"
#include "reduce.h"

namespace {

// The descriptor must be self-consistent, or windows could leave the image.
bool valid(const archway_pool2d_desc* d) {
  if (d == nullptr || d->n < 1 || d->c < 1 || d->h < 1 || d->w < 1 || d->kh < 1 || d->kw < 1 ||
      d->stride_h < 1 || d->stride_w < 1 || d->pad_h < 0 || d->pad_w < 0 || d->pad_h >= d->kh || d->pad_w >= d->kw)
    return false;
  if (d->count_include_pad != 0 && d->count_include_pad != 1) return false;
  const int64_t oh = ((int64_t)d->h + 2 * (int64_t)d->pad_h - d->kh) / d->stride_h + 1;
  const int64_t ow = ((int64_t)d->w + 2 * (int64_t)d->pad_w - d->kw) / d->stride_w + 1;
  return (int64_t)d->h + 2 * (int64_t)d->pad_h >= d->kh && (int64_t)d->w + 2 * (int64_t)d->pad_w >= d->kw &&
         oh == d->oh && ow == d->ow;
}

archway::PoolWindow window(const archway_pool2d_desc* d, int i, int j) {
  return archway::pool_window(i, j, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w, d->pad_h, d->pad_w,
                              d->count_include_pad);
}

int64_t planes(const archway_pool2d_desc* d) { return (int64_t)d->n * d->c; }
bool big(const archway_pool2d_desc* d) { return planes(d) * d->h * d->w >= archway::kParallelMin; }

}  // namespace

extern "C" {

int32_t archway_cpu_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    float* yp = y + p * out_sz;
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) {
        const archway::PoolWindow win = window(d, i, j);
        float s = 0.0f;
        for (int r = win.h0; r < win.h1; ++r)
          for (int c = win.w0; c < win.w1; ++c) s += xp[r * d->w + c];
        yp[i * d->ow + j] = s * win.inv_count;
      }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_avgpool2d_bwd(const archway_pool2d_desc* d, const float* dy, float* dx, int32_t accumulate) {
  if (!valid(d) || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* dyp = dy + p * out_sz;
    float* dxp = dx + p * in_sz;
    if (!accumulate) memset(dxp, 0, sizeof(float) * in_sz);
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) {
        const archway::PoolWindow win = window(d, i, j);
        const float g = dyp[i * d->ow + j] * win.inv_count;
        for (int r = win.h0; r < win.h1; ++r)
          for (int c = win.w0; c < win.w1; ++c) dxp[r * d->w + c] += g;
      }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_maxpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    float* yp = y + p * out_sz;
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) yp[i * d->ow + j] = xp[archway::pool_argmax(xp, d->w, window(d, i, j))];
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_maxpool2d_bwd(const archway_pool2d_desc* d, const float* x, const float* dy, float* dx,
                                  int32_t accumulate) {
  if (!valid(d) || x == nullptr || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    const float* dyp = dy + p * out_sz;
    float* dxp = dx + p * in_sz;
    if (!accumulate) memset(dxp, 0, sizeof(float) * in_sz);
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) dxp[archway::pool_argmax(xp, d->w, window(d, i, j))] += dyp[i * d->ow + j];
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_global_avgpool_fwd(const float* x, float* y, int32_t n, int32_t c, int32_t hw) {
  if (n < 1 || c < 1 || hw < 1 || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t pl = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (pl * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < pl; ++p) {
    const float* xp = x + p * hw;
    y[p] = (float)(archway::lane_sum(hw, [xp](int64_t i) { return (double)xp[i]; }) / (double)hw);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_global_avgpool_bwd(const float* dy, float* dx, int32_t n, int32_t c, int32_t hw,
                                       int32_t accumulate) {
  if (n < 1 || c < 1 || hw < 1 || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t pl = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (pl * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < pl; ++p) {
    const float g = dy[p] / (float)hw;
    float* dxp = dx + p * hw;
    if (accumulate)
      for (int32_t i = 0; i < hw; ++i) dxp[i] += g;
    else
      for (int32_t i = 0; i < hw; ++i) dxp[i] = g;
  }
  return ARCHWAY_OK;
}

}  // extern "C"

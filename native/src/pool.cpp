// Average / max pooling over windows and global average pooling. Parallel over (n, c) planes; the
// backward passes scatter within a plane, so planes never race.
#include <string.h>
#include <algorithm>
#include <vector>
#include "archway.h"
#include "archway/math/pool.h"
#include "reduce.h"

namespace {

// The descriptor must be self-consistent, or windows could leave the image.
bool valid(const archway_pool2d_desc* d) {
  return d != nullptr && archway::pool_shape_valid(d->n, d->c, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w,
                                                   d->pad_h, d->pad_w, d->oh, d->ow, d->count_include_pad);
}

archway::PoolWindow window(const archway_pool2d_desc* d, int i, int j) {
  return archway::pool_window(i, j, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w, d->pad_h, d->pad_w,
                              d->count_include_pad);
}

int64_t planes(const archway_pool2d_desc* d) { return (int64_t)d->n * d->c; }
bool big(const archway_pool2d_desc* d) { return planes(d) * d->h * d->w >= archway::kParallelMin; }

// Stride-1 average pooling (the 3x3 "same" pool of NB201 / DARTS cells) as row sweeps the compiler
// vectorises over output columns. Every output (input cell) receives exactly the terms of the generic
// loops, in the same order, so results are bit-identical to them:
//  forward: y(i, j) = (sum over window rows r, then columns c ascending, from 0) * inv_count(i, j);
//  backward: dx(r, c) += g(i, j) for (i, j) in (i, j)-lexicographic order (columns swept with the
//  kernel offset descending, so j ascends for a fixed dx cell).
bool unit_stride(const archway_pool2d_desc* d) { return d->stride_h == 1 && d->stride_w == 1; }

float* row_scratch(int which, int64_t n) {
  thread_local std::vector<float> bufs[2];
  if ((int64_t)bufs[which].size() < n) bufs[which].resize((size_t)n);
  return bufs[which].data();
}

void avgpool_fwd_s1(const archway_pool2d_desc* d, const float* xp, float* yp) {
  float* acc = row_scratch(0, d->ow);
  for (int i = 0; i < d->oh; ++i) {
    const archway::PoolWindow rows = window(d, i, 0);
    for (int j = 0; j < d->ow; ++j) acc[j] = 0.0f;
    for (int r = rows.h0; r < rows.h1; ++r) {
      const float* xr = xp + (int64_t)r * d->w;
      for (int dc = 0; dc < d->kw; ++dc) {
        const int off = dc - d->pad_w;  // column read by output j: j + off
        const int jlo = std::max(0, -off), jhi = std::min(d->ow, d->w - off);
        for (int j = jlo; j < jhi; ++j) acc[j] += xr[j + off];
      }
    }
    float* yr = yp + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) yr[j] = acc[j] * window(d, i, j).inv_count;
  }
}

void avgpool_bwd_s1(const archway_pool2d_desc* d, const float* dyp, float* dxp) {
  float* g = row_scratch(1, d->ow);
  for (int i = 0; i < d->oh; ++i) {
    const archway::PoolWindow rows = window(d, i, 0);
    const float* dyr = dyp + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) g[j] = dyr[j] * window(d, i, j).inv_count;
    for (int r = rows.h0; r < rows.h1; ++r) {
      float* dxr = dxp + (int64_t)r * d->w;
      for (int dc = d->kw - 1; dc >= 0; --dc) {
        const int off = dc - d->pad_w;
        const int jlo = std::max(0, -off), jhi = std::min(d->ow, d->w - off);
        for (int j = jlo; j < jhi; ++j) dxr[j + off] += g[j];
      }
    }
  }
}

}  // namespace

extern "C" {

int32_t archway_cpu_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    float* yp = y + p * out_sz;
    if (unit_stride(d)) {
      avgpool_fwd_s1(d, xp, yp);
      continue;
    }
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j)
        yp[i * d->ow + j] = archway::avgpool_fwd_at(xp, i, j, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w,
                                                    d->pad_h, d->pad_w, d->count_include_pad);
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
    if (unit_stride(d)) {
      avgpool_bwd_s1(d, dyp, dxp);
      continue;
    }
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

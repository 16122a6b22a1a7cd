/* 2-D pooling windows, shared by the CPU and CUDA kernels. Output cell (i, j) covers input rows
 * [i stride_h - pad_h, + kh) and columns [j stride_w - pad_w, + kw), clipped to the image. */
#ifndef ARCHWAY_MATH_POOL_H
#define ARCHWAY_MATH_POOL_H
#include "hd.h"

namespace archway {

struct PoolWindow { int h0, h1, w0, w1; float inv_count; };

/* A self-consistent pooling shape (windows never leave the padded image; oh/ow are the floored extents). */
ARCHWAY_HD bool pool_shape_valid(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh,
                                 int ow, int count_include_pad) {
  if (n < 1 || c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || ph >= kh ||
      pw >= kw)
    return false;
  if (count_include_pad != 0 && count_include_pad != 1) return false;
  if ((long long)h + 2LL * ph < kh || (long long)w + 2LL * pw < kw) return false;
  return ((long long)h + 2LL * ph - kh) / sh + 1 == oh && ((long long)w + 2LL * pw - kw) / sw + 1 == ow;
}

/* The clipped window of output (i, j) and 1 / divisor: the full kh kw when padding counts (windows
 * never leave the padded image, because oh/ow are floored), else the number of cells inside. */
ARCHWAY_HD PoolWindow pool_window(int i, int j, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  int count_include_pad) {
  PoolWindow win;
  int hs = i * sh - ph, ws = j * sw - pw;
  win.h0 = hs < 0 ? 0 : hs;
  win.w0 = ws < 0 ? 0 : ws;
  win.h1 = hs + kh > h ? h : hs + kh;
  win.w1 = ws + kw > w ? w : ws + kw;
  int count = count_include_pad ? kh * kw : (win.h1 - win.h0) * (win.w1 - win.w0);
  win.inv_count = 1.0f / (float)count;
  return win;
}

/* Index (row * w + col) of the first maximum of a window in row-major order; NaN wins and sticks,
 * so a NaN input propagates like in PyTorch. */
ARCHWAY_HD int pool_argmax(const float* plane, int w, PoolWindow win) {
  int best = win.h0 * w + win.w0;
  float bv = plane[best];
  for (int r = win.h0; r < win.h1; ++r)
    for (int c = win.w0; c < win.w1; ++c) {
      float v = plane[r * w + c];
      if (bv != bv) return best;
      if (v > bv || v != v) { bv = v; best = r * w + c; }
    }
  return best;
}

/* Average pooling, one output (i, j) of plane xp: rows then columns ascending from 0, times 1/count
 * (the order of the CPU kernel's generic and stride-1 paths alike). */
ARCHWAY_HD float avgpool_fwd_at(const float* xp, int i, int j, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                int pw, int count_include_pad) {
  PoolWindow win = pool_window(i, j, h, w, kh, kw, sh, sw, ph, pw, count_include_pad);
  float s = 0.0f;
  for (int r = win.h0; r < win.h1; ++r)
    for (int c = win.w0; c < win.w1; ++c) s += xp[r * w + c];
  return s * win.inv_count;
}

/* Outputs [lo, hi] along one axis whose window covers input coordinate x (empty when lo > hi). */
ARCHWAY_HD void pool_covering(int x, int k, int s, int p, int out, int* lo, int* hi) {
  int a = x + p - k + 1; /* o s >= a */
  int l = a <= 0 ? 0 : (a + s - 1) / s;
  int u = (x + p) / s;    /* o s <= x + p */
  *lo = l;
  *hi = u < out - 1 ? u : out - 1;
}

/* Average-pooling backward in gather form for input cell (r, c) of plane dyp: prev (0 when
 * overwriting) plus dy(i, j)/count(i, j) over covering outputs in (i, j) order, the order in which
 * the CPU kernel scatters them. */
ARCHWAY_HD float avgpool_bwd_at(const float* dyp, float prev, int r, int c, int h, int w, int kh, int kw, int sh,
                                int sw, int ph, int pw, int oh, int ow, int count_include_pad) {
  int i0, i1, j0, j1;
  pool_covering(r, kh, sh, ph, oh, &i0, &i1);
  pool_covering(c, kw, sw, pw, ow, &j0, &j1);
  float acc = prev;
  for (int i = i0; i <= i1; ++i)
    for (int j = j0; j <= j1; ++j) {
      const float g = mul_rounded(dyp[i * ow + j],
                                  pool_window(i, j, h, w, kh, kw, sh, sw, ph, pw, count_include_pad).inv_count);
      acc += g;
    }
  return acc;
}

}  // namespace archway
#endif

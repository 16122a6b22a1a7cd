/* Index maps of the channel plumbing kernels (pure data movement), shared by the CPU and CUDA kernels.
 * The CPU walks planes; the GPU runs one thread per destination element through the same maps. */
#ifndef ARCHWAY_MATH_CHANNEL_H
#define ARCHWAY_MATH_CHANNEL_H
#include <stdint.h>
#include "hd.h"

namespace archway {

ARCHWAY_HD float store_at(float prev, float v, int accumulate) { return accumulate ? prev + v : v; }

/* Channel-range copy: element e of the [n, count, hw] block moved from src[n, src_c, hw] at channel
 * offset src_c0 to dst[n, dst_c, hw] at dst_c0. Returns the flat index in a tensor of `c` channels at c0. */
ARCHWAY_HD int64_t channel_block_index(int64_t e, int32_t count, int32_t hw, int32_t c, int32_t c0) {
  const int64_t i = e % hw, p = e / hw, ch = p % count, b = p / count;
  return (b * c + c0 + ch) * hw + i;
}

/* Channel shuffle with c = groups * cpg: output channel oc reads input channel shuffle_source(oc).
 * Forward: out i*groups+g <- in g*cpg+i. Inverse (its backward): out g*cpg+i <- in i*groups+g. */
ARCHWAY_HD int32_t shuffle_source(int32_t oc, int32_t c, int32_t groups, int inverse) {
  const int32_t cpg = c / groups;
  return inverse ? (oc % cpg) * groups + oc / cpg : (oc % groups) * cpg + oc / groups;
}

/* Spatial window y[p, r, q] = x[p, r + off_h, q + off_w]: the source of output cell (r, q), or -1
 * when it lies outside x (zero padding). */
ARCHWAY_HD int64_t shift_source(int32_t r, int32_t q, int32_t h, int32_t w, int32_t off_h, int32_t off_w) {
  const int32_t sr = r + off_h, sq = q + off_w;
  return (sr < 0 || sr >= h || sq < 0 || sq >= w) ? -1 : (int64_t)sr * w + sq;
}
/* Its adjoint (gather form): the output cell that reads input (rr, qq), or -1 when none does. */
ARCHWAY_HD int64_t shift_reader(int32_t rr, int32_t qq, int32_t oh, int32_t ow, int32_t off_h, int32_t off_w) {
  const int32_t r = rr - off_h, q = qq - off_w;
  return (r < 0 || r >= oh || q < 0 || q >= ow) ? -1 : (int64_t)r * ow + q;
}

/* Centre k x k crop of a big x big plane (ZO-DARTS++ shared kernel weights): crop cell (i, j) reads
 * full cell crop_source; full cell (r, c) is read by crop cell crop_reader, or -1 outside the centre. */
ARCHWAY_HD int32_t crop_source(int32_t i, int32_t j, int32_t big, int32_t k) {
  const int32_t off = (big - k) / 2;
  return (off + i) * big + off + j;
}
ARCHWAY_HD int32_t crop_reader(int32_t r, int32_t c, int32_t big, int32_t k) {
  const int32_t off = (big - k) / 2, i = r - off, j = c - off;
  return (i < 0 || i >= k || j < 0 || j >= k) ? -1 : i * k + j;
}

/* y[n, c, hw] = x + b[c] (the size-variable network's per-channel conv bias). */
ARCHWAY_HD float bias_at(float x, float b) { return x + b; }
/* Bias gradient db[ch] sums dy over the channel's n * hw values; term j of channel ch in (sample, pixel) order. */
struct BiasGradTerm {
  const float* dy;
  int32_t c, hw, ch;
  ARCHWAY_HD double operator()(int64_t j) const {
    return (double)dy[((j / hw) * c + ch) * (int64_t)hw + j % hw];
  }
};

}  // namespace archway
#endif

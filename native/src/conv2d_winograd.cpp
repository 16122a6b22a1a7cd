// Winograd F(2x2, 3x3) forward convolution for 3x3, stride 1, dilation 1, ungrouped convolutions.
//
// Each 2x2 output tile comes from a 4x4 input patch d: Y = A^T [ (G g G^T) .* (B^T d B) ] A, so the 36
// multiplies of a direct 2x2 tile become 16: 2.25x fewer in the products, which are 16 independent
// GEMMs M[xi] (k x tiles) = U[xi] (k x c) * V[xi] (c x tiles), xi the position in the 4x4 transformed
// tile. The transforms are additions only. Tiles of all images are cut into fixed chunks (never by
// thread count), so every output is computed the same way whatever the team size.
//
// Error: the transforms add and subtract up to 9 (input) and 4 (output) terms and G has weights 1/2,
// so float32 results differ from the direct sum by a few ulps of the largest partial sums; the kernel
// test bounds it against the double reference (tests/.../Conv2dWinogradTest).
#include <omp.h>

#include <algorithm>
#include <vector>

#include "conv2d_internal.h"
#include "gemm.h"

namespace archway::conv {
namespace {

// Tiles per work unit: V and M chunks (16 x c x T, 16 x k x T floats) stay in L2 for c, k <= 64.
constexpr int64_t kTilesPerChunk = 64;

std::vector<float>& scratch(int which) {
  thread_local std::vector<float> bufs[3];
  return bufs[which];
}

float* grow(std::vector<float>& v, int64_t n) {
  if ((int64_t)v.size() < n) v.resize((size_t)n);
  return v.data();
}

// U[xi][ko][ci] = (G g G^T)[xi] for the 3x3 filter g = weight[ko][ci].
void transform_filters(int k, int c, const float* weight, float* u) {
  const int64_t plane = (int64_t)k * c;
  for (int ko = 0; ko < k; ++ko)
    for (int ci = 0; ci < c; ++ci) {
      const float* g = weight + ((int64_t)ko * c + ci) * 9;
      float t[4][3];  // G g: 4 x 3
      for (int j = 0; j < 3; ++j) {
        t[0][j] = g[j];
        t[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
        t[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
        t[3][j] = g[6 + j];
      }
      for (int i = 0; i < 4; ++i) {  // (G g) G^T: 4 x 4
        const float r[4] = {t[i][0], 0.5f * (t[i][0] + t[i][1] + t[i][2]), 0.5f * (t[i][0] - t[i][1] + t[i][2]),
                            t[i][2]};
        for (int j = 0; j < 4; ++j) u[(i * 4 + j) * plane + (int64_t)ko * c + ci] = r[j];
      }
    }
}

}  // namespace

bool winograd_ok(const archway_conv2d_desc& d) {
  return d.kh == 3 && d.kw == 3 && d.stride_h == 1 && d.stride_w == 1 && d.dil_h == 1 && d.dil_w == 1 &&
         d.groups == 1;
}

void winograd_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y) {
  const int c = d.c, k = d.k;
  const int64_t th = (d.oh + 1) / 2, tw = (d.ow + 1) / 2, per_image = th * tw;
  const int64_t tiles = per_image * d.n, hw = (int64_t)d.h * d.w, ohw = (int64_t)d.oh * d.ow;
  std::vector<float> u((size_t)16 * k * c);
  transform_filters(k, c, weight, u.data());
  const int64_t chunks = (tiles + kTilesPerChunk - 1) / kTilesPerChunk;

#pragma omp parallel for schedule(static)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    const int64_t t0 = ch * kTilesPerChunk, nt = std::min(kTilesPerChunk, tiles - t0);
    float* v = grow(scratch(0), 16 * (int64_t)c * nt);  // V[xi][ci][t]
    float* m = grow(scratch(1), 16 * (int64_t)k * nt);  // M[xi][ko][t]
    for (int64_t t = 0; t < nt; ++t) {
      const int64_t tile = t0 + t, b = tile / per_image, rem = tile % per_image;
      const int iy0 = (int)(rem / tw) * 2 - d.pad_h, ix0 = (int)(rem % tw) * 2 - d.pad_w;
      for (int ci = 0; ci < c; ++ci) {
        const float* plane = x + (b * c + ci) * hw;
        float p[4][4];
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) {
            const int iy = iy0 + i, ix = ix0 + j;
            p[i][j] = (iy >= 0 && iy < d.h && ix >= 0 && ix < d.w) ? plane[(int64_t)iy * d.w + ix] : 0.0f;
          }
        float q[4][4];  // B^T p
        for (int j = 0; j < 4; ++j) {
          q[0][j] = p[0][j] - p[2][j];
          q[1][j] = p[1][j] + p[2][j];
          q[2][j] = p[2][j] - p[1][j];
          q[3][j] = p[1][j] - p[3][j];
        }
        for (int i = 0; i < 4; ++i) {  // (B^T p) B
          const float r[4] = {q[i][0] - q[i][2], q[i][1] + q[i][2], q[i][2] - q[i][1], q[i][1] - q[i][3]};
          for (int j = 0; j < 4; ++j) v[((int64_t)(i * 4 + j) * c + ci) * nt + t] = r[j];
        }
      }
    }
    for (int xi = 0; xi < 16; ++xi)
      gemm::sgemm(k, (int)nt, c, u.data() + (int64_t)xi * k * c, c, 1, v + (int64_t)xi * c * nt, nt, 1,
                  m + (int64_t)xi * k * nt, nt, false);
    for (int64_t t = 0; t < nt; ++t) {
      const int64_t tile = t0 + t, b = tile / per_image, rem = tile % per_image;
      const int oy0 = (int)(rem / tw) * 2, ox0 = (int)(rem % tw) * 2;
      for (int ko = 0; ko < k; ++ko) {
        float s[4][4];
        for (int xi = 0; xi < 16; ++xi) s[xi / 4][xi % 4] = m[((int64_t)xi * k + ko) * nt + t];
        float a[2][4];  // A^T s
        for (int j = 0; j < 4; ++j) {
          a[0][j] = s[0][j] + s[1][j] + s[2][j];
          a[1][j] = s[1][j] - s[2][j] - s[3][j];
        }
        float* out = y + (b * k + ko) * ohw;
        for (int i = 0; i < 2; ++i) {
          const int oy = oy0 + i;
          if (oy >= d.oh) break;
          const float o0 = a[i][0] + a[i][1] + a[i][2], o1 = a[i][1] - a[i][2] - a[i][3];
          out[(int64_t)oy * d.ow + ox0] = o0;
          if (ox0 + 1 < d.ow) out[(int64_t)oy * d.ow + ox0 + 1] = o1;
        }
      }
    }
  }
}

}  // namespace archway::conv

// Channel plumbing and the size-variable ops, one thread per destination element through the index maps
// of archway/math/channel.h; the channel-bias gradient is one block per channel (reduce.h's tile order).
#include "archway/math/channel.h"
#include "reduce.cuh"

using namespace archway_cuda;

namespace {

__global__ void __launch_bounds__(kReduceLanes) bias_grad_kernel(const float* dy, float* db, int32_t n, int32_t c,
                                                                int32_t hw, int32_t accumulate) {
  __shared__ double lanes[kReduceLanes];
  const int32_t ch = blockIdx.x;
  const float g = (float)block_tile_sum(archway::BiasGradTerm{dy, c, hw, ch}, 0, (int64_t)n * hw, lanes);
  if (threadIdx.x == 0) db[ch] = accumulate ? db[ch] + g : g;
}

}  // namespace

extern "C" {

int32_t archway_cuda_channel_copy(const float* src, float* dst, int32_t n, int32_t src_c, int32_t src_c0,
                                  int32_t dst_c, int32_t dst_c0, int32_t count, int32_t hw, int32_t accumulate,
                                  void* stream) {
  if (src == nullptr || dst == nullptr || n < 1 || hw < 1 || count < 0 || src_c0 < 0 || dst_c0 < 0 ||
      (int64_t)src_c0 + count > src_c || (int64_t)dst_c0 + count > dst_c)
    return ARCHWAY_EINVAL;
  return for_each((int64_t)n * count * hw, stream, [=] __device__(int64_t e) {
    const int64_t d = archway::channel_block_index(e, count, hw, dst_c, dst_c0);
    dst[d] = archway::store_at(dst[d], src[archway::channel_block_index(e, count, hw, src_c, src_c0)], accumulate);
  });
}

int32_t archway_cuda_channel_shuffle(const float* x, float* y, int32_t n, int32_t c, int32_t hw, int32_t groups,
                                     int32_t inverse, int32_t accumulate, void* stream) {
  if (x == nullptr || y == nullptr || n < 1 || c < 1 || hw < 1 || groups < 1 || c % groups != 0) return ARCHWAY_EINVAL;
  return for_each((int64_t)n * c * hw, stream, [=] __device__(int64_t e) {
    const int64_t i = e % hw, p = e / hw, b = p / c;
    const int32_t ic = archway::shuffle_source((int32_t)(p % c), c, groups, inverse);
    y[e] = archway::store_at(y[e], x[(b * c + ic) * hw + i], accumulate);
  });
}

int32_t archway_cuda_spatial_shift(const float* x, float* y, int32_t n, int32_t c, int32_t h, int32_t w, int32_t oh,
                                   int32_t ow, int32_t off_h, int32_t off_w, int32_t bwd, int32_t accumulate,
                                   void* stream) {
  if (x == nullptr || y == nullptr || n < 1 || c < 1 || h < 1 || w < 1 || oh < 1 || ow < 1) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)h * w, out_sz = (int64_t)oh * ow;
  if (!bwd)
    return for_each((int64_t)n * c * out_sz, stream, [=] __device__(int64_t e) {
      const int64_t p = e / out_sz, cell = e % out_sz;
      const int64_t s = archway::shift_source((int32_t)(cell / ow), (int32_t)(cell % ow), h, w, off_h, off_w);
      if (s >= 0) y[e] = archway::store_at(y[e], x[p * in_sz + s], accumulate);
      else if (!accumulate) y[e] = 0.0f;
    });
  // x is dy[n, c, oh, ow], y is dx[n, c, h, w]: each dx cell gathers the one output that read it.
  return for_each((int64_t)n * c * in_sz, stream, [=] __device__(int64_t e) {
    const int64_t p = e / in_sz, cell = e % in_sz;
    const int64_t r = archway::shift_reader((int32_t)(cell / w), (int32_t)(cell % w), oh, ow, off_h, off_w);
    if (r >= 0) y[e] = archway::store_at(y[e], x[p * out_sz + r], accumulate);
    else if (!accumulate) y[e] = 0.0f;
  });
}

int32_t archway_cuda_center_crop(const float* src, float* dst, int32_t planes, int32_t big, int32_t k, int32_t bwd,
                                 int32_t accumulate, void* stream) {
  if (src == nullptr || dst == nullptr || planes < 1 || k < 1 || big < k || (big - k) % 2 != 0) return ARCHWAY_EINVAL;
  const int64_t full = (int64_t)big * big, crop = (int64_t)k * k;
  if (!bwd)
    return for_each(planes * crop, stream, [=] __device__(int64_t e) {
      const int64_t p = e / crop, cell = e % crop;
      const int32_t s = archway::crop_source((int32_t)(cell / k), (int32_t)(cell % k), big, k);
      dst[e] = archway::store_at(dst[e], src[p * full + s], accumulate);
    });
  return for_each(planes * full, stream, [=] __device__(int64_t e) {
    const int64_t p = e / full, cell = e % full;
    const int32_t r = archway::crop_reader((int32_t)(cell / big), (int32_t)(cell % big), big, k);
    const float prev = accumulate ? dst[e] : 0.0f;
    dst[e] = r >= 0 ? archway::store_at(prev, src[p * crop + r], 1) : prev;
  });
}

int32_t archway_cuda_channel_bias_fwd(const float* x, const float* b, float* y, int32_t n, int32_t c, int32_t hw,
                                      void* stream) {
  if (x == nullptr || b == nullptr || y == nullptr || n < 1 || c < 1 || hw < 1) return ARCHWAY_EINVAL;
  return for_each((int64_t)n * c * hw, stream, [=] __device__(int64_t e) {
    y[e] = archway::bias_at(x[e], b[(e / hw) % c]);
  });
}

int32_t archway_cuda_channel_bias_bwd(const float* dy, float* db, int32_t n, int32_t c, int32_t hw, int32_t accumulate,
                                      void* stream) {
  if (dy == nullptr || db == nullptr || n < 1 || c < 1 || hw < 1) return ARCHWAY_EINVAL;
  bias_grad_kernel<<<c, kReduceLanes, 0, stream_of(stream)>>>(dy, db, n, c, hw, accumulate);
  return launched();
}

}  // extern "C"

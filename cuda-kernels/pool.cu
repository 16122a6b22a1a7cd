// Average pooling (the case cuDNN's count-exclude-pad mode is not used for, kept here so CPU and GPU
// share one definition): one thread per output forward, one thread per input cell backward (gather,
// in the CPU scatter's order), through archway/math/pool.h.
#include "archway/math/pool.h"
#include "launch.cuh"

using archway_cuda::for_each;

namespace {

bool valid(const archway_pool2d_desc* d) {
  return d != nullptr && archway::pool_shape_valid(d->n, d->c, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w,
                                                   d->pad_h, d->pad_w, d->oh, d->ow, d->count_include_pad);
}

}  // namespace

extern "C" {

int32_t archway_cuda_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y, void* stream) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const archway_pool2d_desc s = *d;
  const int64_t in_sz = (int64_t)s.h * s.w, out_sz = (int64_t)s.oh * s.ow;
  return for_each((int64_t)s.n * s.c * out_sz, stream, [=] __device__(int64_t e) {
    const int64_t p = e / out_sz, cell = e % out_sz;
    y[e] = archway::avgpool_fwd_at(x + p * in_sz, (int)(cell / s.ow), (int)(cell % s.ow), s.h, s.w, s.kh, s.kw,
                                   s.stride_h, s.stride_w, s.pad_h, s.pad_w, s.count_include_pad);
  });
}

int32_t archway_cuda_avgpool2d_bwd(const archway_pool2d_desc* d, const float* dy, float* dx, int32_t accumulate,
                                   void* stream) {
  if (!valid(d) || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const archway_pool2d_desc s = *d;
  const int64_t in_sz = (int64_t)s.h * s.w, out_sz = (int64_t)s.oh * s.ow;
  return for_each((int64_t)s.n * s.c * in_sz, stream, [=] __device__(int64_t e) {
    const int64_t p = e / in_sz, cell = e % in_sz;
    dx[e] = archway::avgpool_bwd_at(dy + p * out_sz, accumulate ? dx[e] : 0.0f, (int)(cell / s.w), (int)(cell % s.w),
                                    s.h, s.w, s.kh, s.kw, s.stride_h, s.stride_w, s.pad_h, s.pad_w, s.oh, s.ow,
                                    s.count_include_pad);
  });
}

}  // extern "C"

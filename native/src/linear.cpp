// Fully connected layer: y = x W^T + b and its gradients, all as strided calls into the packed GEMM
// (the transposes are absorbed by the packing). Each output element is reduced over the full depth
// in one fixed order, so results are independent of the thread count.
#include <cstring>

#include "archway.h"
#include "gemm.h"

extern "C" {

int32_t archway_cpu_linear_fwd(const float* x, const float* weight, const float* bias, float* y, int32_t n,
                               int32_t in, int32_t out) {
  if (x == nullptr || weight == nullptr || y == nullptr || n < 1 || in < 1 || out < 1) return ARCHWAY_EINVAL;
  if (bias != nullptr) {
    for (int64_t i = 0; i < n; ++i) std::memcpy(y + i * out, bias, sizeof(float) * out);
  }
  // A = x [n x in], B(p, j) = weight[j, p].
  archway::gemm::sgemm_parallel(n, out, in, x, in, 1, weight, 1, in, y, out, bias != nullptr);
  return ARCHWAY_OK;
}

int32_t archway_cpu_linear_bwd(const float* x, const float* weight, const float* dy, float* dx, float* dweight,
                               float* dbias, int32_t n, int32_t in, int32_t out, int32_t accumulate_dx,
                               int32_t accumulate_dparams) {
  if (dy == nullptr || n < 1 || in < 1 || out < 1) return ARCHWAY_EINVAL;
  if ((dx != nullptr && weight == nullptr) || (dweight != nullptr && x == nullptr)) return ARCHWAY_EINVAL;
  if (dx != nullptr) {
    // dx [n x in] = dy [n x out] * weight [out x in].
    archway::gemm::sgemm_parallel(n, in, out, dy, out, 1, weight, in, 1, dx, in, accumulate_dx != 0);
  }
  if (dweight != nullptr) {
    // dweight [out x in] = dy^T * x: A(i, p) = dy[p, i], depth = batch.
    archway::gemm::sgemm_parallel(out, in, n, dy, 1, out, x, in, 1, dweight, in, accumulate_dparams != 0);
  }
  if (dbias != nullptr) {
    for (int64_t j = 0; j < out; ++j) {
      double s = 0.0;
      for (int64_t i = 0; i < n; ++i) s += dy[i * out + j];
      dbias[j] = accumulate_dparams ? dbias[j] + (float)s : (float)s;
    }
  }
  return ARCHWAY_OK;
}

}  // extern "C"

// Softmax / sparsemax over alpha rows at temperature T: one thread per row through archway/math/simplex.h
// (rows are an edge's few candidate ops, so a row is one thread's serial work, as on the CPU).
#include <math.h>
#include "archway/math/simplex.h"
#include "launch.cuh"

using archway_cuda::for_each;

namespace {

bool valid(const void* a, const void* b, const void* c, int32_t rows, int32_t cols, float temperature) {
  return a != nullptr && b != nullptr && c != nullptr && rows >= 1 && cols >= 1 && temperature > 0.0f &&
         isfinite(temperature);
}

}  // namespace

extern "C" {

int32_t archway_cuda_softmax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature,
                                      void* stream) {
  if (!valid(x, y, y, rows, cols, temperature)) return ARCHWAY_EINVAL;
  return for_each(rows, stream, [=] __device__(int64_t r) {
    archway::softmax_row(x + r * cols, y + r * cols, cols, temperature);
  });
}

int32_t archway_cuda_softmax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                      float temperature, int32_t accumulate, void* stream) {
  if (!valid(y, dy, dx, rows, cols, temperature)) return ARCHWAY_EINVAL;
  return for_each(rows, stream, [=] __device__(int64_t r) {
    archway::softmax_row_bwd(y + r * cols, dy + r * cols, dx + r * cols, cols, temperature, accumulate);
  });
}

int32_t archway_cuda_sparsemax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature,
                                        void* stream) {
  if (!valid(x, y, y, rows, cols, temperature)) return ARCHWAY_EINVAL;
  return for_each(rows, stream, [=] __device__(int64_t r) {
    archway::sparsemax_row(x + r * cols, y + r * cols, cols, temperature);
  });
}

int32_t archway_cuda_sparsemax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                        float temperature, int32_t accumulate, void* stream) {
  if (!valid(y, dy, dx, rows, cols, temperature)) return ARCHWAY_EINVAL;
  return for_each(rows, stream, [=] __device__(int64_t r) {
    archway::sparsemax_row_bwd(y + r * cols, dy + r * cols, dx + r * cols, cols, temperature, accumulate);
  });
}

}  // extern "C"

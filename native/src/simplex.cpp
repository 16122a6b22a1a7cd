// Row-wise softmax and sparsemax with temperature (architecture weights); math in archway/math/simplex.h.
// Alpha matrices are tiny, so rows run in parallel only when there are many of them.
#include <math.h>
#include "archway.h"
#include "archway/math/simplex.h"

namespace {

constexpr int64_t kParallelCells = 1 << 15;

bool valid(const void* a, const void* b, const void* c, int32_t rows, int32_t cols, float temperature) {
  return a != nullptr && b != nullptr && c != nullptr && rows >= 1 && cols >= 1 && temperature > 0.0f &&
         isfinite(temperature);
}

}  // namespace

extern "C" {

int32_t archway_cpu_softmax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature) {
  if (!valid(x, y, y, rows, cols, temperature)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if ((int64_t)rows * cols >= kParallelCells)
  for (int32_t r = 0; r < rows; ++r) archway::softmax_row(x + (int64_t)r * cols, y + (int64_t)r * cols, cols, temperature);
  return ARCHWAY_OK;
}

int32_t archway_cpu_softmax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                     float temperature, int32_t accumulate) {
  if (!valid(y, dy, dx, rows, cols, temperature)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if ((int64_t)rows * cols >= kParallelCells)
  for (int32_t r = 0; r < rows; ++r) {
    const int64_t o = (int64_t)r * cols;
    archway::softmax_row_bwd(y + o, dy + o, dx + o, cols, temperature, accumulate);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_sparsemax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature) {
  if (!valid(x, y, y, rows, cols, temperature)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if ((int64_t)rows * cols >= kParallelCells)
  for (int32_t r = 0; r < rows; ++r) archway::sparsemax_row(x + (int64_t)r * cols, y + (int64_t)r * cols, cols, temperature);
  return ARCHWAY_OK;
}

int32_t archway_cpu_sparsemax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                       float temperature, int32_t accumulate) {
  if (!valid(y, dy, dx, rows, cols, temperature)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if ((int64_t)rows * cols >= kParallelCells)
  for (int32_t r = 0; r < rows; ++r) {
    const int64_t o = (int64_t)r * cols;
    archway::sparsemax_row_bwd(y + o, dy + o, dx + o, cols, temperature, accumulate);
  }
  return ARCHWAY_OK;
}

}  // extern "C"

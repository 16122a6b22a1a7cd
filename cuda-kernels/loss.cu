// Softmax cross-entropy: one thread per row through archway::xent_row, then one thread adds the row
// losses in row order (the CPU's serial order); backward one thread per logit through xent_grad_at.
// Labels live on the device, so they are checked there: a bad label makes the loss NaN.
#include <math.h>
#include "archway/math/xent.h"
#include "launch.cuh"

using namespace archway_cuda;

namespace {

__global__ void xent_total_kernel(const double* rows, int32_t n, float* loss, int32_t* correct) {
  double total = 0.0, hits = 0.0;
  for (int32_t i = 0; i < n; ++i) {
    total += rows[i];
    hits += rows[n + i];
  }
  *loss = (float)(total / (double)n);
  *correct = (int32_t)hits;
}

}  // namespace

extern "C" {

int32_t archway_cuda_softmax_xent_fwd(const float* logits, const int32_t* labels, float* probs, int32_t n, int32_t k,
                                      float* loss, int32_t* correct, double* scratch, int64_t scratch_len,
                                      void* stream) {
  if (logits == nullptr || labels == nullptr || probs == nullptr || loss == nullptr || correct == nullptr || n < 1 ||
      k < 1 || scratch == nullptr || scratch_len < 2LL * n)
    return ARCHWAY_EINVAL;
  int32_t rc = for_each(n, stream, [=] __device__(int64_t i) {
    const int32_t label = labels[i];
    if (label < 0 || label >= k) {
      scratch[i] = nan("");
      scratch[n + i] = 0.0;
      return;
    }
    int am = 0;
    scratch[i] = archway::xent_row(logits + i * k, label, probs + i * k, k, &am);
    scratch[n + i] = am == label ? 1.0 : 0.0;
  });
  if (rc != ARCHWAY_OK) return rc;
  xent_total_kernel<<<1, 1, 0, stream_of(stream)>>>(scratch, n, loss, correct);
  return launched();
}

int32_t archway_cuda_softmax_xent_bwd(const float* probs, const int32_t* labels, float* dlogits, int32_t n, int32_t k,
                                      float scale, int32_t accumulate, void* stream) {
  if (probs == nullptr || labels == nullptr || dlogits == nullptr || n < 1 || k < 1) return ARCHWAY_EINVAL;
  const float f = scale / (float)n;
  return for_each((int64_t)n * k, stream, [=] __device__(int64_t e) {
    const int32_t label = labels[e / k];
    const float p = (label < 0 || label >= k) ? nanf("") : probs[e];
    dlogits[e] = archway::xent_grad_at(p, (int32_t)(e % k) == label, f, dlogits[e], accumulate);
  });
}

}  // extern "C"

// Softmax cross-entropy (mean over the batch) with saved probabilities and an argmax hit count.
#include "archway.h"
#include "archway/math/xent.h"

namespace {

// Labels are data, not shapes, so native code checks them before writing anything.
bool labels_ok(const int32_t* labels, int32_t n, int32_t k) {
  for (int32_t i = 0; i < n; ++i)
    if (labels[i] < 0 || labels[i] >= k) return false;
  return true;
}

}  // namespace

extern "C" {

int32_t archway_cpu_softmax_xent_fwd(const float* logits, const int32_t* labels, float* probs, int32_t n,
                                     int32_t k, float* loss, int32_t* correct) {
  if (logits == nullptr || labels == nullptr || probs == nullptr || loss == nullptr || correct == nullptr || n < 1 ||
      k < 1 || !labels_ok(labels, n, k))
    return ARCHWAY_EINVAL;
  // Batches of a few hundred rows: serial keeps the loss sum in one fixed order for free.
  double total = 0.0;
  int32_t hits = 0;
  for (int32_t i = 0; i < n; ++i) {
    int am = 0;
    total += archway::xent_row(logits + (int64_t)i * k, labels[i], probs + (int64_t)i * k, k, &am);
    hits += am == labels[i];
  }
  *loss = (float)(total / (double)n);
  *correct = hits;
  return ARCHWAY_OK;
}

int32_t archway_cpu_softmax_xent_bwd(const float* probs, const int32_t* labels, float* dlogits, int32_t n,
                                     int32_t k, float scale, int32_t accumulate) {
  if (probs == nullptr || labels == nullptr || dlogits == nullptr || n < 1 || k < 1 || !labels_ok(labels, n, k))
    return ARCHWAY_EINVAL;
  const float f = scale / (float)n;
  for (int32_t i = 0; i < n; ++i) {
    const float* p = probs + (int64_t)i * k;
    float* d = dlogits + (int64_t)i * k;
    for (int32_t j = 0; j < k; ++j) {
      d[j] = archway::xent_grad_at(p[j], j == labels[i], f, d[j], accumulate);
    }
  }
  return ARCHWAY_OK;
}

}  // extern "C"

/* Softmax cross-entropy for one row of k logits, shared by the CPU and CUDA kernels. */
#ifndef ARCHWAY_MATH_XENT_H
#define ARCHWAY_MATH_XENT_H
#include <math.h>
#include "hd.h"

namespace archway {

/* Writes probs = softmax(logits) (max-shifted) and returns -log p[label] computed as
 * logsumexp - logit[label], which stays finite where p underflows. *argmax = first maximum. */
ARCHWAY_HD double xent_row(const float* logits, int label, float* probs, int k, int* argmax) {
  int am = 0;
  for (int j = 1; j < k; ++j)
    if (logits[j] > logits[am]) am = j;
  const double m = logits[am];
  double s = 0.0;
  for (int j = 0; j < k; ++j) s += exp((double)logits[j] - m);
  const double log_s = log(s);
  for (int j = 0; j < k; ++j) probs[j] = (float)exp((double)logits[j] - m - log_s);
  *argmax = am;
  return m + log_s - (double)logits[label];
}

/* dlogits[i, j] (+)= f (p - [j == label]) with f = scale / n. */
ARCHWAY_HD float xent_grad_at(float p, int is_label, float f, float prev, int accumulate) {
  const float g = f * (p - (is_label ? 1.0f : 0.0f));
  return accumulate ? prev + g : g;
}

}  // namespace archway
#endif

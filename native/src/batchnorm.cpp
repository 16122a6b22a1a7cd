// Batch normalisation: training forward (batch statistics, running update), eval forward, backward.
// Parallel over channels; each channel's sums are taken in double in a fixed order.
#include "archway.h"
#include "archway/math/batchnorm.h"
#include "reduce.h"

namespace {

bool valid(const archway_bn_desc* d) {
  return d != nullptr && d->n >= 1 && d->c >= 1 && d->hw >= 1 && d->eps > 0.0f && d->momentum >= 0.0f &&
         d->momentum <= 1.0f;
}

// Sum over the n planes of channel ch of term(plane pointer offset, i).
template <class Term>
double channel_sum(const archway_bn_desc* d, int32_t ch, Term term) {
  double s = 0;
  for (int32_t b = 0; b < d->n; ++b) {
    const int64_t base = ((int64_t)b * d->c + ch) * d->hw;
    s += archway::lane_sum(d->hw, [&](int64_t i) { return term(base + i); });
  }
  return s;
}

}  // namespace

extern "C" {

int32_t archway_cpu_bn_fwd_train(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                 float* y, float* save_mean, float* save_invstd, float* running_mean,
                                 float* running_var) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const long long m = (long long)d->n * d->hw;
  if (m < 2) return ARCHWAY_EINVAL;  // the unbiased variance needs two values per channel
  if ((running_mean == nullptr) != (running_var == nullptr)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if ((long long)d->c * m >= archway::kParallelMin)
  for (int32_t ch = 0; ch < d->c; ++ch) {
    const double mean = channel_sum(d, ch, [x](int64_t i) { return (double)x[i]; }) / (double)m;
    // Two passes: the centred sum of squares does not cancel catastrophically.
    const double var = channel_sum(d, ch, [x, mean](int64_t i) {
                         double t = (double)x[i] - mean;
                         return t * t;
                       }) / (double)m;
    const double invstd = archway::bn_invstd(var, d->eps);
    const archway::BnAffine a = archway::bn_affine(mean, invstd, gamma, beta, ch);
    for (int32_t b = 0; b < d->n; ++b) {
      const int64_t base = ((int64_t)b * d->c + ch) * d->hw;
      for (int32_t i = 0; i < d->hw; ++i) y[base + i] = archway::bn_apply(a, x[base + i]);
    }
    if (save_mean) save_mean[ch] = (float)mean;
    if (save_invstd) save_invstd[ch] = (float)invstd;
    if (running_mean) {
      running_mean[ch] = archway::bn_running(running_mean[ch], mean, d->momentum);
      running_var[ch] = archway::bn_running(running_var[ch], archway::bn_unbiased(var, m), d->momentum);
    }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_fwd_eval(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr || running_mean == nullptr || running_var == nullptr)
    return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)d->n * d->c;
#pragma omp parallel for schedule(static) if (planes * d->hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const int32_t ch = (int32_t)(p % d->c);
    const archway::BnAffine a = archway::bn_affine(running_mean[ch], archway::bn_invstd(running_var[ch], d->eps),
                                                   gamma, beta, ch);
    const float* xp = x + p * d->hw;
    float* yp = y + p * d->hw;
    for (int32_t i = 0; i < d->hw; ++i) yp[i] = archway::bn_apply(a, xp[i]);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_bwd(const archway_bn_desc* d, const float* x, const float* dy, const float* gamma,
                           const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                           float* dbeta, int32_t accumulate_dx, int32_t accumulate_dparams) {
  if (!valid(d) || x == nullptr || dy == nullptr || save_mean == nullptr || save_invstd == nullptr)
    return ARCHWAY_EINVAL;
  const long long m = (long long)d->n * d->hw;
#pragma omp parallel for schedule(static) if ((long long)d->c * m >= archway::kParallelMin)
  for (int32_t ch = 0; ch < d->c; ++ch) {
    const double mean = save_mean[ch], invstd = save_invstd[ch];
    const double sdy = channel_sum(d, ch, [dy](int64_t i) { return (double)dy[i]; });
    const double sdyx = channel_sum(d, ch, [=](int64_t i) { return (double)dy[i] * ((double)x[i] - mean); }) * invstd;
    if (dgamma) dgamma[ch] = accumulate_dparams ? dgamma[ch] + (float)sdyx : (float)sdyx;
    if (dbeta) dbeta[ch] = accumulate_dparams ? dbeta[ch] + (float)sdy : (float)sdy;
    if (dx == nullptr) continue;
    const archway::BnBwdCoef k = archway::bn_bwd_coef(mean, invstd, gamma ? gamma[ch] : 1.0, sdy, sdyx, m);
    for (int32_t b = 0; b < d->n; ++b) {
      const int64_t base = ((int64_t)b * d->c + ch) * d->hw;
      if (accumulate_dx)
        for (int32_t i = 0; i < d->hw; ++i) dx[base + i] += archway::bn_bwd_apply(k, x[base + i], dy[base + i]);
      else
        for (int32_t i = 0; i < d->hw; ++i) dx[base + i] = archway::bn_bwd_apply(k, x[base + i], dy[base + i]);
    }
  }
  return ARCHWAY_OK;
}

}  // extern "C"

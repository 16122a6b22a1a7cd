/* Batch-normalisation formulas (per channel over n * hw values), shared by the CPU and CUDA kernels.
 * Statistics are reduced by the caller; these helpers turn them into the per-channel affine maps. */
#ifndef ARCHWAY_MATH_BATCHNORM_H
#define ARCHWAY_MATH_BATCHNORM_H
#include <math.h>
#include "hd.h"

namespace archway {

/* 1 / sqrt(var + eps) with the biased (population) variance, as used for normalising. */
ARCHWAY_HD double bn_invstd(double biased_var, double eps) { return 1.0 / sqrt(biased_var + eps); }

/* PyTorch running update: running = (1 - momentum) running + momentum batch; the variance term is the
 * unbiased estimate var * m / (m - 1) over m = n * hw values (m >= 2). */
ARCHWAY_HD float bn_running(float running, double batch, float momentum) {
  return (float)((1.0 - (double)momentum) * (double)running + (double)momentum * batch);
}
ARCHWAY_HD double bn_unbiased(double biased_var, long long m) { return biased_var * (double)m / (double)(m - 1); }

/* y = (x - mean) * scale + shift with scale = gamma * invstd and shift = beta (gamma 1, beta 0 when
 * non-affine). Centring before scaling keeps precision when |mean| >> std, where folding the mean
 * into the shift would cancel. */
struct BnAffine { float mean, scale, shift; };
ARCHWAY_HD BnAffine bn_affine(double mean, double invstd, const float* gamma, const float* beta, int ch) {
  double g = gamma ? (double)gamma[ch] : 1.0;
  BnAffine a;
  a.mean = (float)mean;
  a.scale = (float)(g * invstd);
  a.shift = beta ? beta[ch] : 0.0f;
  return a;
}
ARCHWAY_HD float bn_apply(BnAffine a, float x) { return (x - a.mean) * a.scale + a.shift; }

/* Backward per channel, with sdy = sum dy and sdyx = sum dy * xhat over the m values
 * (xhat = (x - mean) invstd): dgamma = sdyx, dbeta = sdy,
 * dx = gamma invstd (dy - sdy/m - xhat sdyx/m). */
struct BnBwdCoef { float mean, invstd, a, dy_mean, dyx_mean; };
ARCHWAY_HD BnBwdCoef bn_bwd_coef(double mean, double invstd, double gamma, double sdy, double sdyx, long long m) {
  BnBwdCoef c;
  c.mean = (float)mean;
  c.invstd = (float)invstd;
  c.a = (float)(gamma * invstd);
  c.dy_mean = (float)(sdy / (double)m);
  c.dyx_mean = (float)(sdyx / (double)m);
  return c;
}
ARCHWAY_HD float bn_bwd_apply(BnBwdCoef c, float x, float dy) {
  return c.a * (dy - c.dy_mean - (x - c.mean) * c.invstd * c.dyx_mean);
}

}  // namespace archway
#endif

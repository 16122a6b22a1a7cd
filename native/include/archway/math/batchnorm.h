/* Batch-normalisation formulas (per channel over n * hw values), shared by the CPU and CUDA kernels.
 * Statistics are reduced by the caller; these helpers turn them into the per-channel affine maps. */
#ifndef ARCHWAY_MATH_BATCHNORM_H
#define ARCHWAY_MATH_BATCHNORM_H
#include <math.h>
#include "hd.h"

namespace archway {

/* 1 / sqrt(var + eps) with the biased (population) variance, as used for normalising. */
ARCHWAY_HD double bn_invstd(double biased_var, double eps) { return 1.0 / sqrt(biased_var + eps); }

/* Statistics blocks of at most kBnBlockMax values of one channel: planes of hw <= kBnBlockMax values
 * are grouped whole, bn_group_planes(hw) consecutive samples a block; larger planes are cut into
 * bn_plane_blocks(hw) near-equal contiguous pieces. The layout is a function of hw alone, so the order
 * of the additions never depends on the threads. A block's sums run in float lanes (a few dozen terms
 * each); the blocks of a channel are combined in double. */
constexpr int kBnBlockMax = 1024;
ARCHWAY_HD int bn_group_planes(int hw) { return hw >= kBnBlockMax ? 1 : kBnBlockMax / hw; }
ARCHWAY_HD int bn_plane_blocks(int hw) { return (hw + kBnBlockMax - 1) / kBnBlockMax; }
ARCHWAY_HD int bn_block_begin(int hw, int blocks, int k) { return (int)((long long)hw * k / blocks); }

/* One block's count, sum and sum of squared deviations from its own mean. */
struct BnMoments { double count, sum, m2; };
/* From the block's sums about a pivot p near its mean: d = sum (x - p), q = sum (x - p)^2. */
ARCHWAY_HD BnMoments bn_block_moments(int count, float pivot, double d, double q) {
  BnMoments b;
  b.count = (double)count;
  b.sum = (double)count * (double)pivot + d;
  const double m2 = q - d * d / (double)count;
  b.m2 = m2 > 0.0 ? m2 : 0.0;
  return b;
}
/* The block's share of the channel's sum of squared deviations from the channel mean (Chan et al.):
 * its own m2 plus count (block mean - mean)^2; the squares are of small differences, never cancelled. */
ARCHWAY_HD double bn_centred_m2(BnMoments b, double mean) {
  const double delta = b.sum / b.count - mean;
  return b.m2 + b.count * delta * delta;
}

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

/* Per-element bodies of the flat-buffer kernels (one CUDA thread per element; one loop iteration on
 * the CPU), shared by native/src and cuda-kernels. */
#ifndef ARCHWAY_MATH_ELEMENTWISE_H
#define ARCHWAY_MATH_ELEMENTWISE_H
#include <math.h>
#include <stdint.h>
#include "hd.h"
#include "philox.h"

namespace archway {

ARCHWAY_HD float add_at(float a, float b) { return a + b; }
/* y + alpha x: the scaled add of SAM / A2M perturbations and the optimisers' updates. */
ARCHWAY_HD float axpy_at(float alpha, float x, float y) { return fmaf(alpha, x, y); }
ARCHWAY_HD float axpby_at(float alpha, float x, float beta, float y) { return alpha * x + beta * y; }
ARCHWAY_HD float scale_at(float alpha, float y) { return y * alpha; }

/* FlatNAS multiplicative Gaussian weight noise: w + sigma w eps with eps = N(0,1) element i of the
 * Philox stream (seed, purpose, step), so the perturbation is a pure function of its key. */
ARCHWAY_HD float weight_noise_at(float w, float sigma, uint64_t seed, uint32_t purpose, uint32_t step, int64_t i) {
  const float eps = philox_normal_at(seed, purpose, step, i);
  return w + sigma * w * eps;
}

/* The same noise with eps given (FlatNAS flatness on a drawn eps buffer): w + sigma (w eps). */
ARCHWAY_HD float weight_noise_eps_at(float w, float eps, float sigma) { return w + sigma * (w * eps); }

/* Adaptive SAM's scaled gradient: (|w| + eta)^2 g. */
ARCHWAY_HD float asam_direction_at(float w, float g, float eta) {
  const float t = (w < 0 ? -w : w) + eta;
  return t * t * g;
}

/* ZO twin: theta + sign mu z (sign = +1 or -1). */
ARCHWAY_HD float zo_perturb_at(float theta, float z, float mu, float sign) { return theta + (sign * mu) * z; }

/* Element of a unit direction: g / ||g|| in double, rounded once. */
ARCHWAY_HD float zo_direction_at(float g, double norm) { return (float)((double)g / norm); }

}  // namespace archway
#endif

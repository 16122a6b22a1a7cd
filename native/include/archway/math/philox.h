/* Philox4x32-10 (Salmon et al., SC'11), counter-based: the same (key, counter) gives the same four
 * 32-bit words on every backend, which is what makes CPU and CUDA runs reproducible and resumable. */
#ifndef ARCHWAY_MATH_PHILOX_H
#define ARCHWAY_MATH_PHILOX_H
#include <math.h>
#include <stdint.h>
#include "hd.h"

namespace archway {

struct Philox4 { uint32_t v[4]; };

ARCHWAY_HD uint32_t mulhilo32(uint32_t a, uint32_t b, uint32_t* hi) {
  uint64_t p = (uint64_t)a * (uint64_t)b;
  *hi = (uint32_t)(p >> 32);
  return (uint32_t)p;
}

/* Ten rounds with the standard multipliers and Weyl key increments. */
ARCHWAY_HD Philox4 philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1) {
  const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  for (int r = 0; r < 10; ++r) {
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo32(M0, c0, &hi0);
    uint32_t lo1 = mulhilo32(M1, c2, &hi1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += W0; k1 += W1;
  }
  Philox4 out = {{c0, c1, c2, c3}};
  return out;
}

/* Uniform in [0, 1) with 24 random bits: exactly representable in float. */
ARCHWAY_HD float philox_u01(uint32_t bits) { return (float)(bits >> 8) * (1.0f / 16777216.0f); }

/* Element i of stream (seed, purpose, step): word i%4 of block i/4. */
ARCHWAY_HD uint32_t philox_word(uint64_t seed, uint32_t purpose, uint32_t step, int64_t i) {
  uint64_t block = (uint64_t)i >> 2;
  Philox4 r = philox4x32_10((uint32_t)block, (uint32_t)(block >> 32), step, purpose, (uint32_t)seed,
                            (uint32_t)(seed >> 32));
  return r.v[i & 3];
}

ARCHWAY_HD float philox_uniform_at(uint64_t seed, uint32_t purpose, uint32_t step, int64_t i) {
  return philox_u01(philox_word(seed, purpose, step, i));
}

/* Standard normal by Box-Muller on the pair (2j, 2j+1): element i uses pair i/2 and takes the cos
 * (even i) or sin (odd i) branch. u1 is shifted into (0, 1] so log never sees zero. */
ARCHWAY_HD float philox_normal_at(uint64_t seed, uint32_t purpose, uint32_t step, int64_t i) {
  int64_t pair = i >> 1;
  float u1 = 1.0f - philox_uniform_at(seed, purpose, step, 2 * pair);
  float u2 = philox_uniform_at(seed, purpose, step, 2 * pair + 1);
  float r = sqrtf(-2.0f * logf(u1));
  float t = 6.283185307179586f * u2;
  return (i & 1) ? r * sinf(t) : r * cosf(t);
}

}  // namespace archway
#endif

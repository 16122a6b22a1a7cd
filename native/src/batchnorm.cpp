// Batch normalisation: training forward (batch statistics, running update), eval forward, backward.
//
// Statistics are gathered per block: each plane (one sample's channel) is cut into bn_plane_blocks(hw)
// near-equal blocks of at most kBnBlockMax values, a function of hw alone. A block is summed in
// kLanes float lanes (twice while it sits in L1: its mean, then the moments about that mean), and the
// blocks of a channel are combined in double in (sample, block) order. Which thread sums a block never
// changes a bit, so the result is the same run to run and for any OpenMP team size; the team only
// decides the split: a channel per thread when the channels divide evenly among the threads (the
// channel's data stays in the thread's L2 from the statistics to the output pass), otherwise blocks
// across all threads in three phases (few channels, large planes).
#include <omp.h>
#include <string.h>
#include <algorithm>
#include <vector>
#include "archway.h"
#include "archway/math/batchnorm.h"
#include "archway/math/elementwise.h"
#include "reduce.h"

namespace {

using archway::BnMoments;

// Float lanes per block sum: one AVX-512 vector, two AVX2 ones. Few lanes keep the scalar tail of
// small planes short (7x7: one value of 49; 14x14: four of 196).
constexpr int kLanes = 16;

// Below this many values a call splits by channel even when the channels do not divide among the
// threads: the barriers of the block split cost more than the imbalance (a passive OpenMP wait
// policy wakes sleeping threads at each barrier, tens of microseconds).
constexpr long long kBlockSplitMin = 1LL << 21;

bool valid(const archway_bn_desc* d) {
  return d != nullptr && d->n >= 1 && d->c >= 1 && d->hw >= 1 && d->eps > 0.0f && d->momentum >= 0.0f &&
         d->momentum <= 1.0f;
}

// kLanes float lanes as one value, made of the build's native vectors (GCC vector extension): one
// AVX-512 register, two AVX2 or four SSE ones. Lane j is part[j / kNative][j % kNative], the order a
// load from memory gives, and every operation works lane by lane, so each lane adds exactly the same
// values in the same order in every ISA build (bit-identical sums; the build does not contract a + b * c).
// A single 64-byte vector type, the first version, made GCC keep the AVX2 build's accumulators on the
// stack and move them through general registers: batch norm's statistics ran 2.2x slower there.
#if defined(__AVX512F__)
constexpr int kNative = 16;
#elif defined(__AVX__)
constexpr int kNative = 8;
#else
constexpr int kNative = 4;
#endif
constexpr int kParts = kLanes / kNative;
typedef float Native __attribute__((vector_size(kNative * sizeof(float))));

struct Lanes {
  Native part[kParts];
  float operator[](int j) const { return part[j / kNative][j % kNative]; }
  Lanes& operator+=(const Lanes& b) {
    for (int i = 0; i < kParts; ++i) part[i] += b.part[i];
    return *this;
  }
  friend Lanes operator+(Lanes a, const Lanes& b) { return a += b; }
  friend Lanes operator*(Lanes a, const Lanes& b) {
    for (int i = 0; i < kParts; ++i) a.part[i] *= b.part[i];
    return a;
  }
  friend Lanes operator-(Lanes a, float s) {
    for (int i = 0; i < kParts; ++i) a.part[i] -= s;
    return a;
  }
};

// Part by part: one memcpy of the whole 64 bytes became four 16-byte stores and wide reloads in the
// AVX2 build (a store the CPU cannot forward), as slow as the single vector type.
inline Lanes load(const float* p) {
  Lanes v;
  for (int i = 0; i < kParts; ++i) memcpy(&v.part[i], p + i * kNative, sizeof(Native));
  return v;
}

// The lanes added in double by a fixed binary tree.
inline double lanes_total(Lanes acc) {
  double t[kLanes];
  for (int j = 0; j < kLanes; ++j) t[j] = acc[j];
  for (int s = kLanes / 2; s > 0; s >>= 1)
    for (int j = 0; j < s; ++j) t[j] += t[j + s];
  return t[0];
}

// A sum in kLanes float lanes: lane j adds, in order, the values at j mod kLanes of each piece's full
// vectors, the even-numbered vectors of a piece into body[0] and the odd ones into body[1] (two
// independent chains hide the add latency), and, apart, those of the pieces' shorter tails
// (tail[j]); the three are added at the end. Keeping the tails out of the vector registers avoids a
// narrow store followed by a wide load per piece, which the CPU cannot forward.
struct LaneSum {
  Lanes body[2] = {};
  float tail[kLanes] = {};
  double total() const { return lanes_total((body[0] + body[1]) + load(tail)); }
};

// body(i, k) for the full vector at p + i (k: its parity within the piece), tail(j, i) for each value of
// the tail (lane j).
template <class Body, class Tail>
inline void each_lane_group(const float* p, int32_t len, Body body, Tail tail) {
  int32_t i = 0;
  for (; i + 2 * kLanes <= len; i += 2 * kLanes) {
    body(i, 0);
    body(i + kLanes, 1);
  }
  if (i + kLanes <= len) {
    body(i, 0);
    i += kLanes;
  }
  for (int j = 0; i + j < len; ++j) tail(j, i + j);
}

// The block layout of one call. Planes of at most kBnBlockMax values are grouped, whole, into blocks of
// bn_group_planes(hw) consecutive samples; larger planes are cut into bn_plane_blocks(hw) pieces.
// Block q of a channel spans samples [first(q), first(q) + planes(q)) and values [begin, begin + length)
// of each of their planes.
struct Layout {
  int32_t n, c, hw, group, pieces;
  explicit Layout(const archway_bn_desc* d)
      : n(d->n), c(d->c), hw(d->hw), group(archway::bn_group_planes(d->hw)), pieces(archway::bn_plane_blocks(d->hw)) {}
  int64_t blocks_per_channel() const { return (int64_t)((n + group - 1) / group) * pieces; }
  int64_t blocks() const { return blocks_per_channel() * c; }
  int64_t stride() const { return (int64_t)c * hw; }
  int32_t first(int64_t q) const { return (int32_t)(q / pieces) * group; }
  int32_t planes(int64_t q) const { return std::min(group, n - first(q)); }
  int32_t begin(int64_t q) const { return archway::bn_block_begin(hw, pieces, (int32_t)(q % pieces)); }
  int32_t length(int64_t q) const { return archway::bn_block_begin(hw, pieces, (int32_t)(q % pieces) + 1) - begin(q); }
  // Offset of block q's first value in channel ch.
  int64_t offset(int32_t ch, int64_t q) const { return ((int64_t)first(q) * c + ch) * hw + begin(q); }
  // body(offset) for each of block q's plane pieces, in sample order.
  template <class Body>
  void each_piece(int32_t ch, int64_t q, Body body) const {
    const int64_t o = offset(ch, q), s = stride();
    for (int32_t p = 0, e = planes(q); p < e; ++p) body(o + p * s);
  }
};

// Count, sum and centred sum of squares of one block: its mean in float lanes, then the deviations
// from that mean rounded to float (small, so their sums in float lose nothing that matters). The block
// (at most kBnBlockMax values) is still in L1 for the second pass.
BnMoments block_moments(const Layout& l, int32_t ch, int64_t q, const float* x) {
  const int32_t len = l.length(q);
  LaneSum sx;
  l.each_piece(ch, q, [&](int64_t o) {
    const float* p = x + o;
    each_lane_group(p, len, [&](int32_t i, int k) { sx.body[k] += load(p + i); }, [&](int j, int32_t i) { sx.tail[j] += p[i]; });
  });
  const int32_t count = len * l.planes(q);
  const float pivot = (float)(sx.total() / count);
  LaneSum sd, sq;
  l.each_piece(ch, q, [&](int64_t o) {
    const float* p = x + o;
    each_lane_group(
        p, len,
        [&](int32_t i, int k) {
          const Lanes t = load(p + i) - pivot;
          sd.body[k] += t;
          sq.body[k] += t * t;
        },
        [&](int j, int32_t i) {
          const float t = p[i] - pivot;
          sd.tail[j] += t;
          sq.tail[j] += t * t;
        });
  });
  return archway::bn_block_moments(count, pivot, sd.total(), sq.total());
}

// sum dy and sum dy (x - mean) of one block (the second before the invstd factor).
struct GradSums { double dy, dyx; };
GradSums block_grad_sums(const Layout& l, int32_t ch, int64_t q, const float* x, const float* dy, float mean) {
  const int32_t len = l.length(q);
  LaneSum sy, sx;
  l.each_piece(ch, q, [&](int64_t o) {
    const float *xp = x + o, *dp = dy + o;
    each_lane_group(
        xp, len,
        [&](int32_t i, int k) {
          const Lanes d = load(dp + i);
          sy.body[k] += d;
          sx.body[k] += d * (load(xp + i) - mean);
        },
        [&](int j, int32_t i) {
          sy.tail[j] += dp[i];
          sx.tail[j] += dp[i] * (xp[i] - mean);
        });
  });
  return {sy.total(), sx.total()};
}

// One thread per channel when that balances, or the call is small, or one thread does it all; otherwise
// blocks across the team.
bool split_by_channel(const Layout& l, bool parallel) {
  const int threads = parallel ? omp_get_max_threads() : 1;
  return threads <= 1 || l.c % threads == 0 || l.c >= 4 * threads ||
         (long long)l.c * l.n * l.hw < kBlockSplitMin;
}

// Runs stats(ch, q) for every block, then channel(ch) for every channel, then apply(ch, q) for every
// block; within a channel stats see the blocks in order (their sums are combined in that order), and
// channel runs after all of its channel's stats. apply is elementwise, so its order is free: one thread
// per channel applies the blocks last to first, starting with what its statistics pass left in L2 (at
// 256 x 16 x 28 x 28 a channel's x, dy and dx are 2.4 MB, more than a 2 MiB L2: backward 1.11 -> 0.99 ms).
// The split over threads follows split_by_channel.
template <class Stats, class Channel, class Apply>
void for_blocks_in_phases(const Layout& l, bool parallel, Stats stats, Channel channel, Apply apply) {
  const int64_t per = l.blocks_per_channel(), all = l.blocks();
  if (split_by_channel(l, parallel)) {
#pragma omp parallel for schedule(static) if (parallel)
    for (int32_t ch = 0; ch < l.c; ++ch) {
      for (int64_t q = 0; q < per; ++q) stats(ch, q);
      channel(ch);
      for (int64_t q = per - 1; q >= 0; --q) apply(ch, q);  // most recently read first
    }
    return;
  }
#pragma omp parallel if (parallel)
  {
#pragma omp for schedule(static)
    for (int64_t i = 0; i < all; ++i) stats((int32_t)(i / per), i % per);
#pragma omp for schedule(static)
    for (int32_t ch = 0; ch < l.c; ++ch) channel(ch);
#pragma omp for schedule(static) nowait  // the region's end joins the team
    for (int64_t i = 0; i < all; ++i) apply((int32_t)(i / per), i % per);
  }
}

// A statistics-only pass (no apply phase, so nothing to keep in L2 per channel): stats(ch, q) for every
// block in memory order (sample by sample, every channel), the threads streaming contiguous halves of the
// tensor, then channel(ch) for every channel. The blocks and their combination are those of
// for_blocks_in_phases, so the results are the same bits. Statistics at 256 x 16 x 28 x 28 with cold
// caches: 0.98 -> 0.80 ms; 256 x 64 x 7 x 7: 0.42 -> 0.26 ms (channel by channel, each thread jumped
// from plane to plane, and the prefetchers restarted at every plane).
template <class Stats, class Channel>
void for_blocks_in_memory_order(const Layout& l, bool parallel, Stats stats, Channel channel) {
  const int64_t all = l.blocks();
#pragma omp parallel if (parallel)
  {
#pragma omp for schedule(static)
    for (int64_t i = 0; i < all; ++i) stats((int32_t)(i % l.c), i / l.c);
#pragma omp for schedule(static) nowait  // the region's end joins the team
    for (int32_t ch = 0; ch < l.c; ++ch) channel(ch);
  }
}

// y = the affine map affine_of(ch) of x, plane by plane (statistics known: eval, or saved by training).
template <class AffineOf>
void normalise_planes(const archway_bn_desc* d, const float* x, float* y, AffineOf affine_of) {
  const int64_t planes = (int64_t)d->n * d->c;
#pragma omp parallel for schedule(static) if (planes * d->hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const archway::BnAffine a = affine_of((int32_t)(p % d->c));
    const float* xp = x + p * d->hw;
    float* yp = y + p * d->hw;
    for (int32_t i = 0; i < d->hw; ++i) yp[i] = archway::bn_apply(a, xp[i]);
  }
}

}  // namespace

extern "C" {

int32_t archway_cpu_bn_fwd_train(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                 float* y, float* save_mean, float* save_invstd, float* running_mean,
                                 float* running_var) {
  if (!valid(d) || x == nullptr) return ARCHWAY_EINVAL;
  const long long m = (long long)d->n * d->hw;
  if (m < 2) return ARCHWAY_EINVAL;  // the unbiased variance needs two values per channel
  if ((running_mean == nullptr) != (running_var == nullptr)) return ARCHWAY_EINVAL;
  const Layout l(d);
  const int64_t per = l.blocks_per_channel();
  std::vector<BnMoments> moments(l.blocks());
  std::vector<archway::BnAffine> affine(l.c);
  const bool parallel = (long long)d->c * m >= archway::kParallelMin;
  const auto stats = [&](int32_t ch, int64_t q) { moments[ch * per + q] = block_moments(l, ch, q, x); };
  const auto channel = [&](int32_t ch) {
    const BnMoments* mo = moments.data() + ch * per;
    double sum = 0;
    for (int64_t q = 0; q < per; ++q) sum += mo[q].sum;
    const double mean = sum / (double)m;
    // Chan's combination about the channel mean: no cancellation between large squares.
    double m2 = 0;
    for (int64_t q = 0; q < per; ++q) m2 += archway::bn_centred_m2(mo[q], mean);
    const double var = m2 / (double)m;
    const double invstd = archway::bn_invstd(var, d->eps);
    // From the statistics as saved (rounded to float), so that archway_cpu_bn_fwd_saved repeats y.
    affine[ch] = archway::bn_affine((float)mean, (float)invstd, gamma, beta, ch);
    if (save_mean) save_mean[ch] = (float)mean;
    if (save_invstd) save_invstd[ch] = (float)invstd;
    if (running_mean) {
      running_mean[ch] = archway::bn_running(running_mean[ch], mean, d->momentum);
      running_var[ch] = archway::bn_running(running_var[ch], archway::bn_unbiased(var, m), d->momentum);
    }
  };
  if (y == nullptr) {  // statistics only
    for_blocks_in_memory_order(l, parallel, stats, channel);
    return ARCHWAY_OK;
  }
  for_blocks_in_phases(
      l, parallel, stats, channel,
      [&](int32_t ch, int64_t q) {
        const archway::BnAffine a = affine[ch];
        const int32_t len = l.length(q);
        l.each_piece(ch, q, [&](int64_t o) {
          const float* xp = x + o;
          float* yp = y + o;
          for (int32_t i = 0; i < len; ++i) yp[i] = archway::bn_apply(a, xp[i]);
        });
      });
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_fwd_saved(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                 const float* save_mean, const float* save_invstd, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr || save_mean == nullptr || save_invstd == nullptr)
    return ARCHWAY_EINVAL;
  normalise_planes(d, x, y, [=](int32_t ch) {
    return archway::bn_affine(save_mean[ch], save_invstd[ch], gamma, beta, ch);
  });
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_add(const archway_bn_desc* d, int32_t count, const archway_bn_add_input* in, float* y) {
  if (!valid(d) || count < 1 || in == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  for (int32_t i = 0; i < count; ++i)
    if (in[i].x == nullptr || in[i].x == y || ((in[i].mean == nullptr) != (in[i].invstd == nullptr)))
      return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)d->n * d->c;
#pragma omp parallel for schedule(static) if (planes * d->hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const int32_t ch = (int32_t)(p % d->c);
    float* yp = y + p * d->hw;
    for (int32_t i = 0; i < count; ++i) {
      const float* xp = in[i].x + p * d->hw;
      if (in[i].mean == nullptr) {
        if (i == 0)
          for (int32_t j = 0; j < d->hw; ++j) yp[j] = xp[j];
        else
          for (int32_t j = 0; j < d->hw; ++j) yp[j] = archway::add_at(yp[j], xp[j]);
        continue;
      }
      // The affine map as archway_cpu_bn_fwd_saved builds it, so each term is that kernel's y bit for bit.
      const archway::BnAffine a = archway::bn_affine(in[i].mean[ch], in[i].invstd[ch], in[i].gamma, in[i].beta, ch);
      if (i == 0)
        for (int32_t j = 0; j < d->hw; ++j) yp[j] = archway::bn_apply(a, xp[j]);
      else
        for (int32_t j = 0; j < d->hw; ++j) yp[j] = archway::add_at(yp[j], archway::bn_apply(a, xp[j]));
    }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_fwd_eval(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr || running_mean == nullptr || running_var == nullptr)
    return ARCHWAY_EINVAL;
  normalise_planes(d, x, y, [=](int32_t ch) {
    return archway::bn_affine(running_mean[ch], archway::bn_invstd(running_var[ch], d->eps), gamma, beta, ch);
  });
  return ARCHWAY_OK;
}

int32_t archway_cpu_bn_bwd(const archway_bn_desc* d, const float* x, const float* dy, const float* gamma,
                           const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                           float* dbeta, int32_t accumulate_dx, int32_t accumulate_dparams) {
  if (!valid(d) || x == nullptr || dy == nullptr || save_mean == nullptr || save_invstd == nullptr)
    return ARCHWAY_EINVAL;
  const long long m = (long long)d->n * d->hw;
  const Layout l(d);
  const int64_t per = l.blocks_per_channel();
  std::vector<GradSums> sums(l.blocks());
  std::vector<archway::BnBwdCoef> coef(l.c);
  for_blocks_in_phases(
      l, (long long)d->c * m >= archway::kParallelMin,
      [&](int32_t ch, int64_t q) { sums[ch * per + q] = block_grad_sums(l, ch, q, x, dy, save_mean[ch]); },
      [&](int32_t ch) {
        const GradSums* s = sums.data() + ch * per;
        double sdy = 0, sdyx = 0;
        for (int64_t q = 0; q < per; ++q) {
          sdy += s[q].dy;
          sdyx += s[q].dyx;
        }
        const double mean = save_mean[ch], invstd = save_invstd[ch];
        sdyx *= invstd;
        if (dgamma) dgamma[ch] = accumulate_dparams ? dgamma[ch] + (float)sdyx : (float)sdyx;
        if (dbeta) dbeta[ch] = accumulate_dparams ? dbeta[ch] + (float)sdy : (float)sdy;
        coef[ch] = archway::bn_bwd_coef(mean, invstd, gamma ? gamma[ch] : 1.0, sdy, sdyx, m);
      },
      [&](int32_t ch, int64_t q) {
        if (dx == nullptr) return;
        const archway::BnBwdCoef k = coef[ch];
        const int32_t len = l.length(q);
        l.each_piece(ch, q, [&](int64_t o) {
          const float *xp = x + o, *dyp = dy + o;
          float* dxp = dx + o;
          if (accumulate_dx)
            for (int32_t i = 0; i < len; ++i) dxp[i] += archway::bn_bwd_apply(k, xp[i], dyp[i]);
          else
            for (int32_t i = 0; i < len; ++i) dxp[i] = archway::bn_bwd_apply(k, xp[i], dyp[i]);
        });
      });
  return ARCHWAY_OK;
}

}  // extern "C"

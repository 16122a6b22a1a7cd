// Host-side equivalence of the CUDA kernels (no GPU needed): every CUDA kernel in cuda-kernels/ is a
// launch of a per-element (or per-row, per-tile) body from include/archway/math/. This program runs
// those bodies on the host in the CUDA kernels' own index order, one "thread" at a time, and compares
// the result with the libarchway_cpu kernel of the same op. Exact checks demand identical bits;
// "tol" checks (only where the CPU kernel uses an older reduction order) a relative bound.
//
// Usage: hd_equivalence [--fault]. Prints one line per check and exits 0 when all pass, 1 otherwise.
// --fault perturbs one value of every host-side result, so every check must then FAIL (a check that
// cannot fail is a defect; the JUnit test HostDeviceBodiesTest runs both modes).
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <string>
#include <vector>
#include "archway.h"
#include "archway/math/activation.h"
#include "archway/math/channel.h"
#include "archway/math/elementwise.h"
#include "archway/math/mixed.h"
#include "archway/math/optim.h"
#include "archway/math/philox.h"
#include "archway/math/pool.h"
#include "archway/math/reduce.h"
#include "archway/math/simplex.h"
#include "archway/math/xent.h"

namespace {

using Vec = std::vector<float>;
bool g_fault = false;
int g_failed = 0, g_checks = 0;

// Random data from the Philox stream itself (purpose 99), so the program needs no other generator.
Vec randn(int64_t n, uint32_t step, float scale = 1.0f) {
  Vec v((size_t)n);
  for (int64_t i = 0; i < n; ++i) v[i] = scale * archway::philox_normal_at(4242, 99, step, i);
  return v;
}

void report(const std::string& name, int64_t n, int64_t mismatches, double worst, double tol) {
  const bool pass = tol == 0.0 ? mismatches == 0 : worst <= tol;
  ++g_checks;
  if (!pass) ++g_failed;
  char bound[32] = "exact";
  if (tol != 0.0) snprintf(bound, sizeof bound, "tol %.0e", tol);
  printf("%-38s %s  n=%lld mismatched_bits=%lld max_rel=%.3g (%s)\n", name.c_str(), pass ? "PASS" : "FAIL",
         (long long)n, (long long)mismatches, worst, bound);
}

// Compares the CPU kernel's floats with the host-run bodies'. tol = 0: bit-identical.
void check(const std::string& name, const Vec& cpu, Vec body, double tol = 0.0) {
  if (g_fault && !body.empty()) body[body.size() / 2] += 0.01f * (fabsf(body[body.size() / 2]) + 1.0f);
  int64_t mism = 0;
  double worst = 0.0, scale = 0.0;
  for (float v : cpu) scale = fmax(scale, fabs((double)v));
  for (size_t i = 0; i < cpu.size(); ++i) {
    if (memcmp(&cpu[i], &body[i], sizeof(float)) != 0) ++mism;
    const double d = fabs((double)cpu[i] - (double)body[i]) / (fabs((double)cpu[i]) + scale + 1e-30);
    if (d > worst || d != d) worst = d != d ? INFINITY : d;
  }
  if (cpu.size() != body.size()) mism = (int64_t)cpu.size() + 1;
  report(name, (int64_t)cpu.size(), mism, worst, tol);
}

void check(const std::string& name, double cpu, double body, double tol = 0.0) {
  if (g_fault) body += 0.01 * (fabs(body) + 1.0);
  const double d = fabs(cpu - body) / (fabs(cpu) + 1e-300);
  report(name, 1, memcmp(&cpu, &body, sizeof(double)) != 0, d, tol);
}

void ok(int32_t rc, const char* what) {
  if (rc != ARCHWAY_OK) {
    printf("%s returned %d\n", what, rc);
    ++g_failed;
  }
}

// ---- the CUDA reduction, one block at a time: lane t = thread t (reduce_lane), then the tree.
template <class Term>
double block_sum(const Term& term, int64_t b, int64_t e) {
  double lanes[archway::kReduceLanes];
  for (int t = 0; t < archway::kReduceLanes; ++t) lanes[t] = archway::reduce_lane(term, b, e, t);
  return archway::reduce_tree(lanes);
}
template <class Term>
double gpu_two_pass(int64_t n, const Term& term) {
  const int64_t tiles = archway::reduce_tiles(n);
  std::vector<double> partial((size_t)tiles);
  for (int64_t p = 0; p < tiles; ++p)
    partial[p] = block_sum(term, archway::reduce_tile_begin(n, tiles, p), archway::reduce_tile_begin(n, tiles, p + 1));
  return block_sum(archway::PartialTerm{partial.data()}, 0, tiles);
}

// Runs body(i) for every element, as a one-thread-per-element launch does.
template <class F>
Vec per_element(int64_t n, F body) {
  Vec y((size_t)n);
  for (int64_t i = 0; i < n; ++i) y[i] = body(i);
  return y;
}

void activations() {
  const int64_t n = 100003;
  Vec x = randn(n, 1, 4.0f), dy = randn(n, 2), prev = randn(n, 3);
  x[0] = -3.0f, x[1] = 3.0f, x[2] = 0.0f;  // the kinks
  struct Kind { int code; const char* name; float (*f)(float); float (*g)(float); };
  const Kind kinds[] = {{ARCHWAY_ACT_RELU, "relu", archway::relu_fwd, archway::relu_grad},
                        {ARCHWAY_ACT_SIGMOID, "sigmoid", archway::sigmoid_fwd, archway::sigmoid_grad},
                        {ARCHWAY_ACT_HSWISH, "hswish", archway::hswish_fwd, archway::hswish_grad},
                        {ARCHWAY_ACT_HSIGMOID, "hsigmoid", archway::hsigmoid_fwd, archway::hsigmoid_grad}};
  for (const Kind& k : kinds) {
    Vec y(n), dx = prev;
    ok(archway_cpu_act_fwd(k.code, x.data(), y.data(), n), "act_fwd");
    check(std::string("act_fwd ") + k.name, y, per_element(n, [&](int64_t i) { return k.f(x[i]); }));
    ok(archway_cpu_act_bwd(k.code, x.data(), dy.data(), dx.data(), n, 1), "act_bwd");
    check(std::string("act_bwd ") + k.name + " acc", dx,
          per_element(n, [&](int64_t i) {
            return archway::act_bwd_at(dy[i], k.g(x[i]), prev[i], 1, archway::act_bwd_fused(k.code));
          }));
    ok(archway_cpu_act_bwd(k.code, x.data(), dy.data(), dx.data(), n, 0), "act_bwd");
    check(std::string("act_bwd ") + k.name, dx,
          per_element(n, [&](int64_t i) { return archway::act_bwd_at(dy[i], k.g(x[i]), 0.0f, 0, true); }));
  }
}

void flat() {
  const int64_t n = 300007;
  Vec a = randn(n, 4), b = randn(n, 5), y(n);
  ok(archway_cpu_add(a.data(), b.data(), y.data(), n), "add");
  check("add", y, per_element(n, [&](int64_t i) { return archway::add_at(a[i], b[i]); }));
  y = b;
  ok(archway_cpu_axpy(-0.7f, a.data(), y.data(), n), "axpy");
  check("axpy (scaled add)", y, per_element(n, [&](int64_t i) { return archway::axpy_at(-0.7f, a[i], b[i]); }));
  y = b;
  ok(archway_cpu_axpby(1.3f, a.data(), 0.4f, y.data(), n), "axpby");
  check("axpby", y, per_element(n, [&](int64_t i) { return archway::axpby_at(1.3f, a[i], 0.4f, b[i]); }));
  y = b;
  ok(archway_cpu_scale(y.data(), n, 0.3f), "scale");
  check("scale", y, per_element(n, [&](int64_t i) { return archway::scale_at(0.3f, b[i]); }));
  ok(archway_cpu_copy(a.data(), y.data(), n), "copy");
  check("copy (save/restore)", y, per_element(n, [&](int64_t i) { return a[i]; }));
  ok(archway_cpu_weight_noise(a.data(), y.data(), n, 0.05f, 77, 11, 3), "weight_noise");
  check("weight_noise", y, per_element(n, [&](int64_t i) { return archway::weight_noise_at(a[i], 0.05f, 77, 11, 3, i); }));
  Vec plus(n), minus(n);
  ok(archway_cpu_zo_perturb(a.data(), b.data(), 0.01f, plus.data(), minus.data(), n), "zo_perturb");
  check("zo_perturb plus", plus, per_element(n, [&](int64_t i) { return archway::zo_perturb_at(a[i], b[i], 0.01f, 1.0f); }));
  check("zo_perturb minus", minus,
        per_element(n, [&](int64_t i) { return archway::zo_perturb_at(a[i], b[i], 0.01f, -1.0f); }));
}

void reductions() {
  // One tile, several, and more than ARCHWAY_REDUCE_MAX_TILES * 4096 elements (tiles capped).
  for (int64_t n : {int64_t(0), int64_t(1), int64_t(4097), int64_t(300007), int64_t(5000011)}) {
    Vec a = randn(n, 6), b = randn(n, 7), g = randn(n, 8);
    const std::string sz = " n=" + std::to_string(n);
    double cpu = 0.0;
    ok(archway_cpu_sumsq_two_pass(a.data(), n, &cpu), "sumsq_two_pass");
    check("sumsq_two_pass" + sz, cpu, gpu_two_pass(n, archway::SumSqTerm{a.data()}));
    ok(archway_cpu_dot_two_pass(a.data(), b.data(), n, &cpu), "dot_two_pass");
    check("dot_two_pass" + sz, cpu, gpu_two_pass(n, archway::DotTerm{a.data(), b.data()}));
    ok(archway_cpu_zo_weight_term(a.data(), b.data(), g.data(), n, &cpu), "zo_weight_term");
    check("zo_weight_term" + sz, cpu, gpu_two_pass(n, archway::DiffDotTerm{a.data(), b.data(), g.data()}));
  }
  const int64_t n = 300007;
  Vec g = randn(n, 9), c = g;
  double norm = 0.0;
  ok(archway_cpu_clip_grad_norm(c.data(), n, 10.0f, &norm), "clip_grad_norm");
  const double gn = sqrt(gpu_two_pass(n, archway::SumSqTerm{g.data()}));
  check("clip_grad_norm norm", norm, gn);
  check("clip_grad_norm scaled", c, per_element(n, [&](int64_t i) {
    const double coef = archway::clip_coef(gn, 10.0);
    return coef < 1.0 ? archway::scale_at((float)coef, g[i]) : g[i];
  }));
  Vec z(n);
  ok(archway_cpu_zo_direction(z.data(), n, 5, 7, 12), "zo_direction");
  Vec e = per_element(n, [&](int64_t i) { return archway::philox_normal_at(5, 7, 12, i); });
  const double en = sqrt(gpu_two_pass(n, archway::SumSqTerm{e.data()}));
  check("zo_direction", z, per_element(n, [&](int64_t i) { return archway::zo_direction_at(e[i], en); }));
}

void mixed() {
  const int k = 6;
  const int64_t n = 70001;
  std::vector<Vec> xs;
  for (int j = 0; j < k; ++j) xs.push_back(randn(n, 20 + j));
  const float* ptr[k];
  for (int j = 0; j < k; ++j) ptr[j] = j == 2 ? nullptr : xs[j].data();  // candidate 2 is op "none"
  const float w[k] = {0.3f, 0.0f, 0.2f, 0.1f, 0.25f, 0.15f};          // candidate 1 zeroed by sparsemax
  Vec prev = randn(n, 30), dy = randn(n, 31);
  for (int acc = 0; acc < 2; ++acc) {
    Vec y = prev;
    ok(archway_cpu_mixed_fwd(ptr, w, k, n, y.data(), acc), "mixed_fwd");
    check(std::string("mixed_fwd") + (acc ? " acc" : ""), y,
          per_element(n, [&](int64_t i) { return archway::mixed_fwd_at(ptr, w, k, i, prev[i], acc); }));
  }
  std::vector<Vec> dx(k, prev);
  float* dptr[k];
  for (int j = 0; j < k; ++j) dptr[j] = dx[j].data();
  float dw[k];
  ok(archway_cpu_mixed_bwd(ptr, w, k, n, dy.data(), dptr, dw, 1, 0), "mixed_bwd");
  for (int j = 0; j < k; ++j) {
    const bool active = dptr[j] != nullptr && w[j] != 0.0f;
    check("mixed_bwd dx[" + std::to_string(j) + "] acc", dx[j],
          per_element(n, [&](int64_t i) { return active ? archway::mixed_dx_at(w[j], dy[i], prev[i], 1) : prev[i]; }));
    const double gpu = ptr[j] ? gpu_two_pass(n, archway::DotTerm{dy.data(), ptr[j]}) : 0.0;
    double two = 0.0;
    if (ptr[j]) ok(archway_cpu_dot_two_pass(dy.data(), ptr[j], n, &two), "dot_two_pass");
    check("mixed_bwd dw[" + std::to_string(j) + "] = dot_two_pass", two, gpu);
    // The CPU mixed kernel keeps its older chunked order: equal up to double rounding, then float.
    check("mixed_bwd dw[" + std::to_string(j) + "] vs cpu kernel", Vec{dw[j]}, Vec{(float)gpu}, 1e-6);
  }
}

void simplex() {
  const int rows = 14, cols = 8;
  Vec x = randn(rows * cols, 40, 2.0f), dy = randn(rows * cols, 41), prev = randn(rows * cols, 42);
  x[3] = x[4];  // a tie
  const float t = 0.7f;
  auto rows_of = [&](auto body) {
    Vec out(rows * cols);
    for (int r = 0; r < rows; ++r) body(r, out.data() + r * cols);
    return out;
  };
  Vec y(rows * cols), dx = prev;
  ok(archway_cpu_softmax_rows_fwd(x.data(), y.data(), rows, cols, t), "softmax_fwd");
  check("softmax_rows_fwd", y, rows_of([&](int r, float* o) { archway::softmax_row(x.data() + r * cols, o, cols, t); }));
  ok(archway_cpu_softmax_rows_bwd(y.data(), dy.data(), dx.data(), rows, cols, t, 1), "softmax_bwd");
  check("softmax_rows_bwd acc", dx, rows_of([&](int r, float* o) {
    memcpy(o, prev.data() + r * cols, sizeof(float) * cols);
    archway::softmax_row_bwd(y.data() + r * cols, dy.data() + r * cols, o, cols, t, 1);
  }));
  dx = prev;
  ok(archway_cpu_sparsemax_rows_fwd(x.data(), y.data(), rows, cols, t), "sparsemax_fwd");
  check("sparsemax_rows_fwd", y, rows_of([&](int r, float* o) { archway::sparsemax_row(x.data() + r * cols, o, cols, t); }));
  ok(archway_cpu_sparsemax_rows_bwd(y.data(), dy.data(), dx.data(), rows, cols, t, 1), "sparsemax_bwd");
  check("sparsemax_rows_bwd acc", dx, rows_of([&](int r, float* o) {
    memcpy(o, prev.data() + r * cols, sizeof(float) * cols);
    archway::sparsemax_row_bwd(y.data() + r * cols, dy.data() + r * cols, o, cols, t, 1);
  }));
}

void optimisers() {
  const int64_t n = 100003;
  Vec w0 = randn(n, 50), g = randn(n, 51), b0 = randn(n, 52), m0 = randn(n, 53, 0.1f), v0 = randn(n, 54);
  for (float& v : v0) v = v * v;
  for (int nesterov = 0; nesterov < 2; ++nesterov) {
    Vec w = w0, b = b0, wb = w0, bb = b0;
    ok(archway_cpu_sgd_step(w.data(), g.data(), b.data(), n, 0.1f, 0.9f, 5e-4f, nesterov), "sgd");
    for (int64_t i = 0; i < n; ++i) archway::sgd_update(&wb[i], g[i], &bb[i], 0.1f, 0.9f, 5e-4f, nesterov);
    check(std::string("sgd_step w") + (nesterov ? " nesterov" : ""), w, wb);
    check(std::string("sgd_step momentum") + (nesterov ? " nesterov" : ""), b, bb);
  }
  for (int decoupled = 0; decoupled < 2; ++decoupled) {
    Vec w = w0, m = m0, v = v0, wb = w0, mb = m0, vb = v0;
    ok(archway_cpu_adam_step(w.data(), g.data(), m.data(), v.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, 7, decoupled),
       "adam");
    float ss, ib;
    archway::adam_constants(1e-3f, 0.9f, 0.999f, 7, &ss, &ib);
    for (int64_t i = 0; i < n; ++i)
      archway::adam_update(&wb[i], g[i], &mb[i], &vb[i], 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, decoupled, ss, ib);
    const std::string tag = decoupled ? "adamw" : "adam";
    check(tag + "_step w", w, wb);
    check(tag + "_step m", m, mb);
    check(tag + "_step v", v, vb);
  }
}

void channels() {
  const int n = 3, sc = 7, dc = 9, count = 4, hw = 50;
  Vec src = randn((int64_t)n * sc * hw, 60), dst0 = randn((int64_t)n * dc * hw, 61);
  for (int acc = 0; acc < 2; ++acc) {
    Vec d = dst0, e = dst0;
    ok(archway_cpu_channel_copy(src.data(), d.data(), n, sc, 2, dc, 5, count, hw, acc), "channel_copy");
    for (int64_t t = 0; t < (int64_t)n * count * hw; ++t) {
      const int64_t o = archway::channel_block_index(t, count, hw, dc, 5);
      e[o] = archway::store_at(e[o], src[archway::channel_block_index(t, count, hw, sc, 2)], acc);
    }
    check(std::string("channel_copy (concat/slice)") + (acc ? " acc" : ""), d, e);
  }
  const int c = 12, groups = 3;
  Vec x = randn((int64_t)n * c * hw, 62), y0 = randn((int64_t)n * c * hw, 63);
  for (int inv = 0; inv < 2; ++inv) {
    Vec y = y0;
    ok(archway_cpu_channel_shuffle(x.data(), y.data(), n, c, hw, groups, inv, 1), "shuffle");
    check(std::string("channel_shuffle acc") + (inv ? " inverse" : ""), y, per_element((int64_t)n * c * hw, [&](int64_t e) {
      const int64_t i = e % hw, p = e / hw, b = p / c;
      return archway::store_at(y0[e], x[(b * c + archway::shuffle_source((int)(p % c), c, groups, inv)) * hw + i], 1);
    }));
  }
  // Factorized-reduce shift: 9x9 -> 5x5 window at offset (1, 1) with cells outside x.
  const int h = 9, w = 9, oh = 5, ow = 5, offh = 1, offw = 6, planes = n * c;
  Vec xs = randn((int64_t)planes * h * w, 64), ys0 = randn((int64_t)planes * oh * ow, 65);
  for (int acc = 0; acc < 2; ++acc) {
    Vec ys = ys0;
    ok(archway_cpu_spatial_shift(xs.data(), ys.data(), n, c, h, w, oh, ow, offh, offw, 0, acc), "shift");
    check(std::string("spatial_shift fwd") + (acc ? " acc" : ""), ys, per_element((int64_t)planes * oh * ow, [&](int64_t e) {
      const int64_t p = e / (oh * ow), cell = e % (oh * ow);
      const int64_t s = archway::shift_source((int)(cell / ow), (int)(cell % ow), h, w, offh, offw);
      return s >= 0 ? archway::store_at(ys0[e], xs[p * h * w + s], acc) : (acc ? ys0[e] : 0.0f);
    }));
    Vec dx = xs;
    ok(archway_cpu_spatial_shift(ys0.data(), dx.data(), n, c, h, w, oh, ow, offh, offw, 1, acc), "shift bwd");
    check(std::string("spatial_shift bwd") + (acc ? " acc" : ""), dx, per_element((int64_t)planes * h * w, [&](int64_t e) {
      const int64_t p = e / (h * w), cell = e % (h * w);
      const int64_t r = archway::shift_reader((int)(cell / w), (int)(cell % w), oh, ow, offh, offw);
      return r >= 0 ? archway::store_at(xs[e], ys0[p * oh * ow + r], acc) : (acc ? xs[e] : 0.0f);
    }));
  }
}

void size_variable() {
  const int planes = 24, big = 7;
  Vec full = randn((int64_t)planes * big * big, 70);
  for (int k : {3, 5, 7}) {
    Vec crop0 = randn((int64_t)planes * k * k, 71), crop = crop0;
    ok(archway_cpu_center_crop(full.data(), crop.data(), planes, big, k, 0, 1), "crop");
    check("center_crop fwd acc k=" + std::to_string(k), crop, per_element((int64_t)planes * k * k, [&](int64_t e) {
      const int64_t p = e / (k * k), cell = e % (k * k);
      return archway::store_at(crop0[e], full[p * big * big + archway::crop_source((int)(cell / k), (int)(cell % k), big, k)], 1);
    }));
    for (int acc = 0; acc < 2; ++acc) {
      Vec df = full;
      ok(archway_cpu_center_crop(crop0.data(), df.data(), planes, big, k, 1, acc), "crop bwd");
      check("center_crop bwd k=" + std::to_string(k) + (acc ? " acc" : ""), df,
            per_element((int64_t)planes * big * big, [&](int64_t e) {
              const int64_t p = e / (big * big), cell = e % (big * big);
              const int r = archway::crop_reader((int)(cell / big), (int)(cell % big), big, k);
              const float prev = acc ? full[e] : 0.0f;
              return r >= 0 ? archway::store_at(prev, crop0[p * k * k + r], 1) : prev;
            }));
    }
  }
  const int n = 5, c = 6, hw = 1000;
  Vec x = randn((int64_t)n * c * hw, 72), b = randn(c, 73), y(x.size());
  ok(archway_cpu_channel_bias_fwd(x.data(), b.data(), y.data(), n, c, hw), "bias");
  check("channel_bias fwd", y, per_element((int64_t)n * c * hw, [&](int64_t e) { return archway::bias_at(x[e], b[(e / hw) % c]); }));
  Vec db0 = randn(c, 74), db = db0;
  ok(archway_cpu_channel_bias_bwd(x.data(), db.data(), n, c, hw, 1), "bias bwd");
  check("channel_bias bwd acc", db, per_element(c, [&](int64_t ch) {
    return db0[ch] + (float)block_sum(archway::BiasGradTerm{x.data(), c, hw, (int)ch}, 0, (int64_t)n * hw);
  }));
}

void loss() {
  const int n = 37, k = 10;
  Vec logits = randn(n * k, 80, 3.0f), probs(n * k);
  std::vector<int32_t> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = (i * 7) % k;
  float l = 0.0f;
  int32_t correct = 0;
  ok(archway_cpu_softmax_xent_fwd(logits.data(), labels.data(), probs.data(), n, k, &l, &correct), "xent");
  Vec hp(n * k);
  double total = 0.0, hits = 0.0;
  std::vector<double> row(n), hit(n);
  for (int i = 0; i < n; ++i) {  // one thread per row
    int am = 0;
    row[i] = archway::xent_row(logits.data() + i * k, labels[i], hp.data() + i * k, k, &am);
    hit[i] = am == labels[i] ? 1.0 : 0.0;
  }
  for (int i = 0; i < n; ++i) total += row[i], hits += hit[i];  // the one summing thread
  check("softmax_xent_fwd probs", probs, hp);
  check("softmax_xent_fwd loss", Vec{l}, Vec{(float)(total / n)});
  check("softmax_xent_fwd correct", (double)correct, hits);
  Vec d0 = randn(n * k, 81), d = d0;
  ok(archway_cpu_softmax_xent_bwd(probs.data(), labels.data(), d.data(), n, k, 0.5f, 1), "xent bwd");
  const float f = 0.5f / (float)n;
  check("softmax_xent_bwd acc", d, per_element(n * k, [&](int64_t e) {
    return archway::xent_grad_at(probs[e], (int)(e % k) == labels[e / k], f, d0[e], 1);
  }));
}

void pooling() {
  struct Shape { int h, w, k, s, p, cip; };
  const Shape shapes[] = {{8, 8, 3, 1, 1, 0}, {9, 7, 3, 2, 1, 0}, {8, 8, 2, 2, 0, 0}, {8, 8, 3, 1, 1, 1}, {7, 9, 3, 2, 1, 1},
                          {9, 7, 2, 2, 0, 0}, {9, 9, 3, 3, 0, 1}};  // the last two: the tiled path (9x7: an uncovered row and column)
  for (const Shape& s : shapes) {
    archway_pool2d_desc d{};
    d.n = 2, d.c = 5, d.h = s.h, d.w = s.w, d.kh = s.k, d.kw = s.k, d.stride_h = s.s, d.stride_w = s.s;
    d.pad_h = s.p, d.pad_w = s.p, d.count_include_pad = s.cip;
    d.oh = (s.h + 2 * s.p - s.k) / s.s + 1, d.ow = (s.w + 2 * s.p - s.k) / s.s + 1;
    const int64_t planes = d.n * d.c, in_sz = d.h * d.w, out_sz = d.oh * d.ow;
    Vec x = randn(planes * in_sz, 90), y(planes * out_sz);
    char tagbuf[64];
    snprintf(tagbuf, sizeof tagbuf, " %dx%d k%d s%d p%d%s", s.h, s.w, s.k, s.s, s.p, s.cip ? " incl-pad" : "");
    const std::string tag = tagbuf;
    ok(archway_cpu_avgpool2d_fwd(&d, x.data(), y.data()), "avgpool");
    check("avgpool fwd" + tag, y, per_element(planes * out_sz, [&](int64_t e) {
      const int64_t p = e / out_sz, cell = e % out_sz;
      return archway::avgpool_fwd_at(x.data() + p * in_sz, (int)(cell / d.ow), (int)(cell % d.ow), d.h, d.w, d.kh, d.kw,
                                     d.stride_h, d.stride_w, d.pad_h, d.pad_w, d.count_include_pad);
    }));
    Vec dy = randn(planes * out_sz, 91), dx0 = randn(planes * in_sz, 92);
    for (int acc = 0; acc < 2; ++acc) {
      Vec dx = dx0;
      ok(archway_cpu_avgpool2d_bwd(&d, dy.data(), dx.data(), acc), "avgpool bwd");
      check("avgpool bwd" + tag + (acc ? " acc" : ""), dx, per_element(planes * in_sz, [&](int64_t e) {
        const int64_t p = e / in_sz, cell = e % in_sz;
        return archway::avgpool_bwd_at(dy.data() + p * out_sz, acc ? dx0[e] : 0.0f, (int)(cell / d.w), (int)(cell % d.w),
                                       d.h, d.w, d.kh, d.kw, d.stride_h, d.stride_w, d.pad_h, d.pad_w, d.oh, d.ow,
                                       d.count_include_pad);
      }));
    }
  }
}

void philox() {
  const int64_t n = 100003;
  Vec u(n), g(n);
  ok(archway_cpu_philox_uniform(u.data(), n, 0xC0FFEE, 5, 9), "uniform");
  ok(archway_cpu_philox_normal(g.data(), n, 0xC0FFEE, 5, 9), "normal");
  check("philox_uniform", u, per_element(n, [](int64_t i) { return archway::philox_uniform_at(0xC0FFEE, 5, 9, i); }));
  check("philox_normal", g, per_element(n, [](int64_t i) { return archway::philox_normal_at(0xC0FFEE, 5, 9, i); }));
}

}  // namespace

int main(int argc, char** argv) {
  g_fault = argc > 1 && strcmp(argv[1], "--fault") == 0;
  archway_cpu_set_threads(2);  // the CPU kernels' parallel paths, whatever the machine
  activations();
  flat();
  reductions();
  mixed();
  simplex();
  optimisers();
  channels();
  size_variable();
  loss();
  pooling();
  philox();
  printf("%d checks, %d failed%s\n", g_checks, g_failed, g_fault ? " (fault injected into every check)" : "");
  return g_failed == 0 ? 0 : 1;
}

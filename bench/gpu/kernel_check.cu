// GPU check of every archway_cuda_* kernel against libarchway_cpu, and its speed (no JVM: the device
// machine has none). For each kernel: the same random inputs on both sides, the CUDA output compared
// with the CPU output (bit for bit where the math headers make them identical, else a relative bound),
// then the median of many CUDA-event timings and the bandwidth it reaches, against the measured
// device-to-device cudaMemcpy bandwidth. Prints one JSON object per line; exit 0 all pass, 1 a check
// failed, 2 no usable device.
#include <cuda_runtime.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include "archway.h"

namespace {

using Vec = std::vector<float>;
cudaStream_t g_stream;
int g_failed = 0, g_checks = 0;
double g_copy_gbs = 0.0, g_last_gbs = 0.0;
FILE* g_md = nullptr;  // optional markdown report (argv[1])

void cuda_ok(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::printf("{\"error\":\"%s: %s\"}\n", what, cudaGetErrorString(e));
    std::exit(1);
  }
}
void ok(int32_t rc, const char* what) {
  if (rc != ARCHWAY_OK) {
    std::printf("{\"error\":\"%s returned %d\"}\n", what, rc);
    ++g_failed;
  }
}

// A device buffer of floats (or doubles, ints) with host copies in and out.
template <class T>
struct Dev {
  T* p = nullptr;
  size_t n = 0;
  explicit Dev(size_t count) : n(count) { cuda_ok(cudaMalloc(&p, std::max<size_t>(count, 1) * sizeof(T)), "cudaMalloc"); }
  Dev(const std::vector<T>& v) : Dev(v.size()) { put(v); }
  ~Dev() { cudaFree(p); }
  Dev(const Dev&) = delete;
  void put(const std::vector<T>& v) { cuda_ok(cudaMemcpy(p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice), "h2d"); }
  std::vector<T> get() const {
    std::vector<T> v(n);
    cuda_ok(cudaStreamSynchronize(g_stream), "sync");
    cuda_ok(cudaMemcpy(v.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost), "d2h");
    return v;
  }
};
using DevF = Dev<float>;
using DevD = Dev<double>;

Vec randn(size_t n, uint32_t step, float scale = 1.0f) {
  Vec v(n);
  archway_cpu_philox_normal(v.data(), (int64_t)n, 4242, 99, step);
  if (scale != 1.0f)
    for (float& x : v) x *= scale;
  return v;
}

// One comparison: tol = 0 demands identical bits.
void compare(const std::string& name, const Vec& cpu, const Vec& gpu, double tol) {
  long long mism = 0;
  double worst = 0.0, scale = 0.0;
  for (float v : cpu) scale = std::fmax(scale, std::fabs((double)v));
  for (size_t i = 0; i < cpu.size() && i < gpu.size(); ++i) {
    if (std::memcmp(&cpu[i], &gpu[i], sizeof(float)) != 0) ++mism;
    const double d = std::fabs((double)cpu[i] - (double)gpu[i]) / (std::fabs((double)cpu[i]) + scale + 1e-30);
    if (!(d <= worst)) worst = d;  // NaN propagates as a failure
  }
  const bool pass = cpu.size() == gpu.size() && (tol == 0.0 ? mism == 0 : worst <= tol);
  ++g_checks;
  if (!pass) ++g_failed;
  if (!pass && g_md) std::fprintf(g_md, "FAILED check: %s (max_rel %.3g, %lld mismatched)\n\n", name.c_str(), worst, mism);
  std::printf("{\"check\":\"%s\",\"status\":\"%s\",\"n\":%zu,\"mismatched_bits\":%lld,\"max_rel\":%.3g,\"tol\":%.0e}\n",
              name.c_str(), pass ? "pass" : "FAIL", cpu.size(), mism, worst, tol);
}
void compare(const std::string& name, double cpu, double gpu, double tol) {
  const double d = std::fabs(cpu - gpu) / (std::fabs(cpu) + 1e-300);
  const bool pass = tol == 0.0 ? std::memcmp(&cpu, &gpu, sizeof(double)) == 0 : d <= tol;
  ++g_checks;
  if (!pass) ++g_failed;
  if (!pass && g_md) std::fprintf(g_md, "FAILED check: %s (cpu %.17g, gpu %.17g)\n\n", name.c_str(), cpu, gpu);
  std::printf("{\"check\":\"%s\",\"status\":\"%s\",\"cpu\":%.17g,\"gpu\":%.17g,\"tol\":%.0e}\n", name.c_str(),
              pass ? "pass" : "FAIL", cpu, gpu, tol);
}

// Median of `runs` CUDA-event timings of launch(); bytes = the kernel's compulsory traffic.
void time_kernel(const std::string& name, double bytes, const std::function<void()>& launch, int runs = 50) {
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  for (int i = 0; i < 3; ++i) launch();
  std::vector<float> ms;
  for (int i = 0; i < runs; ++i) {
    cudaEventRecord(a, g_stream);
    launch();
    cudaEventRecord(b, g_stream);
    cudaEventSynchronize(b);
    float t = 0;
    cudaEventElapsedTime(&t, a, b);
    ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  const double med = ms[ms.size() / 2] * 1e-3, gbs = bytes / med / 1e9;
  cuda_ok(cudaGetLastError(), name.c_str());
  g_last_gbs = gbs;
  if (g_md)
    std::fprintf(g_md, "| %s | %.2f | %.1f | %.2f |\n", name.c_str(), med * 1e6, gbs, g_copy_gbs > 0 ? gbs / g_copy_gbs : 1.0);
  std::printf("{\"time\":\"%s\",\"median_us\":%.2f,\"min_us\":%.2f,\"gb_per_s\":%.1f,\"of_copy_bw\":%.3f}\n", name.c_str(),
              med * 1e6, ms.front() * 1e3, gbs, g_copy_gbs > 0 ? gbs / g_copy_gbs : 0.0);
  cudaEventDestroy(a);
  cudaEventDestroy(b);
}

constexpr int64_t N = int64_t(1) << 24;  // 64 MiB per flat buffer
constexpr double F = 4.0;                // bytes per float
constexpr double kExact = 0.0, kUlp = 2e-7, kMath = 1e-5;  // bounds: bits, contraction, libm vs CUDA math

// The reference: device-to-device cudaMemcpy of 256 MiB (read + write counted), median of 20.
void copy_bandwidth() {
  DevF a(N * 4), b(N * 4);
  cuda_ok(cudaMemset(a.p, 0, N * 16), "cudaMemset");
  time_kernel("cudaMemcpy d2d (reference)", 2.0 * N * 16, [&] {
    cudaMemcpyAsync(b.p, a.p, N * 16, cudaMemcpyDeviceToDevice, g_stream);
  }, 20);
  g_copy_gbs = g_last_gbs;
  std::printf("{\"copy_bandwidth_gb_per_s\":%.1f}\n", g_copy_gbs);
}

void flat_kernels() {
  Vec a = randn(N, 1), b = randn(N, 2);
  DevF da(a), db(b), dy(N);
  Vec y(N);
  ok(archway_cuda_add(da.p, db.p, dy.p, N, g_stream), "add");
  archway_cpu_add(a.data(), b.data(), y.data(), N);
  compare("add", y, dy.get(), kExact);
  time_kernel("add", 3 * F * N, [&] { archway_cuda_add(da.p, db.p, dy.p, N, g_stream); });
  dy.put(b);
  y = b;
  ok(archway_cuda_axpy(-0.7f, da.p, dy.p, N, g_stream), "axpy");
  archway_cpu_axpy(-0.7f, a.data(), y.data(), N);
  compare("axpy (scaled add)", y, dy.get(), kExact);
  time_kernel("axpy", 3 * F * N, [&] { archway_cuda_axpy(1e-9f, da.p, dy.p, N, g_stream); });
  dy.put(b);
  y = b;
  ok(archway_cuda_axpby(1.3f, da.p, 0.4f, dy.p, N, g_stream), "axpby");
  archway_cpu_axpby(1.3f, a.data(), 0.4f, y.data(), N);
  compare("axpby", y, dy.get(), kUlp);
  dy.put(b);
  y = b;
  ok(archway_cuda_scale(dy.p, N, 0.3f, g_stream), "scale");
  archway_cpu_scale(y.data(), N, 0.3f);
  compare("scale", y, dy.get(), kExact);
  time_kernel("scale", 2 * F * N, [&] { archway_cuda_scale(dy.p, N, 1.0f, g_stream); });
  ok(archway_cuda_fill(dy.p, N, 2.5f, g_stream), "fill");
  compare("fill", Vec(N, 2.5f), dy.get(), kExact);
  time_kernel("fill", F * N, [&] { archway_cuda_fill(dy.p, N, 2.5f, g_stream); });
  ok(archway_cuda_copy(da.p, dy.p, N, g_stream), "copy");
  compare("copy (save/restore)", a, dy.get(), kExact);
  time_kernel("copy (save/restore)", 2 * F * N, [&] { archway_cuda_copy(da.p, dy.p, N, g_stream); });
  time_kernel("memcpy_d2d (save/restore)", 2 * F * N, [&] { archway_cuda_memcpy_d2d(dy.p, da.p, N * 4, g_stream); });
  ok(archway_cuda_weight_noise(da.p, dy.p, N, 0.05f, 77, 11, 3, g_stream), "weight_noise");
  archway_cpu_weight_noise(a.data(), y.data(), N, 0.05f, 77, 11, 3);
  compare("weight_noise", y, dy.get(), kMath);
  time_kernel("weight_noise", 2 * F * N, [&] { archway_cuda_weight_noise(da.p, dy.p, N, 0.05f, 77, 11, 3, g_stream); });
  ok(archway_cuda_weight_noise_eps(da.p, db.p, dy.p, N, 0.05f, g_stream), "weight_noise_eps");
  archway_cpu_weight_noise_eps(a.data(), b.data(), y.data(), N, 0.05f);
  compare("weight_noise_eps", y, dy.get(), kUlp);
  ok(archway_cuda_asam_direction(da.p, db.p, dy.p, N, 0.01f, g_stream), "asam_direction");
  archway_cpu_asam_direction(a.data(), b.data(), y.data(), N, 0.01f);
  compare("asam_direction", y, dy.get(), kExact);
  DevF dm(N);
  Vec plus(N), minus(N);
  ok(archway_cuda_zo_perturb(da.p, db.p, 0.01f, dy.p, dm.p, N, g_stream), "zo_perturb");
  archway_cpu_zo_perturb(a.data(), b.data(), 0.01f, plus.data(), minus.data(), N);
  compare("zo_perturb plus", plus, dy.get(), kUlp);
  compare("zo_perturb minus", minus, dm.get(), kUlp);
  time_kernel("zo_perturb (both twins)", 4 * F * N, [&] { archway_cuda_zo_perturb(da.p, db.p, 0.01f, dy.p, dm.p, N, g_stream); });
  Vec u(N);
  ok(archway_cuda_philox_uniform(dy.p, N, 0xC0FFEE, 5, 9, g_stream), "uniform");
  archway_cpu_philox_uniform(u.data(), N, 0xC0FFEE, 5, 9);
  compare("philox_uniform", u, dy.get(), kExact);
  time_kernel("philox_uniform", F * N, [&] { archway_cuda_philox_uniform(dy.p, N, 1, 5, 9, g_stream); });
  ok(archway_cuda_philox_normal(dy.p, N, 0xC0FFEE, 5, 9, g_stream), "normal");
  archway_cpu_philox_normal(u.data(), N, 0xC0FFEE, 5, 9);
  compare("philox_normal", u, dy.get(), kMath);
}

void reductions() {
  Vec a = randn(N, 3), b = randn(N, 4), g = randn(N, 5);
  DevF da(a), db(b), dg(g);
  DevD scratch(ARCHWAY_MIXED_MAX_K * ARCHWAY_REDUCE_MAX_TILES + 1), out(1);
  const int64_t sl = (int64_t)scratch.n;
  for (int64_t n : {int64_t(1), int64_t(4097), int64_t(300007), N}) {
    const std::string sz = " n=" + std::to_string(n);
    double cpu;
    archway_cpu_sumsq_two_pass(a.data(), n, &cpu);
    ok(archway_cuda_sumsq_two_pass(da.p, n, out.p, scratch.p, sl, g_stream), "sumsq");
    compare("sumsq_two_pass" + sz, cpu, out.get()[0], kExact);
    archway_cpu_dot_two_pass(a.data(), b.data(), n, &cpu);
    ok(archway_cuda_dot_two_pass(da.p, db.p, n, out.p, scratch.p, sl, g_stream), "dot");
    compare("dot_two_pass" + sz, cpu, out.get()[0], kExact);
    archway_cpu_zo_weight_term(a.data(), b.data(), g.data(), n, &cpu);
    ok(archway_cuda_zo_weight_term(da.p, db.p, dg.p, n, out.p, scratch.p, sl, g_stream), "zo_weight_term");
    compare("zo_weight_term" + sz, cpu, out.get()[0], kExact);
  }
  // Rerun bit-identity (no atomics): the same call twice gives the same bits.
  ok(archway_cuda_sumsq_two_pass(da.p, N, out.p, scratch.p, sl, g_stream), "sumsq");
  const double first = out.get()[0];
  ok(archway_cuda_sumsq_two_pass(da.p, N, out.p, scratch.p, sl, g_stream), "sumsq");
  compare("sumsq_two_pass rerun", first, out.get()[0], kExact);
  time_kernel("sumsq_two_pass (L2 norm)", F * N, [&] { archway_cuda_sumsq_two_pass(da.p, N, out.p, scratch.p, sl, g_stream); });
  time_kernel("dot_two_pass", 2 * F * N, [&] { archway_cuda_dot_two_pass(da.p, db.p, N, out.p, scratch.p, sl, g_stream); });
  time_kernel("zo_weight_term", 3 * F * N,
              [&] { archway_cuda_zo_weight_term(da.p, db.p, dg.p, N, out.p, scratch.p, sl, g_stream); });
  Vec c = g;
  double norm;
  archway_cpu_clip_grad_norm(c.data(), N, 100.0f, &norm);
  ok(archway_cuda_clip_grad_norm(dg.p, N, 100.0f, out.p, scratch.p, sl, g_stream), "clip");
  compare("clip_grad_norm norm", norm, out.get()[0], kExact);
  compare("clip_grad_norm scaled", c, dg.get(), kExact);
  time_kernel("clip_grad_norm", 3 * F * N, [&] { archway_cuda_clip_grad_norm(dg.p, N, 1e9f, out.p, scratch.p, sl, g_stream); });
  const int64_t d = 1 << 20;
  Vec z(d);
  archway_cpu_zo_direction(z.data(), d, 5, 7, 12);
  DevF dz(d);
  ok(archway_cuda_zo_direction(dz.p, d, 5, 7, 12, scratch.p, sl, g_stream), "zo_direction");
  compare("zo_direction", z, dz.get(), kMath);
  time_kernel("zo_direction (d=2^20)", 3 * F * d, [&] { archway_cuda_zo_direction(dz.p, d, 5, 7, 12, scratch.p, sl, g_stream); });
}

void mixed() {
  const int k = 8;
  const int64_t n = int64_t(1) << 22;
  std::vector<Vec> xs;
  std::vector<DevF*> dxs;
  const float* hp[k];
  const float* dp[k];
  for (int j = 0; j < k; ++j) {
    xs.push_back(randn(n, 20 + j));
    dxs.push_back(new DevF(xs.back()));
    hp[j] = j == 2 ? nullptr : xs[j].data();  // candidate 2 is op "none"
    dp[j] = j == 2 ? nullptr : dxs[j]->p;
  }
  const std::vector<float> w = {0.3f, 0.0f, 0.2f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};  // candidate 1 zeroed
  DevF dw_(w), y(n), dy_(randn(n, 40));
  Vec yc(n), dyc = randn(n, 40);
  ok(archway_cuda_mixed_fwd(dp, dw_.p, k, n, y.p, 0, g_stream), "mixed_fwd");
  archway_cpu_mixed_fwd(hp, w.data(), k, n, yc.data(), 0);
  compare("mixed_fwd", yc, y.get(), kExact);
  time_kernel("mixed_fwd (K=8, 6 active)", (6 + 1) * F * n, [&] { archway_cuda_mixed_fwd(dp, dw_.p, k, n, y.p, 0, g_stream); });
  std::vector<Vec> gc(k, Vec(n));
  std::vector<DevF*> gd;
  float* gcp[k];
  float* gdp[k];
  for (int j = 0; j < k; ++j) {
    gd.push_back(new DevF(n));
    gcp[j] = gc[j].data();
    gdp[j] = gd[j]->p;
  }
  Vec dwc(k);
  DevF dwd(k);
  DevD scratch(ARCHWAY_MIXED_MAX_K * ARCHWAY_REDUCE_MAX_TILES + 1);
  ok(archway_cuda_mixed_bwd(dp, dw_.p, k, n, dy_.p, gdp, dwd.p, 0, 0, scratch.p, (int64_t)scratch.n, g_stream), "mixed_bwd");
  archway_cpu_mixed_bwd(hp, w.data(), k, n, dyc.data(), gcp, dwc.data(), 0, 0);
  for (int j = 0; j < k; ++j)
    if (w[j] != 0.0f && hp[j] != nullptr) compare("mixed_bwd dx[" + std::to_string(j) + "]", gc[j], gd[j]->get(), kExact);
  compare("mixed_bwd dw vs cpu kernel", dwc, dwd.get(), 1e-6);
  Vec dw2 = dwd.get();
  for (int j = 0; j < k; ++j) {
    double two = 0.0;
    if (hp[j]) archway_cpu_dot_two_pass(dyc.data(), hp[j], n, &two);
    compare("mixed_bwd dw[" + std::to_string(j) + "] = (float)dot_two_pass", Vec{(float)two}, Vec{dw2[j]}, kExact);
  }
  time_kernel("mixed_bwd (K=8: 6 dx, 7 dots)", (1 + 7 + 6) * F * n, [&] {
    archway_cuda_mixed_bwd(dp, dw_.p, k, n, dy_.p, gdp, dwd.p, 0, 0, scratch.p, (int64_t)scratch.n, g_stream);
  });
  for (int j = 0; j < k; ++j) delete dxs[j], delete gd[j];
}

void simplex() {
  const int rows = 14, cols = 8;
  Vec x = randn(rows * cols, 41, 2.0f), dy = randn(rows * cols, 42), y(rows * cols), dx(rows * cols);
  DevF dx_(x), ddy(dy), dyv(rows * cols), ddx(rows * cols);
  ok(archway_cuda_softmax_rows_fwd(dx_.p, dyv.p, rows, cols, 0.7f, g_stream), "softmax");
  archway_cpu_softmax_rows_fwd(x.data(), y.data(), rows, cols, 0.7f);
  compare("softmax_rows_fwd", y, dyv.get(), kMath);
  dyv.put(y);
  ok(archway_cuda_softmax_rows_bwd(dyv.p, ddy.p, ddx.p, rows, cols, 0.7f, 0, g_stream), "softmax bwd");
  archway_cpu_softmax_rows_bwd(y.data(), dy.data(), dx.data(), rows, cols, 0.7f, 0);
  compare("softmax_rows_bwd", dx, ddx.get(), kUlp);
  time_kernel("softmax_rows_fwd (14x8)", 2 * F * rows * cols, [&] { archway_cuda_softmax_rows_fwd(dx_.p, dyv.p, rows, cols, 0.7f, g_stream); });
  ok(archway_cuda_sparsemax_rows_fwd(dx_.p, dyv.p, rows, cols, 0.7f, g_stream), "sparsemax");
  archway_cpu_sparsemax_rows_fwd(x.data(), y.data(), rows, cols, 0.7f);
  compare("sparsemax_rows_fwd", y, dyv.get(), kUlp);
  dyv.put(y);
  ok(archway_cuda_sparsemax_rows_bwd(dyv.p, ddy.p, ddx.p, rows, cols, 0.7f, 0, g_stream), "sparsemax bwd");
  archway_cpu_sparsemax_rows_bwd(y.data(), dy.data(), dx.data(), rows, cols, 0.7f, 0);
  compare("sparsemax_rows_bwd", dx, ddx.get(), kUlp);
  time_kernel("sparsemax_rows_fwd (14x8)", 2 * F * rows * cols, [&] { archway_cuda_sparsemax_rows_fwd(dx_.p, dyv.p, rows, cols, 0.7f, g_stream); });
}

void optimisers() {
  Vec w = randn(N, 50), g = randn(N, 51), m = randn(N, 52, 0.1f), v = randn(N, 53);
  for (float& q : v) q = q * q;
  for (int nesterov = 0; nesterov < 2; ++nesterov) {
    DevF dw(w), dg(g), dm(m);
    Vec wc = w, mc = m;
    ok(archway_cuda_sgd_step(dw.p, dg.p, dm.p, N, 0.1f, 0.9f, 5e-4f, nesterov, g_stream), "sgd");
    archway_cpu_sgd_step(wc.data(), g.data(), mc.data(), N, 0.1f, 0.9f, 5e-4f, nesterov);
    compare(std::string("sgd_step w") + (nesterov ? " nesterov" : ""), wc, dw.get(), kUlp);
    compare(std::string("sgd_step momentum") + (nesterov ? " nesterov" : ""), mc, dm.get(), kUlp);
    if (nesterov)
      time_kernel("sgd_step (momentum, nesterov, wd)", 5 * F * N,
                  [&] { archway_cuda_sgd_step(dw.p, dg.p, dm.p, N, 0.0f, 0.9f, 5e-4f, 1, g_stream); });
  }
  for (int decoupled = 0; decoupled < 2; ++decoupled) {
    DevF dw(w), dg(g), dm(m), dv(v);
    Vec wc = w, mc = m, vc = v;
    ok(archway_cuda_adam_step(dw.p, dg.p, dm.p, dv.p, N, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, 7, decoupled, g_stream), "adam");
    archway_cpu_adam_step(wc.data(), g.data(), mc.data(), vc.data(), N, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, 7, decoupled);
    const std::string tag = decoupled ? "adamw" : "adam";
    compare(tag + "_step w", wc, dw.get(), kUlp);
    compare(tag + "_step m", mc, dm.get(), kUlp);
    compare(tag + "_step v", vc, dv.get(), kUlp);
    time_kernel(tag + "_step", 7 * F * N, [&] {
      archway_cuda_adam_step(dw.p, dg.p, dm.p, dv.p, N, 0.0f, 0.9f, 0.999f, 1e-8f, 1e-2f, 7, decoupled, g_stream);
    });
  }
}

void activations() {
  Vec x = randn(N, 60, 4.0f), dy = randn(N, 61), prev = randn(N, 62);
  DevF dx(x), ddy(dy), dout(N);
  const char* names[] = {"relu", "sigmoid", "hswish", "hsigmoid"};
  for (int kind = 0; kind < 4; ++kind) {
    Vec y(N);
    ok(archway_cuda_act_fwd(kind, dx.p, dout.p, N, g_stream), "act_fwd");
    archway_cpu_act_fwd(kind, x.data(), y.data(), N);
    compare(std::string("act_fwd ") + names[kind], y, dout.get(), kind == 1 ? kMath : kExact);
    time_kernel(std::string("act_fwd ") + names[kind], 2 * F * N, [&] { archway_cuda_act_fwd(kind, dx.p, dout.p, N, g_stream); });
    dout.put(prev);
    y = prev;
    ok(archway_cuda_act_bwd(kind, dx.p, ddy.p, dout.p, N, 1, g_stream), "act_bwd");
    archway_cpu_act_bwd(kind, x.data(), dy.data(), y.data(), N, 1);
    compare(std::string("act_bwd ") + names[kind] + " acc", y, dout.get(), kind == 1 ? kMath : kExact);
    time_kernel(std::string("act_bwd ") + names[kind] + " acc", 4 * F * N,
                [&] { archway_cuda_act_bwd(kind, dx.p, ddy.p, dout.p, N, 1, g_stream); });
  }
}

void channels() {
  const int n = 64, c = 64, hw = 32 * 32;
  const int64_t size = (int64_t)n * c * hw;
  Vec x = randn(size, 70), y0 = randn(size, 71);
  DevF dx(x), dy(y0);
  Vec y = y0;
  ok(archway_cuda_channel_copy(dx.p, dy.p, n, c, 8, c, 24, 32, hw, 1, g_stream), "channel_copy");
  archway_cpu_channel_copy(x.data(), y.data(), n, c, 8, c, 24, 32, hw, 1);
  compare("channel_copy (concat/slice) acc", y, dy.get(), kExact);
  time_kernel("channel_copy (half the channels)", 2 * F * size / 2,
              [&] { archway_cuda_channel_copy(dx.p, dy.p, n, c, 8, c, 24, 32, hw, 0, g_stream); });
  for (int inv = 0; inv < 2; ++inv) {
    ok(archway_cuda_channel_shuffle(dx.p, dy.p, n, c, hw, 4, inv, 0, g_stream), "shuffle");
    archway_cpu_channel_shuffle(x.data(), y.data(), n, c, hw, 4, inv, 0);
    compare(std::string("channel_shuffle") + (inv ? " inverse" : ""), y, dy.get(), kExact);
  }
  time_kernel("channel_shuffle", 2 * F * size, [&] { archway_cuda_channel_shuffle(dx.p, dy.p, n, c, hw, 4, 0, 0, g_stream); });
  const int h = 32, w = 32, oh = 16, ow = 16;
  const int64_t osz = (int64_t)n * c * oh * ow;
  Vec ys(osz);
  DevF dys(osz);
  ok(archway_cuda_spatial_shift(dx.p, dys.p, n, c, h, w, oh, ow, 1, 17, 0, 0, g_stream), "shift");
  archway_cpu_spatial_shift(x.data(), ys.data(), n, c, h, w, oh, ow, 1, 17, 0, 0);
  compare("spatial_shift fwd", ys, dys.get(), kExact);
  ok(archway_cuda_spatial_shift(dys.p, dy.p, n, c, h, w, oh, ow, 1, 17, 1, 0, g_stream), "shift bwd");
  archway_cpu_spatial_shift(ys.data(), y.data(), n, c, h, w, oh, ow, 1, 17, 1, 0);
  compare("spatial_shift bwd", y, dy.get(), kExact);
  time_kernel("spatial_shift fwd", 2 * F * osz, [&] { archway_cuda_spatial_shift(dx.p, dys.p, n, c, h, w, oh, ow, 1, 1, 0, 0, g_stream); });
}

void size_variable() {
  const int planes = 256 * 256, big = 7;
  Vec full = randn((int64_t)planes * big * big, 80);
  DevF df(full), dfull_grad((int64_t)planes * big * big);
  for (int k : {3, 5}) {
    Vec crop((int64_t)planes * k * k);
    DevF dc((int64_t)planes * k * k);
    ok(archway_cuda_center_crop(df.p, dc.p, planes, big, k, 0, 0, g_stream), "crop");
    archway_cpu_center_crop(full.data(), crop.data(), planes, big, k, 0, 0);
    compare("center_crop fwd k=" + std::to_string(k), crop, dc.get(), kExact);
    Vec g = full;
    dfull_grad.put(full);
    ok(archway_cuda_center_crop(dc.p, dfull_grad.p, planes, big, k, 1, 1, g_stream), "crop bwd");
    archway_cpu_center_crop(crop.data(), g.data(), planes, big, k, 1, 1);
    compare("center_crop bwd acc k=" + std::to_string(k), g, dfull_grad.get(), kExact);
    time_kernel("center_crop fwd k=" + std::to_string(k), 2 * F * planes * k * k,
                [&] { archway_cuda_center_crop(df.p, dc.p, planes, big, k, 0, 0, g_stream); });
  }
  const int n = 256, c = 64, hw = 32 * 32;
  const int64_t size = (int64_t)n * c * hw;
  Vec x = randn(size, 81), b = randn(c, 82), y(size), db(c);
  DevF dx(x), dbias(b), dy(size), ddb(c);
  ok(archway_cuda_channel_bias_fwd(dx.p, dbias.p, dy.p, n, c, hw, g_stream), "bias");
  archway_cpu_channel_bias_fwd(x.data(), b.data(), y.data(), n, c, hw);
  compare("channel_bias fwd", y, dy.get(), kExact);
  ok(archway_cuda_channel_bias_bwd(dx.p, ddb.p, n, c, hw, 0, g_stream), "bias bwd");
  archway_cpu_channel_bias_bwd(x.data(), db.data(), n, c, hw, 0);
  compare("channel_bias bwd", db, ddb.get(), kExact);
  time_kernel("channel_bias fwd", 2 * F * size, [&] { archway_cuda_channel_bias_fwd(dx.p, dbias.p, dy.p, n, c, hw, g_stream); });
  time_kernel("channel_bias bwd", F * size, [&] { archway_cuda_channel_bias_bwd(dx.p, ddb.p, n, c, hw, 0, g_stream); });
}

void loss() {
  const int n = 256, k = 10;
  Vec logits = randn(n * k, 90, 3.0f), probs(n * k), d(n * k);
  std::vector<int32_t> labels(n);
  for (int i = 0; i < n; ++i) labels[i] = (i * 7) % k;
  Dev<int32_t> dl(labels), dcor(1);
  DevF dlog(logits), dprob(n * k), dloss(1), dd(n * k);
  DevD scratch(2 * n);
  float lc;
  int32_t cc;
  archway_cpu_softmax_xent_fwd(logits.data(), labels.data(), probs.data(), n, k, &lc, &cc);
  ok(archway_cuda_softmax_xent_fwd(dlog.p, dl.p, dprob.p, n, k, dloss.p, dcor.p, scratch.p, 2 * n, g_stream), "xent");
  compare("softmax_xent_fwd probs", probs, dprob.get(), kMath);
  compare("softmax_xent_fwd loss", Vec{lc}, dloss.get(), kMath);
  compare("softmax_xent_fwd correct", (double)cc, (double)dcor.get()[0], kExact);
  dprob.put(probs);
  ok(archway_cuda_softmax_xent_bwd(dprob.p, dl.p, dd.p, n, k, 1.0f, 0, g_stream), "xent bwd");
  archway_cpu_softmax_xent_bwd(probs.data(), labels.data(), d.data(), n, k, 1.0f, 0);
  compare("softmax_xent_bwd", d, dd.get(), kExact);
  time_kernel("softmax_xent_fwd (256x10)", 2 * F * n * k,
              [&] { archway_cuda_softmax_xent_fwd(dlog.p, dl.p, dprob.p, n, k, dloss.p, dcor.p, scratch.p, 2 * n, g_stream); });
}

void pooling() {
  struct Shape { int k, s, p, cip; };
  for (Shape s : {Shape{3, 1, 1, 0}, Shape{3, 2, 1, 0}, Shape{3, 1, 1, 1}}) {
    archway_pool2d_desc d{};
    d.n = 64, d.c = 64, d.h = 32, d.w = 32, d.kh = s.k, d.kw = s.k, d.stride_h = s.s, d.stride_w = s.s;
    d.pad_h = s.p, d.pad_w = s.p, d.count_include_pad = s.cip;
    d.oh = (d.h + 2 * s.p - s.k) / s.s + 1, d.ow = (d.w + 2 * s.p - s.k) / s.s + 1;
    const int64_t in = (int64_t)d.n * d.c * d.h * d.w, out = (int64_t)d.n * d.c * d.oh * d.ow;
    Vec x = randn(in, 100), y(out), dy = randn(out, 101), dx = randn(in, 102);
    DevF dx_(x), dyv(out), ddy(dy), ddx(dx);
    char tag[48];
    std::snprintf(tag, sizeof tag, " k%d s%d p%d%s", s.k, s.s, s.p, s.cip ? " incl-pad" : "");
    ok(archway_cuda_avgpool2d_fwd(&d, dx_.p, dyv.p, g_stream), "avgpool");
    archway_cpu_avgpool2d_fwd(&d, x.data(), y.data());
    compare(std::string("avgpool fwd") + tag, y, dyv.get(), kExact);
    ok(archway_cuda_avgpool2d_bwd(&d, ddy.p, ddx.p, 1, g_stream), "avgpool bwd");
    archway_cpu_avgpool2d_bwd(&d, dy.data(), dx.data(), 1);
    compare(std::string("avgpool bwd acc") + tag, dx, ddx.get(), kExact);
    time_kernel(std::string("avgpool fwd") + tag, F * (in + out), [&] { archway_cuda_avgpool2d_fwd(&d, dx_.p, dyv.p, g_stream); });
    time_kernel(std::string("avgpool bwd") + tag, F * (in + out), [&] { archway_cuda_avgpool2d_bwd(&d, ddy.p, ddx.p, 0, g_stream); });
  }
}

}  // namespace

int main(int argc, char** argv) {
  int32_t count = 0;
  char msg[256] = {0};
  if (archway_cuda_device_count(&count, msg, sizeof msg) != ARCHWAY_OK || count == 0) {
    std::printf("{\"check\":\"kernels\",\"status\":\"no-device\",\"reason\":\"%s\"}\n", msg[0] ? msg : "0 devices");
    std::fprintf(stderr, "kernel_check: no usable CUDA device (%s)\n", msg[0] ? msg : "0 devices");
    return 2;
  }
  char name[256];
  int64_t mem;
  int32_t major, minor;
  archway_cuda_device_info(0, name, sizeof name, &mem, &major, &minor);
  std::printf("{\"device\":\"%s\",\"compute_capability\":\"%d.%d\",\"memory_gib\":%.1f,\"cpu_threads\":%d}\n", name, major,
              minor, mem / 1073741824.0, archway_cpu_get_threads());
  cuda_ok(cudaStreamCreate(&g_stream), "cudaStreamCreate");
  if (argc > 1 && (g_md = std::fopen(argv[1], "w")) != nullptr)
    std::fprintf(g_md, "# CUDA kernels vs libarchway_cpu on %s (sm_%d%d)\n\nTimings: median of 50 CUDA-event runs; "
                       "GB/s = compulsory bytes / time.\n\n| kernel | median us | GB/s | of copy bw |\n|---|---|---|---|\n",
                 name, major, minor);
  copy_bandwidth();
  flat_kernels();
  reductions();
  mixed();
  simplex();
  optimisers();
  activations();
  channels();
  size_variable();
  loss();
  pooling();
  cuda_ok(cudaStreamSynchronize(g_stream), "final sync");
  std::printf("{\"summary\":\"%d checks, %d failed\",\"status\":\"%s\"}\n", g_checks, g_failed, g_failed ? "FAIL" : "pass");
  if (g_md) {
    std::fprintf(g_md, "\n%d checks against the CPU kernels, %d failed.\n", g_checks, g_failed);
    std::fclose(g_md);
  }
  return g_failed ? 1 : 0;
}

// GPU check without a JVM (the device machine has none): CUDA Philox streams vs the CPU kernels, bit for
// bit, plus the fill rate. Links libarchway_cpu and libarchway_cuda; prints one JSON object; exit 0 when
// the streams agree, 1 when they do not, 2 when no device is usable.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>
#include "archway.h"
#include "archway.h"

int main() {
  int32_t count = 0;
  char msg[256] = {0};
  if (archway_cuda_device_count(&count, msg, sizeof msg) != ARCHWAY_OK || count == 0) {
    std::printf("{\"check\":\"philox\",\"status\":\"no-device\",\"reason\":\"%s\"}\n", count == 0 && !msg[0] ? "0 devices" : msg);
    return 2;
  }
  char name[256];
  int64_t mem;
  int32_t major, minor;
  archway_cuda_device_info(0, name, sizeof name, &mem, &major, &minor);
  const int64_t n = int64_t(1) << 26;  // 256 MiB of floats
  std::vector<float> cpu(n), gpu(n);
  void* dev = nullptr;
  if (archway_cuda_malloc(&dev, n * 4) != ARCHWAY_OK) { std::printf("{\"status\":\"malloc-failed\"}\n"); return 1; }
  long long uniform_mismatch = 0;
  double normal_worst = 0;
  for (int normal = 0; normal < 2; ++normal) {
    if (normal) archway_cpu_philox_normal(cpu.data(), n, 0xC0FFEE, 5, 9);
    else archway_cpu_philox_uniform(cpu.data(), n, 0xC0FFEE, 5, 9);
    if (normal) archway_cuda_philox_normal((float*)dev, n, 0xC0FFEE, 5, 9, nullptr);
    else archway_cuda_philox_uniform((float*)dev, n, 0xC0FFEE, 5, 9, nullptr);
    archway_cuda_synchronize();
    archway_cuda_memcpy_d2h(gpu.data(), dev, n * 4);
    for (int64_t i = 0; i < n; ++i) {
      if (normal) normal_worst = std::fmax(normal_worst, std::fabs(cpu[i] - gpu[i]));
      else if (std::memcmp(&cpu[i], &gpu[i], 4) != 0) ++uniform_mismatch;
    }
  }
  // Fill rate: 20 uniform fills of n floats.
  archway_cuda_synchronize();
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < 20; ++r) archway_cuda_philox_uniform((float*)dev, n, r, 5, 9, nullptr);
  archway_cuda_synchronize();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  archway_cuda_free(dev);
  bool ok = uniform_mismatch == 0 && normal_worst <= 1e-5;
  std::printf("{\"check\":\"philox\",\"status\":\"%s\",\"device\":\"%s\",\"compute_capability\":\"%d.%d\","
              "\"memory_gib\":%.1f,\"elements\":%lld,\"uniform_mismatches\":%lld,\"normal_max_abs_diff\":%.3g,"
              "\"uniform_fill_gb_per_s\":%.1f}\n",
              ok ? "pass" : "FAIL", name, major, minor, mem / 1073741824.0, (long long)n, uniform_mismatch,
              normal_worst, 20.0 * n * 4 / secs / 1e9);
  return ok ? 0 : 1;
}

// Library-wide entry points: ABI version, thread control, CPU feature report.
#include <cstdio>
#include <cstring>
#include <omp.h>
#include "archway.h"

extern "C" {

int32_t archway_cpu_abi_version(void) { return 1; }

int32_t archway_cpu_set_threads(int32_t threads) {
  if (threads < 1) return ARCHWAY_EINVAL;
  omp_set_num_threads(threads);
  return ARCHWAY_OK;
}

int32_t archway_cpu_get_threads(void) { return omp_get_max_threads(); }

int32_t archway_cpu_features(char* buf, int32_t cap) {
  if (buf == nullptr || cap < 1) return ARCHWAY_EINVAL;
  char out[256] = {0};
  const struct { const char* name; bool compiled; } flags[] = {
#ifdef __AVX512F__
      {"avx512f", true},
#endif
#ifdef __AVX2__
      {"avx2", true},
#endif
#ifdef __FMA__
      {"fma", true},
#endif
#ifdef __AVX__
      {"avx", true},
#endif
#ifdef __SSE4_2__
      {"sse4.2", true},
#endif
      {"", false}};
  __builtin_cpu_init();
  for (const auto& f : flags) {
    if (!f.compiled) continue;
    // Report what the binary uses and the running CPU supports (a mismatch would fault earlier).
    if (std::strlen(out) + std::strlen(f.name) + 2 < sizeof(out)) {
      if (out[0]) std::strcat(out, " ");
      std::strcat(out, f.name);
    }
  }
  std::snprintf(buf, (size_t)cap, "%s", out[0] ? out : "scalar");
  return ARCHWAY_OK;
}

}  // extern "C"

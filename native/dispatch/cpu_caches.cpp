// Cache sizes of the running CPU, read once: the kernels size their blocks from them instead of from
// the machine they were tuned on. Per-core data caches: L1d and L2 (L3 is shared and not used here).
//
// Sources, first that answers: ARCHWAY_L1D_BYTES / ARCHWAY_L2_BYTES (experiments), sysconf (glibc
// reads cpuid), /sys/devices/system/cpu/cpu0/cache/index*/ (Linux, works under more hypervisors),
// then 32 KiB / 1 MiB (the smallest of current x86 server cores).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "archway/cpu_caches.h"

namespace {

int64_t from_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return 0;
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  return (end != nullptr && *end == '\0' && n >= 4096 && n <= (1LL << 32)) ? (int64_t)n : 0;
}

int64_t from_sysfs(int level) {
  for (int i = 0; i < 8; ++i) {
    char path[96];
    int lv = 0;
    char type[32] = "", size[32] = "";
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
    FILE* f = std::fopen(path, "r");
    if (f == nullptr) break;
    const bool ok_level = std::fscanf(f, "%d", &lv) == 1;
    std::fclose(f);
    if (!ok_level || lv != level) continue;
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
    if ((f = std::fopen(path, "r")) == nullptr) continue;
    const bool ok_type = std::fscanf(f, "%31s", type) == 1;
    std::fclose(f);
    if (!ok_type || std::strcmp(type, "Instruction") == 0) continue;
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
    if ((f = std::fopen(path, "r")) == nullptr) continue;
    const bool ok_size = std::fscanf(f, "%31s", size) == 1;
    std::fclose(f);
    if (!ok_size) continue;
    char* end = nullptr;
    const long long n = std::strtoll(size, &end, 10);
    if (n <= 0) continue;
    return (end != nullptr && (*end == 'K' || *end == 'k')) ? n * 1024 : (end != nullptr && *end == 'M') ? n << 20 : n;
  }
  return 0;
}

int64_t detect(int level, const char* env, int sc, int64_t fallback) {
  if (int64_t v = from_env(env)) return v;
  const long s = sysconf(sc);
  if (s > 0) return s;
  if (int64_t v = from_sysfs(level)) return v;
  return fallback;
}

}  // namespace

namespace archway::caches {

int64_t l1d_bytes() {
  static const int64_t v = detect(1, "ARCHWAY_L1D_BYTES", _SC_LEVEL1_DCACHE_SIZE, 32 << 10);
  return v;
}

int64_t l2_bytes() {
  static const int64_t v = detect(2, "ARCHWAY_L2_BYTES", _SC_LEVEL2_CACHE_SIZE, 1 << 20);
  return v;
}

}  // namespace archway::caches

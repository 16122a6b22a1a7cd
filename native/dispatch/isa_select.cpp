// Chooses the kernel variant once, when the library is loaded, and reports it.
//
// Automatic choice: the widest variant the running CPU (and OS, for the AVX/AVX-512 register state)
// supports. ARCHWAY_ISA=baseline|avx2|avx512 forces one, for benchmarking and for testing each variant
// on one machine; a value the CPU cannot run (or that is not built) is refused with a warning and the
// automatic choice stands, so a wrong setting can slow a run down but never crash it.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "archway.h"
#include "archway/cpu_caches.h"
#include "isa.h"

namespace archway::isa {
namespace {

struct VariantInfo {
  const char* name;
  const char* level;     // the -march the variant is compiled for
  const char* features;  // what that level adds that the kernels use
};

constexpr VariantInfo kKnown[] = {
    {"baseline", "x86-64-v2", "sse4.2 popcnt"},
    {"avx2", "x86-64-v3", "avx2 fma"},
    {"avx512", "x86-64-v4", "avx512f avx512bw avx512dq avx512vl"},
};

const VariantInfo* info(const char* name) {
  for (const auto& k : kKnown)
    if (std::strcmp(k.name, name) == 0) return &k;
  return nullptr;
}

bool cpu_runs(const char* name) {
  __builtin_cpu_init();
  if (std::strcmp(name, "baseline") == 0) return __builtin_cpu_supports("x86-64-v2");
  if (std::strcmp(name, "avx2") == 0) return __builtin_cpu_supports("x86-64-v3");
  if (std::strcmp(name, "avx512") == 0) return __builtin_cpu_supports("x86-64-v4");
  return false;
}

int g_chosen = 0;
char g_reason[160] = "automatic";

int built_index(const char* name) {
  for (int v = 0; v < kVariantCount; ++v)
    if (std::strcmp(kVariantNames[v], name) == 0) return v;
  return -1;
}

void select_variant() {
  int best = 0;
  for (int v = 0; v < kVariantCount; ++v)
    if (cpu_runs(kVariantNames[v])) best = v;
  g_chosen = best;
  const char* forced = std::getenv("ARCHWAY_ISA");
  if (forced != nullptr && forced[0] != '\0') {
    const int v = built_index(forced);
    if (v < 0) {
      std::fprintf(stderr, "warning: ARCHWAY_ISA=%s ignored: not a built variant (", forced);
      for (int i = 0; i < kVariantCount; ++i) std::fprintf(stderr, i ? " %s" : "%s", kVariantNames[i]);
      std::fprintf(stderr, "); using %s\n", kVariantNames[best]);
      std::snprintf(g_reason, sizeof g_reason, "ARCHWAY_ISA=%.64s ignored (not a variant)", forced);
    } else if (!cpu_runs(forced)) {
      std::fprintf(stderr, "warning: ARCHWAY_ISA=%s ignored: this CPU cannot run it; using %s\n", forced,
                   kVariantNames[best]);
      std::snprintf(g_reason, sizeof g_reason, "ARCHWAY_ISA=%s ignored (CPU lacks it)", forced);
    } else {
      g_chosen = v;
      std::snprintf(g_reason, sizeof g_reason, "forced by ARCHWAY_ISA");
    }
  }
  for (int e = 0; e < kEntryCount; ++e) archway_isa_slots[e] = kEntries[g_chosen][e];
}

__attribute__((constructor)) void on_load() { select_variant(); }

}  // namespace
}  // namespace archway::isa

using namespace archway::isa;

extern "C" {

// "<variant> (<level>: <features>); runs here: <variants>; <why chosen>; blocking for L1d .. KiB, L2 .. KiB"
__attribute__((visibility("default"))) int32_t archway_cpu_features(char* buf, int32_t cap) {
  if (buf == nullptr || cap < 1) return ARCHWAY_EINVAL;
  const char* name = kVariantNames[g_chosen];
  const VariantInfo* vi = info(name);
  char runs[64] = "";
  for (int v = 0; v < kVariantCount; ++v)
    if (cpu_runs(kVariantNames[v]) && std::strlen(runs) + std::strlen(kVariantNames[v]) + 2 < sizeof runs) {
      std::strcat(runs, " ");
      std::strcat(runs, kVariantNames[v]);
    }
  std::snprintf(buf, (size_t)cap, "%s (%s: %s); runs here:%s; %s; blocking for L1d %lld KiB, L2 %lld KiB", name,
                vi ? vi->level : "?", vi ? vi->features : "?", runs, g_reason,
                (long long)(archway::caches::l1d_bytes() >> 10), (long long)(archway::caches::l2_bytes() >> 10));
  return ARCHWAY_OK;
}

}  // extern "C"

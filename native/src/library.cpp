// Library-wide entry points: ABI version, thread control. The feature report (which ISA variant
// runs) lives in dispatch/isa_select.cpp, outside the per-variant builds.
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

}  // extern "C"

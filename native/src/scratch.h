// Per-thread scratch memory that grows on demand and is kept for the next call, like a std::vector
// (contents kept on growth, new floats zero), but blocks of 1 MiB and more are mapped on 2 MiB
// boundaries, rounded up to whole huge pages and advised MADV_HUGEPAGE (the same threshold as the Java
// arena's HugePageMemory). On a virtual machine a 4 KiB page that misses the TLB costs a two-level (guest
// and host) page walk; the kernels touch their scratch on every call, so a large scratch block on small
// pages pays hundreds of walks per call. Measured: the NB201 training step 5-10% faster (docs/ENGINE.md,
// "Huge pages"). From 256 KiB was no faster and cost 13-20 MiB more peak RSS. ARCHWAY_HUGEPAGES=off keeps
// 4 KiB pages.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/mman.h>

namespace archway {

class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { release(); }

  // At least `floats` floats, page aligned.
  float* grow(int64_t floats) {
    const size_t bytes = (size_t)(floats > 0 ? floats : 1) * sizeof(float);
    if (bytes <= capacity_) return data_;
    const bool huge = bytes >= kHugeMin && huge_pages_allowed();
    const size_t cap = round_up(bytes, huge ? kHugePage : kSmallPage);
    // One huge page more than needed, so the block can start on a 2 MiB boundary.
    const size_t mapped = huge ? cap + kHugePage : cap;
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();  // as std::vector would
    char* base = static_cast<char*>(p);
    char* start = base;
    if (huge) {
      start = reinterpret_cast<char*>(round_up(reinterpret_cast<uintptr_t>(base), kHugePage));
      if (start > base) munmap(base, (size_t)(start - base));
      const size_t tail = (size_t)(base + mapped - (start + cap));
      if (tail > 0) munmap(start + cap, tail);
#if defined(MADV_HUGEPAGE)
      madvise(start, cap, MADV_HUGEPAGE);  // advice only: where huge pages are off, small pages remain
#endif
    }
    if (data_ != nullptr) std::memcpy(start, data_, capacity_);
    release();
    data_ = reinterpret_cast<float*>(start);
    capacity_ = cap;
    return data_;
  }

 private:
  static constexpr size_t kSmallPage = 4096, kHugePage = 2u << 20, kHugeMin = 1u << 20;
  static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }
  static bool huge_pages_allowed() {
    static const bool allowed = [] {
      const char* v = std::getenv("ARCHWAY_HUGEPAGES");
      return v == nullptr || std::strcmp(v, "off") != 0;
    }();
    return allowed;
  }
  void release() {
    if (data_ != nullptr) munmap(data_, capacity_);
    data_ = nullptr;
    capacity_ = 0;
  }
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace archway

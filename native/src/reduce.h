// Deterministic double reductions shared by the CPU kernels (host only).
// The split into chunks depends on n alone, never on the thread count, and chunk partials are added in
// chunk order, so a reduction is bit-identical run to run and for any OpenMP team size.
#ifndef ARCHWAY_SRC_REDUCE_H
#define ARCHWAY_SRC_REDUCE_H
#include <stdint.h>

namespace archway {

constexpr int64_t kReduceMaxChunks = 64;
constexpr int64_t kReduceMinChunk = 16384;  // below this a chunk is not worth a thread
constexpr int64_t kParallelMin = 32768;     // elementwise loops shorter than this stay serial

inline int64_t reduce_chunks(int64_t n) {
  int64_t c = n / kReduceMinChunk;
  return c < 1 ? 1 : (c > kReduceMaxChunks ? kReduceMaxChunks : c);
}
inline int64_t chunk_begin(int64_t n, int64_t chunks, int64_t c) { return (int64_t)((__int128)n * c / chunks); }

// Eight independent lanes let the compiler vectorise without reassociating: lane j sums the terms
// i = j mod 8 in order, and the lanes are added 0..7 at the end. Products of two floats are exact in
// double, so FMA contraction cannot change the result either.
template <class Term>
inline double lane_sum(int64_t len, Term term) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= len; i += 8)
    for (int j = 0; j < 8; ++j) acc[j] += term(i + j);
  double tail = 0;
  for (; i < len; ++i) tail += term(i);
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

// sum_{i<n} term(i) with the fixed chunking above.
template <class Term>
inline double det_sum(int64_t n, Term term) {
  const int64_t chunks = reduce_chunks(n);
  if (chunks == 1) return lane_sum(n, term);
  double partial[kReduceMaxChunks];
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t b = chunk_begin(n, chunks, c), e = chunk_begin(n, chunks, c + 1);
    partial[c] = lane_sum(e - b, [&](int64_t i) { return term(b + i); });
  }
  double s = 0;
  for (int64_t c = 0; c < chunks; ++c) s += partial[c];
  return s;
}

}  // namespace archway
#endif

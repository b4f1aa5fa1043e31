// Small dense vector kernels, inline so that they vectorize inside their callers (including the
// per-CPU clones of hot loops, see AISLE_HOT_LOOP).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace aisle::linalg {

// Marks a function compiled twice or three times for x86-64: for AVX-512, AVX2 + FMA and the
// baseline; the loader picks the best one the CPU has (GCC/Clang function multiversioning).
// Results can differ in the last bits between clones (FMA), never between runs on one machine.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define AISLE_HOT_LOOP __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define AISLE_HOT_LOOP
#endif

// Sixteen partial sums: a float reduction only vectorizes when its order is written out (no
// -ffast-math), and this order is the same on every CPU.
inline float dot(const float* a, const float* b, std::size_t n) {
  float acc[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (std::size_t j = 0; j < 16; ++j) acc[j] += a[i + j] * b[i + j];
  }
  for (std::size_t j = 0; i < n; ++i, ++j) acc[j] += a[i] * b[i];
  // A pairwise tree, not 16 dependent adds: the reduction's latency dominates short vectors.
  for (std::size_t j = 0; j < 8; ++j) acc[j] += acc[j + 8];
  for (std::size_t j = 0; j < 4; ++j) acc[j] += acc[j + 4];
  return (acc[0] + acc[2]) + (acc[1] + acc[3]);
}

// y += a * x
inline void axpy(float a, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

// Asks the cache for the n floats at p (a hint; used for rows read in a data-dependent order).
inline void prefetch(const float* p, std::size_t n) {
  for (std::size_t off = 0; off < n; off += 16) __builtin_prefetch(p + off);
}

// y = A x for a symmetric row-major A (n x n), as a sum of A's rows scaled by x: no reductions.
inline void symv(const float* a, const float* x, float* y, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) y[r] = 0.0f;
  for (std::size_t c = 0; c < n; ++c) axpy(x[c], a + c * n, y, n);
}

// Whether every value is a finite number (a diverged fit leaves NaN or infinity behind).
inline bool all_finite(std::span<const float> values) {
  bool finite = true;
  for (const float v : values) finite &= std::isfinite(v);
  return finite;
}

}  // namespace aisle::linalg

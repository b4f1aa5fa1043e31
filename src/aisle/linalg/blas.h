// Dense linear algebra on row-major float matrices, through OpenBLAS (which picks its kernels for
// the CPU at run time, so aisle needs no -march flag). Callers parallelize over their own work,
// so OpenBLAS runs single-threaded from the first call on (whatever OPENBLAS_NUM_THREADS says),
// and the thread budget is decided in one place: RunContext::threads. A caller that makes one
// large BLAS call (EASE's inverse) raises it with set_blas_threads and sets it back to 1.
#pragma once

#include <cstdint>

namespace aisle::linalg {

void set_blas_threads(int threads);

// C (m x n) = A (m x d) * B^T, B being n x d. All row-major and contiguous.
void gemm_abt(const float* a, std::int64_t m, const float* b, std::int64_t n, std::int64_t d, float* c);

// G (d x d, both triangles filled) = A^T A for A (n x d) row-major.
void gram(const float* a, std::int64_t n, std::int64_t d, float* g);

// Replaces the symmetric positive definite A (n x n, both triangles) by its inverse, both
// triangles filled. Returns false when A is not positive definite (A is then unspecified).
bool invert_spd(float* a, std::int64_t n);
bool invert_spd(double* a, std::int64_t n);

// Solves A x = b in place for symmetric positive definite A (n x n); A is overwritten.
// Returns false when A is not positive definite.
bool solve_spd(float* a, float* b, std::int64_t n);

}  // namespace aisle::linalg

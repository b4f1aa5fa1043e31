// Dense linear algebra on row-major float matrices, through OpenBLAS (which picks its kernels for
// the CPU at run time, so aisle needs no -march flag).
#pragma once

#include <cstdint>
#include <mutex>

#include "aisle/core/run_context.h"

namespace aisle::linalg {

// How many threads BLAS uses is decided here and nowhere else, from a RunContext's budget.
// Callers parallelize over their own blocks (core/parallel.h) and call BLAS inside them, so BLAS
// runs on one thread from the first call on, whatever OPENBLAS_NUM_THREADS says. A caller whose
// one large BLAS call is all the work of the moment (EASE's inverse) holds a WholeBudgetBlas
// around it: BLAS then uses the run's whole budget, and one thread again once the scope ends.
//
// Thread safety: the setting is process-wide, so scopes are serialized (a second one waits for
// the first to end), and BLAS calls on other threads meanwhile may run on the raised count.
// Inside a parallel_for task the budget is already in use: the scope keeps BLAS on one thread.
class WholeBudgetBlas {
 public:
  explicit WholeBudgetBlas(const RunContext& run);
  ~WholeBudgetBlas();
  WholeBudgetBlas(const WholeBudgetBlas&) = delete;
  WholeBudgetBlas& operator=(const WholeBudgetBlas&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
};

// Puts the one-thread default in force for code that calls BLAS without going through this
// header (libtorch's matrix products run on the same OpenBLAS): call it before such code first runs.
void default_blas_threads();

// The number of threads BLAS uses now (for tests).
int blas_threads();

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

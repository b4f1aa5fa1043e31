#include "aisle/linalg/blas.h"

#include <cblas.h>

#include <mutex>

extern "C" {
// LAPACK (Fortran calling convention), provided by libopenblas.
void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info);
void spotri_(const char* uplo, const int* n, float* a, const int* lda, int* info);
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);
void dpotri_(const char* uplo, const int* n, double* a, const int* lda, int* info);
void sposv_(const char* uplo, const int* n, const int* nrhs, float* a, const int* lda, float* b, const int* ldb,
            int* info);
}

namespace aisle::linalg {

namespace {

// OpenBLAS starts with one thread per core; aisle parallelizes over its own blocks and calls
// BLAS from inside them, so BLAS runs single-threaded unless a WholeBudgetBlas says otherwise.
// Every entry point goes through this before its first BLAS call.
void default_to_one_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

std::mutex& whole_budget_mutex() {
  static std::mutex m;
  return m;
}

// LAPACK fills one triangle; row-major "lower" is column-major "upper". Copies it to the other.
template <class T>
void mirror_upper_to_lower(T* a, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < i; ++j) a[i * n + j] = a[j * n + i];
  }
}

template <class T, class Potrf, class Potri>
bool invert_spd_impl(T* a, std::int64_t n, Potrf potrf, Potri potri) {
  default_to_one_thread();
  const int nn = static_cast<int>(n);
  int info = 0;
  const char uplo = 'L';  // column-major lower == row-major upper
  potrf(&uplo, &nn, a, &nn, &info);
  if (info != 0) return false;
  potri(&uplo, &nn, a, &nn, &info);
  if (info != 0) return false;
  mirror_upper_to_lower(a, n);
  return true;
}

}  // namespace

WholeBudgetBlas::WholeBudgetBlas(const RunContext& run) : lock_(whole_budget_mutex()) {
  default_to_one_thread();
  openblas_set_num_threads(ThreadPool::in_task() ? 1 : run.threads());
}

WholeBudgetBlas::~WholeBudgetBlas() {
  openblas_set_num_threads(1);
}

void default_blas_threads() {
  default_to_one_thread();
}

int blas_threads() {
  default_to_one_thread();
  return openblas_get_num_threads();
}

void gemm_abt(const float* a, std::int64_t m, const float* b, std::int64_t n, std::int64_t d, float* c) {
  default_to_one_thread();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(d),
              1.0f, a, static_cast<int>(d), b, static_cast<int>(d), 0.0f, c, static_cast<int>(n));
}

void gram(const float* a, std::int64_t n, std::int64_t d, float* g) {
  default_to_one_thread();
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(d), static_cast<int>(n), 1.0f, a,
              static_cast<int>(d), 0.0f, g, static_cast<int>(d));
  mirror_upper_to_lower(g, d);
}

bool invert_spd(float* a, std::int64_t n) {
  return invert_spd_impl(a, n, spotrf_, spotri_);
}

bool invert_spd(double* a, std::int64_t n) {
  return invert_spd_impl(a, n, dpotrf_, dpotri_);
}

bool solve_spd(float* a, float* b, std::int64_t n) {
  default_to_one_thread();
  const int nn = static_cast<int>(n), one = 1;
  int info = 0;
  const char uplo = 'L';
  sposv_(&uplo, &nn, &one, a, &nn, b, &nn, &info);
  return info == 0;
}

}  // namespace aisle::linalg

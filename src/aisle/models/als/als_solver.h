// The implicit-ALS solver (Hu, Koren, Volinsky 2008) with the conjugate-gradient step of Takacs et
// al. (2011), apart from any data layout: the single-process fit (als.cpp) and the distributed one
// (dist/) both call it, so the two agree to the bit for the same inputs.
//
// A half-step solves, for each row r of a sparse matrix (the users of a CSR matrix, or the items of
// its transpose), the system
//   (YtY + reg I + sum_i (c_i - 1) y_i y_i^T) x_r = sum_i c_i y_i,   c_i = 1 + alpha * value_i,
// where i runs over the row's nonzeros and y_i are rows of the fixed factors. The Gram matrix
// YtY + reg I is passed in, so a distributed fit can sum the parts of YtY first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "aisle/core/run_context.h"
#include "aisle/dist/communicator.h"

namespace aisle::als {

// Rows [0, rows) of a CSR matrix: row r's nonzeros are [indptr[r], indptr[r + 1]) of indices (rows
// of the fixed factors) and values (the transformed weights). Borrowed, not owned.
struct SparseRows {
  const std::uint64_t* indptr = nullptr;
  const std::uint32_t* indices = nullptr;
  const float* values = nullptr;
  std::size_t rows = 0;
};

// Rows [begin, end) of a SparseRows: the same arrays, indptr moved to `begin`.
SparseRows slice(const SparseRows& rows, std::size_t begin, std::size_t end);

// Splits rows [0, rows.rows) into `parts` contiguous ranges of about equal work: a row costs its
// nonzeros plus dim / 2 (its CG steps' products with the Gram matrix). Returns parts + 1 bounds.
std::vector<std::size_t> split_rows(const SparseRows& rows, std::size_t dim, int parts);

struct SolveSettings {
  std::size_t dim = 0;  // floats per factor row
  float alpha = 1.0f;   // confidence slope
  int cg_steps = 3;     // CG steps per row, each from the row's current value
};

// The Gram matrix of `factors` (n x dim, row-major) without any penalty: dim x dim, both triangles.
// It is the sum, in block order, of the Grams of kGramBlocks fixed blocks of rows (block b holds
// rows [b n / K, (b + 1) n / K)). Each rank of `comm` computes the blocks
// [r K / size, (r + 1) K / size) and the parts are all-gathered, so every rank, and every rank
// count, gets the same bits (kGramBlocks x dim^2 floats move per call).
inline constexpr std::size_t kGramBlocks = 64;
std::vector<float> gram(std::span<const float> factors, std::size_t dim, dist::Communicator& comm,
                        const RunContext& run);
// The same on one process.
std::vector<float> gram(std::span<const float> factors, std::size_t dim, const RunContext& run);

// Adds `regularization` to the diagonal of a dim x dim matrix.
void add_to_diagonal(std::span<float> matrix, std::size_t dim, float regularization);

// Solves every row of `rows` in place in `solved` (rows.rows x dim, each row's current value is the
// CG start) against `fixed` (one row of dim floats per column index) and `penalized_gram`
// (YtY + reg I). Rows are independent, so the result does not depend on run's thread count.
// Precision: for dim a multiple of 16 up to 128, the rows of `fixed` are read from a half-precision
// copy scaled by a power of two (each value within a relative 2^-11, down to 2^-27 of the largest
// magnitude); the Gram matrix, the solve and the result are in float.
// Thread safety: reads `fixed` and `penalized_gram`, writes only `solved`.
void solve_rows(const SparseRows& rows, std::span<const float> fixed, std::span<const float> penalized_gram,
                const SolveSettings& settings, const RunContext& run, std::span<float> solved);

// The implicit-ALS objective over the users of `rows` (users x items, items indexing `items`),
//   sum over all (u, i) of c_ui (p_ui - x_u.y_i)^2 + reg (|X|^2 + |Y|^2),
// with p = 1 on nonzeros and 0 elsewhere, divided by users * num_items. Costs about one CG step.
double objective(const SparseRows& rows, std::size_t num_items, std::span<const float> users,
                 std::span<const float> items, const SolveSettings& settings, float regularization,
                 const RunContext& run);
// Its parts, for a distributed fit whose ranks hold some users each: the users' terms summed in
// row order (users: the factors of rows' users, row 0 first), without the items' penalty or the
// normalisation...
double objective_users(const SparseRows& rows, std::span<const float> users, std::span<const float> items,
                       const SolveSettings& settings, float regularization, const RunContext& run);
// ...and the objective from the sum of every user's terms: objective() is
// objective_from(objective_users(...), rows.rows, ...).
double objective_from(double users_sum, std::size_t num_users, std::size_t num_items, std::span<const float> items,
                      float regularization);

}  // namespace aisle::als

#include "aisle/models/als/als_solver.h"

#include <algorithm>
#include <cstring>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"

namespace aisle::als {

namespace {

constexpr std::uint64_t kPrefetchAhead = 8;

// One CG solve's inputs: a row's n nonzeros and the fixed factors they index.
struct RowProblem {
  std::uint64_t n;
  const std::uint32_t* indices;
  const float* values;
  const float* fixed;  // one row of dim floats per index
  const float* gram;   // dim x dim, YtY + reg I
  float alpha;
  int steps;
};

// Per-thread scratch: `gathered` holds n x dim floats and `scaled` n floats for the longest row;
// r, p, ap hold dim floats (the generic path only).
struct Scratch {
  float* gathered;
  float* scaled;
  float* r;
  float* p;
  float* ap;
};

// Both solves read the row's fixed-factor rows at random once, copying them into `gathered` in the
// order of its nonzeros, and every CG pass after that in order from there. The random reads ask
// for the row kPrefetchAhead nonzeros ahead.
inline void prefetch_ahead(const RowProblem& q, std::uint64_t k, std::size_t dim) {
  if (k + kPrefetchAhead < q.n) {
    linalg::prefetch(q.fixed + static_cast<std::size_t>(q.indices[k + kPrefetchAhead]) * dim, dim);
  }
}

// The generic solve, for any dim: `steps` CG steps from x (dim floats, in place).
inline void solve_row_any(const RowProblem& q, std::size_t dim, float* x, const Scratch& s) {
  float* r = s.r;
  float* p = s.p;
  float* ap = s.ap;
  // r = b - A x, gathering the rows on the way.
  linalg::symv(q.gram, x, r, dim);
  for (std::size_t j = 0; j < dim; ++j) r[j] = -r[j];
  for (std::uint64_t k = 0; k < q.n; ++k) {
    prefetch_ahead(q, k, dim);
    float* yk = s.gathered + k * dim;
    std::memcpy(yk, q.fixed + static_cast<std::size_t>(q.indices[k]) * dim, dim * sizeof(float));
    const float c = 1.0f + q.alpha * q.values[k];
    s.scaled[k] = c - 1.0f;
    linalg::axpy(c - s.scaled[k] * linalg::dot(yk, x, dim), yk, r, dim);
  }
  std::memcpy(p, r, dim * sizeof(float));
  float rs = linalg::dot(r, r, dim);
  for (int step = 0; step < q.steps && rs > 1e-20f; ++step) {
    linalg::symv(q.gram, p, ap, dim);
    for (std::uint64_t k = 0; k < q.n; ++k) {
      const float* yk = s.gathered + k * dim;
      linalg::axpy(s.scaled[k] * linalg::dot(yk, p, dim), yk, ap, dim);
    }
    const float a = rs / linalg::dot(p, ap, dim);
    linalg::axpy(a, p, x, dim);
    linalg::axpy(-a, ap, r, dim);
    const float rs_new = linalg::dot(r, r, dim);
    const float beta = rs_new / rs;
    for (std::size_t j = 0; j < dim; ++j) p[j] = r[j] + beta * p[j];
    rs = rs_new;
  }
}

// The same solve for dim = 16 L, with every vector of the solve held in registers: 16 floats per
// V16 (GCC's vector extension, lowered to the widest registers of the clone being compiled). The
// generic kernels keep their vectors in memory, and the store of one step feeding the load of the
// next made them several times slower. The sums are in a fixed order (independent of the CPU).
using V16 = float __attribute__((vector_size(64)));

template <std::size_t L>
struct Vec {
  V16 v[L];
};

template <std::size_t L>
[[gnu::always_inline]] inline Vec<L> load(const float* p) {
  Vec<L> out;
  std::memcpy(&out, p, sizeof out);
  return out;
}

template <std::size_t L>
[[gnu::always_inline]] inline void store(const Vec<L>& a, float* p) {
  std::memcpy(p, &a, sizeof a);
}

template <std::size_t L>
[[gnu::always_inline]] inline float dot(const Vec<L>& a, const Vec<L>& b) {
  V16 acc = a.v[0] * b.v[0];
  for (std::size_t l = 1; l < L; ++l) acc += a.v[l] * b.v[l];
  float lanes[16];
  std::memcpy(lanes, &acc, sizeof lanes);
  for (std::size_t j = 0; j < 8; ++j) lanes[j] += lanes[j + 8];
  for (std::size_t j = 0; j < 4; ++j) lanes[j] += lanes[j + 4];
  return (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]);
}

// y += a x
template <std::size_t L>
[[gnu::always_inline]] inline void axpy(float a, const Vec<L>& x, Vec<L>& y) {
  for (std::size_t l = 0; l < L; ++l) y.v[l] += a * x.v[l];
}

// A x for the symmetric dim x dim `a`, as a sum of its rows scaled by x.
template <std::size_t L>
[[gnu::always_inline]] inline Vec<L> symv(const float* a, const Vec<L>& x) {
  constexpr std::size_t kDim = 16 * L;
  float xs[kDim];
  std::memcpy(xs, &x, sizeof xs);
  Vec<L> y{};
  for (std::size_t c = 0; c < kDim; ++c) axpy(xs[c], load<L>(a + c * kDim), y);
  return y;
}

template <std::size_t L>
[[gnu::always_inline]] inline void solve_row_fixed(const RowProblem& q, float* x_out, const Scratch& s) {
  constexpr std::size_t kDim = 16 * L;
  Vec<L> x = load<L>(x_out);
  // r = b - A x, gathering the rows on the way.
  Vec<L> r = symv<L>(q.gram, x);
  for (std::size_t l = 0; l < L; ++l) r.v[l] = -r.v[l];
  for (std::uint64_t k = 0; k < q.n; ++k) {
    prefetch_ahead(q, k, kDim);
    const Vec<L> y = load<L>(q.fixed + static_cast<std::size_t>(q.indices[k]) * kDim);
    store(y, s.gathered + k * kDim);
    const float c = 1.0f + q.alpha * q.values[k];
    s.scaled[k] = c - 1.0f;
    axpy(c - s.scaled[k] * dot(y, x), y, r);
  }
  Vec<L> p = r;
  float rs = dot(r, r);
  for (int step = 0; step < q.steps && rs > 1e-20f; ++step) {
    Vec<L> ap = symv<L>(q.gram, p);
    for (std::uint64_t k = 0; k < q.n; ++k) {
      const Vec<L> y = load<L>(s.gathered + k * kDim);
      axpy(s.scaled[k] * dot(y, p), y, ap);
    }
    const float a = rs / dot(p, ap);
    axpy(a, p, x);
    axpy(-a, ap, r);
    const float rs_new = dot(r, r);
    const float beta = rs_new / rs;
    for (std::size_t l = 0; l < L; ++l) p.v[l] = r.v[l] + beta * p.v[l];
    rs = rs_new;
  }
  store(x, x_out);
}

// One row's solve, by the register path when dim is a multiple of 16 up to 128.
AISLE_HOT_LOOP
void solve_row(const RowProblem& q, std::size_t dim, float* x, const Scratch& s) {
  switch (dim) {
    case 16:
      return solve_row_fixed<1>(q, x, s);
    case 32:
      return solve_row_fixed<2>(q, x, s);
    case 48:
      return solve_row_fixed<3>(q, x, s);
    case 64:
      return solve_row_fixed<4>(q, x, s);
    case 80:
      return solve_row_fixed<5>(q, x, s);
    case 96:
      return solve_row_fixed<6>(q, x, s);
    case 112:
      return solve_row_fixed<7>(q, x, s);
    case 128:
      return solve_row_fixed<8>(q, x, s);
    default:
      return solve_row_any(q, dim, x, s);
  }
}

}  // namespace

std::vector<float> gram(std::span<const float> factors, std::size_t dim, dist::Communicator& comm,
                        const RunContext& run) {
  const std::size_t n = factors.size() / dim, cells = dim * dim;
  const auto ranks = static_cast<std::size_t>(comm.size()), me = static_cast<std::size_t>(comm.rank());
  const auto first_block = [&](std::size_t r) { return r * kGramBlocks / ranks; };
  const std::size_t mine_begin = first_block(me), mine_end = first_block(me + 1);
  // This rank's blocks, each on a worker (BLAS on one thread inside).
  std::vector<float> part((mine_end - mine_begin) * cells);
  parallel_for(run, mine_end - mine_begin, 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t b = begin; b < end; ++b) {
      const std::size_t block = mine_begin + b, row = block * n / kGramBlocks;
      const std::size_t rows = (block + 1) * n / kGramBlocks - row;
      float* out = part.data() + b * cells;
      if (rows == 0) {
        std::fill(out, out + cells, 0.0f);
        continue;
      }
      linalg::gram(factors.data() + row * dim, static_cast<std::int64_t>(rows), static_cast<std::int64_t>(dim), out);
    }
  });
  std::vector<std::size_t> counts(ranks);
  for (std::size_t r = 0; r < ranks; ++r) counts[r] = (first_block(r + 1) - first_block(r)) * cells;
  std::vector<float> parts(kGramBlocks * cells);
  comm.all_gather(part, counts, parts);
  std::vector<double> sum(cells, 0.0);
  for (std::size_t b = 0; b < kGramBlocks; ++b) {
    for (std::size_t j = 0; j < cells; ++j) sum[j] += parts[b * cells + j];
  }
  return std::vector<float>(sum.begin(), sum.end());
}

std::vector<float> gram(std::span<const float> factors, std::size_t dim, const RunContext& run) {
  const std::unique_ptr<dist::Communicator> one = dist::single_process();
  return gram(factors, dim, *one, run);
}

SparseRows slice(const SparseRows& rows, std::size_t begin, std::size_t end) {
  AISLE_CHECK(begin <= end && end <= rows.rows);
  return {rows.indptr + begin, rows.indices, rows.values, end - begin};
}

std::vector<std::size_t> split_rows(const SparseRows& rows, std::size_t dim, int parts) {
  const auto cost = [&](std::size_t end) {  // work of rows [0, end)
    return static_cast<double>(rows.indptr[end] - rows.indptr[0]) + static_cast<double>(end * dim) / 2.0;
  };
  const double total = cost(rows.rows);
  std::vector<std::size_t> bounds{0};
  std::size_t row = 0;
  for (int p = 1; p < parts; ++p) {
    const double target = total * p / parts;
    while (row < rows.rows && cost(row) < target) ++row;
    bounds.push_back(row);
  }
  bounds.push_back(rows.rows);
  return bounds;
}

void add_to_diagonal(std::span<float> matrix, std::size_t dim, float regularization) {
  for (std::size_t j = 0; j < dim; ++j) matrix[j * dim + j] += regularization;
}

void solve_rows(const SparseRows& rows, std::span<const float> fixed, std::span<const float> penalized_gram,
                const SolveSettings& settings, const RunContext& run, std::span<float> solved) {
  const std::size_t dim = settings.dim;
  AISLE_CHECK(penalized_gram.size() == dim * dim && solved.size() == rows.rows * dim);
  parallel_for(run, rows.rows, 256, [&](std::size_t begin, std::size_t end, int) {
    std::uint64_t longest = 0;
    for (std::size_t row = begin; row < end; ++row) {
      longest = std::max(longest, rows.indptr[row + 1] - rows.indptr[row]);
    }
    std::vector<float> gathered(longest * dim), scaled(longest), r(dim), p(dim), ap(dim);
    const Scratch scratch{gathered.data(), scaled.data(), r.data(), p.data(), ap.data()};
    for (std::size_t row = begin; row < end; ++row) {
      const std::uint64_t first = rows.indptr[row];
      const RowProblem problem{rows.indptr[row + 1] - first, rows.indices + first, rows.values + first, fixed.data(),
                               penalized_gram.data(),        settings.alpha,       settings.cg_steps};
      solve_row(problem, dim, solved.data() + row * dim, scratch);
    }
  });
}

double objective_users(const SparseRows& rows, std::span<const float> users, std::span<const float> items,
                       const SolveSettings& settings, float regularization, const RunContext& run) {
  const std::size_t dim = settings.dim;
  const std::vector<float> yty = gram(items, dim, run);
  std::vector<double> per_user(rows.rows, 0.0);
  parallel_for(run, rows.rows, 1024, [&](std::size_t begin, std::size_t end, int) {
    std::vector<float> t(dim);
    for (std::size_t u = begin; u < end; ++u) {
      const float* xu = users.data() + u * dim;
      linalg::symv(yty.data(), xu, t.data(), dim);
      // c (1 - s)^2 replaces the zero-pair term s^2 of each nonzero; the sum over all pairs of s^2
      // is x_u^T YtY x_u.
      double l = linalg::dot(xu, t.data(), dim) + regularization * linalg::dot(xu, xu, dim);
      for (std::uint64_t k = rows.indptr[u]; k < rows.indptr[u + 1]; ++k) {
        const float s = linalg::dot(xu, items.data() + static_cast<std::size_t>(rows.indices[k]) * dim, dim);
        const float conf = 1.0f + settings.alpha * rows.values[k];
        l += conf * (1.0 - s) * (1.0 - s) - static_cast<double>(s) * s;
      }
      per_user[u] = l;
    }
  });
  double total = 0;
  for (double l : per_user) total += l;
  return total;
}

double objective_from(double users_sum, std::size_t num_users, std::size_t num_items, std::span<const float> items,
                      float regularization) {
  double total = users_sum;
  for (float v : items) total += regularization * static_cast<double>(v) * v;
  return total / (static_cast<double>(num_users) * static_cast<double>(std::max<std::size_t>(num_items, 1)));
}

double objective(const SparseRows& rows, std::size_t num_items, std::span<const float> users,
                 std::span<const float> items, const SolveSettings& settings, float regularization,
                 const RunContext& run) {
  return objective_from(objective_users(rows, users, items, settings, regularization, run), rows.rows, num_items, items,
                        regularization);
}

}  // namespace aisle::als

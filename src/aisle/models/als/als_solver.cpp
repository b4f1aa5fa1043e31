#include "aisle/models/als/als_solver.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "aisle/core/error.h"
#include "aisle/core/huge_pages.h"
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
  const float* fixed;  // one row of dim floats per index (the generic path)
  // The same rows in half precision, scaled by a power of two (the register path; null where it
  // cannot be used): a value is the half fixed_half[j] times unscale.
  const std::uint16_t* fixed_half;
  float unscale;
  const float* gram;  // dim x dim, YtY + reg I
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
// for the row kPrefetchAhead nonzeros ahead. They are most of a half-step's memory traffic, so the
// register path reads a half-precision copy (half the cache lines) and gathers it as floats.
// `fixed` is q.fixed or q.fixed_half: every cache line of the row is asked for.
template <typename T>
inline void prefetch_ahead(const RowProblem& q, const T* fixed, std::uint64_t k, std::size_t dim) {
  if (k + kPrefetchAhead >= q.n) return;
  const auto* row =
      reinterpret_cast<const char*>(fixed + static_cast<std::size_t>(q.indices[k + kPrefetchAhead]) * dim);
  for (std::size_t off = 0; off < dim * sizeof(T); off += 64) __builtin_prefetch(row + off);
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
    prefetch_ahead(q, q.fixed, k, dim);
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

// Half precision (IEEE binary16) by hand, normal numbers and zero only: _Float16 is not in every
// compiler this builds with (clang 14 on x86), and F16C is not in the baseline clone.
// float -> half bits, rounded to nearest (ties to even); magnitudes below 2^-14, the smallest
// normal half, become zero. `a` must be finite and below 65520 in magnitude. Branch-free, so that
// a loop of it vectorizes.
inline std::uint16_t to_half(float a) {
  const std::uint32_t sign = (std::bit_cast<std::uint32_t>(a) >> 16) & 0x8000u;
  // |a| 2^-112 is |a| with its exponent bias moved from 127 to 15 (exact for normal halves): the
  // half is its bits from 13 up.
  const std::uint32_t moved = std::bit_cast<std::uint32_t>(std::abs(a) * 0x1p-112f);
  const std::uint32_t rounded = (moved + 0xfffu + ((moved >> 13) & 1u)) >> 13;
  return static_cast<std::uint16_t>(sign | (std::abs(a) >= 0x1p-14f ? rounded : 0u));
}

using U16x16 = std::uint16_t __attribute__((vector_size(32)));
using U32x16 = std::uint32_t __attribute__((vector_size(64)));

// 16 L halves at p, as floats times `unscale`: the half's bits moved into a float's places are
// the value times 2^-112 (exact, also for a half's subnormals), and the products are exact.
template <std::size_t L>
[[gnu::always_inline]] inline Vec<L> load(const std::uint16_t* p, float unscale) {
  Vec<L> out;
  for (std::size_t l = 0; l < L; ++l) {
    U16x16 h;
    std::memcpy(&h, p + 16 * l, sizeof h);
    const U32x16 w = __builtin_convertvector(h, U32x16);
    const U32x16 bits = ((w & 0x8000u) << 16) | ((w & 0x7fffu) << 13);
    V16 moved;
    std::memcpy(&moved, &bits, sizeof moved);
    out.v[l] = moved * 0x1p112f * unscale;
  }
  return out;
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

// The dot products of a with 16 rows at once, each summed in exactly dot()'s order: the halving
// tree of the 16 accumulators' lanes is taken together, two to eight accumulators per vector, so
// that a block of nonzeros costs 15 shuffle-and-add steps instead of a scalar reduction each.
// (Vectors go by reference: by value, a V16 would change the baseline clone's ABI.)
// lanes[j] + lanes[j + 8] of a and of b, into the low and the high half.
[[gnu::always_inline]] inline void add_halves(const V16& a, const V16& b, V16& out) {
  out = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
        __builtin_shufflevector(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}
// lanes[j] + lanes[j + 4] of each half of a and b: four accumulators, in quarters.
[[gnu::always_inline]] inline void add_quarters(const V16& a, const V16& b, V16& out) {
  out = __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27) +
        __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
}
// lanes[0] + lanes[2], lanes[1] + lanes[3] of each quarter: eight accumulators, two lanes each.
[[gnu::always_inline]] inline void add_eighths(const V16& a, const V16& b, V16& out) {
  out = __builtin_shufflevector(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29) +
        __builtin_shufflevector(a, b, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}
// The two lanes of each eighth added: sixteen accumulators' sums, in order.
[[gnu::always_inline]] inline void add_pairs(const V16& a, const V16& b, V16& out) {
  out = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30) +
        __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}

// out[k] = a . rows[k] for the 16 rows of 16 L floats at `rows`.
template <std::size_t L>
[[gnu::always_inline]] inline void dots16(const Vec<L>& a, const float* rows, float* out) {
  constexpr std::size_t kDim = 16 * L;
  V16 acc[16];
  for (std::size_t k = 0; k < 16; ++k) {
    const Vec<L> b = load<L>(rows + k * kDim);
    acc[k] = a.v[0] * b.v[0];
    for (std::size_t l = 1; l < L; ++l) acc[k] += a.v[l] * b.v[l];
  }
  V16 t8[8], t4[4], t2[2], all;
  for (std::size_t k = 0; k < 8; ++k) add_halves(acc[2 * k], acc[2 * k + 1], t8[k]);
  for (std::size_t k = 0; k < 4; ++k) add_quarters(t8[2 * k], t8[2 * k + 1], t4[k]);
  for (std::size_t k = 0; k < 2; ++k) add_eighths(t4[2 * k], t4[2 * k + 1], t2[k]);
  add_pairs(t2[0], t2[1], all);
  std::memcpy(out, &all, sizeof all);
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

// acc += sum over the n rows y_k at `rows` of scaled[k] (y_k . v) y_k, in order of k: a CG pass's
// product with the nonzeros' part of A. The dot products of each full block of 16 rows are taken
// together (dots16), the rest one by one.
template <std::size_t L>
[[gnu::always_inline]] inline void add_scaled_rows(const float* rows, const float* scaled, std::uint64_t n,
                                                   const Vec<L>& v, Vec<L>& acc) {
  constexpr std::size_t kDim = 16 * L;
  std::uint64_t k = 0;
  for (; k + 16 <= n; k += 16) {
    float d[16];
    dots16<L>(v, rows + k * kDim, d);
    for (std::uint64_t j = 0; j < 16; ++j) axpy(scaled[k + j] * d[j], load<L>(rows + (k + j) * kDim), acc);
  }
  for (; k < n; ++k) {
    const Vec<L> y = load<L>(rows + k * kDim);
    axpy(scaled[k] * dot(y, v), y, acc);
  }
}

template <std::size_t L>
[[gnu::always_inline]] inline void solve_row_fixed(const RowProblem& q, float* x_out, const Scratch& s) {
  constexpr std::size_t kDim = 16 * L;
  Vec<L> x = load<L>(x_out);
  // r = b - A x, gathering the rows on the way.
  Vec<L> r = symv<L>(q.gram, x);
  for (std::size_t l = 0; l < L; ++l) r.v[l] = -r.v[l];
  for (std::uint64_t k = 0; k < q.n; ++k) {
    prefetch_ahead(q, q.fixed_half, k, kDim);
    const Vec<L> y = load<L>(q.fixed_half + static_cast<std::size_t>(q.indices[k]) * kDim, q.unscale);
    store(y, s.gathered + k * kDim);
    const float c = 1.0f + q.alpha * q.values[k];
    s.scaled[k] = c - 1.0f;
    axpy(c - s.scaled[k] * dot(y, x), y, r);
  }
  Vec<L> p = r;
  float rs = dot(r, r);
  for (int step = 0; step < q.steps && rs > 1e-20f; ++step) {
    Vec<L> ap = symv<L>(q.gram, p);
    add_scaled_rows<L>(s.gathered, s.scaled, q.n, p, ap);
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

// One row's solve, by the register path when dim is a multiple of 16 up to 128 (and the rows have
// a half-precision copy).
AISLE_HOT_LOOP
void solve_row(const RowProblem& q, std::size_t dim, float* x, const Scratch& s) {
  if (q.fixed_half == nullptr) return solve_row_any(q, dim, x, s);
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

// The largest magnitude of n floats, taken on their bits without the sign (for floats of one sign
// the bits order alike; a float max does not vectorize without -ffast-math). NaN comes out as NaN.
AISLE_HOT_LOOP
float max_abs(const float* in, std::size_t n) {
  std::uint32_t m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::bit_cast<std::uint32_t>(in[i]) & 0x7fffffffu);
  return std::bit_cast<float>(m);
}

AISLE_HOT_LOOP
void to_half(const float* in, std::uint16_t* out, std::size_t n, float scale) {
  for (std::size_t i = 0; i < n; ++i) out[i] = to_half(in[i] * scale);
}

// The half-precision copy of the register path: every value times a power of two that puts the
// largest magnitude in [2^13, 2^14), so that nothing overflows and values down to 2^-27 of it keep
// half precision's 11 significant bits (a relative error of at most 2^-11 per value; smaller ones
// count as zero). The scaling is exact both ways. Factors with a NaN or an infinity (a diverged
// fit), or whose largest magnitude is outside [2^-100, 2^101) (below, the scale would overflow;
// above, a value read back could), get no copy and are read as they are. The copy sits on
// huge-page-aligned memory, so a row's prefetches cover its cache lines.
struct HalfRows {
  std::vector<std::uint16_t, HugePageAllocator<std::uint16_t>> values;
  float unscale = 1.0f;
};

HalfRows to_half_rows(std::span<const float> fixed, const RunContext& run) {
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  std::vector<float> maxima((fixed.size() + kChunk - 1) / kChunk, 0.0f);
  parallel_for(run, maxima.size(), 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t c = begin; c < end; ++c) {
      maxima[c] = max_abs(fixed.data() + c * kChunk, std::min(kChunk, fixed.size() - c * kChunk));
    }
  });
  float largest = 0.0f;
  bool finite = true;
  for (const float m : maxima) largest = std::max(largest, m), finite &= std::isfinite(m);
  HalfRows out;
  const int exponent = largest > 0.0f ? std::ilogb(largest) : 13;
  if (!finite || exponent < -100 || exponent > 100) return out;
  const float scale = std::ldexp(1.0f, 13 - exponent);
  out.unscale = std::ldexp(1.0f, exponent - 13);
  out.values.resize(fixed.size());
  parallel_for(run, maxima.size(), 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t c = begin; c < end; ++c) {
      to_half(fixed.data() + c * kChunk, out.values.data() + c * kChunk, std::min(kChunk, fixed.size() - c * kChunk),
              scale);
    }
  });
  return out;
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
  const HalfRows fixed_half = dim % 16 == 0 && dim <= 128 ? to_half_rows(fixed, run) : HalfRows{};
  parallel_for(run, rows.rows, 256, [&](std::size_t begin, std::size_t end, int) {
    std::uint64_t longest = 0;
    for (std::size_t row = begin; row < end; ++row) {
      longest = std::max(longest, rows.indptr[row + 1] - rows.indptr[row]);
    }
    std::vector<float> gathered(longest * dim), scaled(longest), r(dim), p(dim), ap(dim);
    const Scratch scratch{gathered.data(), scaled.data(), r.data(), p.data(), ap.data()};
    for (std::size_t row = begin; row < end; ++row) {
      const std::uint64_t first = rows.indptr[row];
      const RowProblem problem{.n = rows.indptr[row + 1] - first,
                               .indices = rows.indices + first,
                               .values = rows.values + first,
                               .fixed = fixed.data(),
                               .fixed_half = fixed_half.values.empty() ? nullptr : fixed_half.values.data(),
                               .unscale = fixed_half.unscale,
                               .gram = penalized_gram.data(),
                               .alpha = settings.alpha,
                               .steps = settings.cg_steps};
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

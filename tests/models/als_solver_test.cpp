// The ALS solver (models/als/als_solver.h) on random problems: with enough CG steps each solved row
// is the exact least-squares solution, for dims taken by the register path (multiples of 16) and
// by the generic one; and the result does not depend on the thread count.
#include "aisle/models/als/als_solver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "models/model_test_data.h"

namespace aisle {
namespace {

struct Problem {
  std::vector<std::uint64_t> indptr{0};
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
  std::vector<float> fixed;
  std::size_t rows = 0;
  als::SparseRows view() const { return {indptr.data(), indices.data(), values.data(), rows}; }
};

// `rows` rows of up to 40 distinct nonzeros over `columns` fixed rows of `dim` random floats.
Problem random_problem(std::size_t rows, std::uint32_t columns, std::size_t dim, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> factor(-0.5f, 0.5f), weight(0.5f, 3.0f);
  Problem p;
  p.rows = rows;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint32_t n = static_cast<std::uint32_t>(rng() % 40);
    std::vector<bool> taken(columns, false);
    for (std::uint32_t k = 0; k < n; ++k) {
      const auto c = static_cast<std::uint32_t>(rng() % columns);
      if (taken[c]) continue;
      taken[c] = true;
      p.indices.push_back(c);
      p.values.push_back(weight(rng));
    }
    p.indptr.push_back(p.indices.size());
  }
  p.fixed.resize(static_cast<std::size_t>(columns) * dim);
  for (float& v : p.fixed) v = factor(rng);
  return p;
}

// Row r's exact least-squares solution, in double precision:
//   (YtY + reg I + sum_i (c_i - 1) y_i y_i^T) x = sum_i c_i y_i
std::vector<double> direct_solution(const Problem& p, const std::vector<float>& penalized_gram, float alpha,
                                    std::size_t r, std::size_t dim) {
  std::vector<double> a(penalized_gram.begin(), penalized_gram.end()), b(dim, 0.0);
  for (std::uint64_t k = p.indptr[r]; k < p.indptr[r + 1]; ++k) {
    const float* y = p.fixed.data() + static_cast<std::size_t>(p.indices[k]) * dim;
    const double c = 1.0 + alpha * p.values[k];
    for (std::size_t i = 0; i < dim; ++i) {
      for (std::size_t j = 0; j < dim; ++j) a[i * dim + j] += (c - 1.0) * y[i] * y[j];
      b[i] += c * y[i];
    }
  }
  return testing::solve_dense(a, b);
}

class AlsSolver : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AlsSolver, ManyStepsGiveTheExactSolution) {
  const std::size_t dim = GetParam();
  const float reg = 0.5f, alpha = 2.0f;
  const Problem p = random_problem(50, 300, dim, dim);
  std::vector<float> gram = als::gram(p.fixed, dim, RunContext(1));
  als::add_to_diagonal(gram, dim, reg);
  std::vector<float> solved(p.rows * dim, 0.01f);
  const als::SolveSettings settings{dim, alpha, static_cast<int>(3 * dim)};
  als::solve_rows(p.view(), p.fixed, gram, settings, RunContext(2), solved);
  for (std::size_t r = 0; r < p.rows; ++r) {
    const std::vector<double> direct = direct_solution(p, gram, alpha, r, dim);
    for (std::size_t i = 0; i < dim; ++i) {
      EXPECT_NEAR(solved[r * dim + i], direct[i], 1e-3 * (1.0 + std::abs(direct[i]))) << "row " << r << " " << i;
    }
  }
}

// The register path reads the fixed factors in half precision, scaled by a power of two: factors
// far beyond half precision's range (65504) or below its normal numbers (6e-5) still solve to the
// exact solution, within 1e-3 of the row's largest value. Unscaled, the large ones would overflow
// and the small ones lose their digits.
TEST_P(AlsSolver, FactorsOfAnyMagnitudeSolveExactly) {
  const std::size_t dim = GetParam();
  for (const float magnitude : {1e6f, 1e-6f}) {
    Problem p = random_problem(30, 200, dim, dim + 1);
    for (float& v : p.fixed) v *= magnitude;
    const float reg = 0.5f * magnitude * magnitude, alpha = 2.0f;
    std::vector<float> gram = als::gram(p.fixed, dim, RunContext(1));
    als::add_to_diagonal(gram, dim, reg);
    std::vector<float> solved(p.rows * dim, 0.0f);
    als::solve_rows(p.view(), p.fixed, gram, {dim, alpha, static_cast<int>(3 * dim)}, RunContext(1), solved);
    for (std::size_t r = 0; r < p.rows; ++r) {
      const std::vector<double> direct = direct_solution(p, gram, alpha, r, dim);
      double largest = 0;
      for (const double v : direct) largest = std::max(largest, std::abs(v));
      for (std::size_t i = 0; i < dim; ++i) {
        EXPECT_NEAR(solved[r * dim + i], direct[i], 1e-3 * largest) << "magnitude " << magnitude << " row " << r;
      }
    }
  }
}

TEST_P(AlsSolver, ResultDoesNotDependOnThreads) {
  const std::size_t dim = GetParam();
  const Problem p = random_problem(700, 200, dim, 7);
  std::vector<float> gram = als::gram(p.fixed, dim, RunContext(1));
  als::add_to_diagonal(gram, dim, 0.1f);
  const als::SolveSettings settings{dim, 1.5f, 3};
  std::vector<float> one(p.rows * dim, 0.01f), two = one;
  als::solve_rows(p.view(), p.fixed, gram, settings, RunContext(1), one);
  als::solve_rows(p.view(), p.fixed, gram, settings, RunContext(2), two);
  EXPECT_EQ(one, two);
  EXPECT_NE(one, std::vector<float>(p.rows * dim, 0.01f));  // it did solve
}

// 16, 32, 64, 128: the register path; 4, 20, 144: the generic one.
INSTANTIATE_TEST_SUITE_P(Dims, AlsSolver, ::testing::Values(4, 16, 20, 32, 64, 128, 144));

}  // namespace
}  // namespace aisle

#include "aisle/data/sparse_matrix.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aisle {
namespace {

Interactions pairs_of(std::uint32_t users, std::uint32_t items,
                      const std::vector<std::vector<std::pair<ItemIdx, float>>>& rows) {
  Interactions p;
  p.num_users = users;
  p.num_items = items;
  for (const auto& row : rows) {
    for (const auto& [i, w] : row) {
      p.item.push_back(i);
      p.weight.push_back(w);
      p.last_time.push_back(0);
      p.count.push_back(1);
    }
    p.row_ptr.push_back(p.item.size());
  }
  return p;
}

TEST(SparseMatrix, ConfidenceDropsNonPositivePairs) {
  const auto p = pairs_of(2, 3, {{{0, 2.0f}, {2, 0.0f}}, {{1, -5.0f}, {2, 3.0f}}});
  const CsrMatrix m = confidence_matrix(p, Transform::kNone);
  EXPECT_EQ(m.indptr, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(m.indices, (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(m.values, (std::vector<float>{2.0f, 3.0f}));
}

TEST(SparseMatrix, Log1pAndTfidfByHand) {
  const auto p = pairs_of(2, 2, {{{0, 1.0f}, {1, 4.0f}}, {{1, 9.0f}}});
  const CsrMatrix l = confidence_matrix(p, Transform::kLog1p);
  EXPECT_FLOAT_EQ(l.values[0], std::log1p(1.0f));
  EXPECT_FLOAT_EQ(l.values[2], std::log1p(9.0f));
  const CsrMatrix t = confidence_matrix(p, Transform::kTfidf);
  // item 0: 1 user of 2 -> idf log(2/2) = 0; item 1: 2 users -> log(2/3)
  EXPECT_FLOAT_EQ(t.values[0], 0.0f);
  EXPECT_FLOAT_EQ(t.values[1], static_cast<float>(2.0 * std::log(2.0 / 3.0)));
  EXPECT_FLOAT_EQ(t.values[2], static_cast<float>(3.0 * std::log(2.0 / 3.0)));
}

TEST(SparseMatrix, Bm25ByHand) {
  const auto p = pairs_of(2, 2, {{{0, 1.0f}}, {{0, 3.0f}, {1, 1.0f}}});
  const CsrMatrix b = confidence_matrix(p, Transform::kBm25);
  // row sums 1 and 4, mean 2.5; item 0 has 2 users, item 1 has 1.
  const double k1 = 100, bb = 0.8;
  const auto expect = [&](double w, double row_sum, double users_of_item) {
    const double norm = (1 - bb) + bb * row_sum / 2.5;
    return static_cast<float>(w * (k1 + 1) / (k1 * norm + w) * (std::log(2.0) - std::log1p(users_of_item)));
  };
  EXPECT_FLOAT_EQ(b.values[0], expect(1, 1, 2));
  EXPECT_FLOAT_EQ(b.values[1], expect(3, 4, 2));
  EXPECT_FLOAT_EQ(b.values[2], expect(1, 4, 1));
}

TEST(SparseMatrix, CscIsTheSameMatrixByColumn) {
  const auto p = pairs_of(3, 3, {{{0, 1.0f}, {2, 2.0f}}, {{2, 3.0f}}, {{0, 4.0f}, {1, 5.0f}}});
  const CsrMatrix m = confidence_matrix(p, Transform::kNone);
  const CscMatrix c = to_csc(m);
  EXPECT_EQ(c.indptr, (std::vector<std::uint64_t>{0, 2, 3, 5}));
  EXPECT_EQ(c.indices, (std::vector<std::uint32_t>{0, 2, 2, 0, 1}));
  EXPECT_EQ(c.values, (std::vector<float>{1.0f, 4.0f, 5.0f, 2.0f, 3.0f}));
  for (std::uint32_t col = 0; col < c.cols; ++col) {
    for (std::uint64_t k = c.indptr[col]; k < c.indptr[col + 1]; ++k) {
      const auto row = m.row_indices(c.indices[k]);
      const auto it = std::find(row.begin(), row.end(), col);
      ASSERT_NE(it, row.end());
      EXPECT_EQ(m.row_values(c.indices[k])[static_cast<std::size_t>(it - row.begin())], c.values[k]);
    }
  }
}

}  // namespace
}  // namespace aisle

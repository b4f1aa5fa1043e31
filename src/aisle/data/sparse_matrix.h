// Sparse float32 matrices for the models. CSR: rows are users, indices are items ascending in a
// row. CSC is the same matrix stored by column (rows ascending in a column); to_csc builds it in
// O(nnz) time and memory by counting sort, without a triplet copy.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aisle/data/interactions.h"
#include "aisle/data/weighting.h"

namespace aisle {

struct CsrMatrix {
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::vector<std::uint64_t> indptr{0};  // rows + 1
  std::vector<std::uint32_t> indices;    // column of each value, ascending within a row
  std::vector<float> values;

  std::size_t nnz() const { return values.size(); }
  std::span<const std::uint32_t> row_indices(std::uint32_t r) const {
    return {indices.data() + indptr[r], indices.data() + indptr[r + 1]};
  }
  std::span<const float> row_values(std::uint32_t r) const {
    return {values.data() + indptr[r], values.data() + indptr[r + 1]};
  }
};

struct CscMatrix {
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::vector<std::uint64_t> indptr{0};  // cols + 1
  std::vector<std::uint32_t> indices;    // row of each value, ascending within a column
  std::vector<float> values;

  std::size_t nnz() const { return values.size(); }
  std::span<const std::uint32_t> col_indices(std::uint32_t c) const {
    return {indices.data() + indptr[c], indices.data() + indptr[c + 1]};
  }
  std::span<const float> col_values(std::uint32_t c) const {
    return {values.data() + indptr[c], values.data() + indptr[c + 1]};
  }
};

CscMatrix to_csc(const CsrMatrix& m);

// The confidence matrix fed to implicit models: pairs with weight <= 0 (e.g. bought then
// cancelled) are dropped, then `transform` is applied to the remaining weights:
//   none: w;  log1p: log(1 + w);
//   tfidf: sqrt(w) * log(users / (1 + users_of_item));
//   bm25 (K1 = 100, B = 0.8; users are the documents, items the terms):
//     w * (K1 + 1) / (K1 * ((1 - B) + B * row_sum / mean_row_sum) + w) * (log(users) - log1p(users_of_item)).
CsrMatrix confidence_matrix(const Interactions& pairs, Transform transform);

}  // namespace aisle

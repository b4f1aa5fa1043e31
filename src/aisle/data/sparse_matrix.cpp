#include "aisle/data/sparse_matrix.h"

#include <cmath>

namespace aisle {

CscMatrix to_csc(const CsrMatrix& m) {
  CscMatrix out;
  out.rows = m.rows;
  out.cols = m.cols;
  out.indptr.assign(static_cast<std::size_t>(m.cols) + 1, 0);
  for (std::uint32_t c : m.indices) ++out.indptr[c + 1];
  for (std::uint32_t c = 0; c < m.cols; ++c) out.indptr[c + 1] += out.indptr[c];
  out.indices.resize(m.nnz());
  out.values.resize(m.nnz());
  std::vector<std::uint64_t> cursor(out.indptr.begin(), out.indptr.end() - 1);
  // Rows are visited in ascending order, so each column's rows come out ascending.
  for (std::uint32_t r = 0; r < m.rows; ++r) {
    for (std::uint64_t p = m.indptr[r]; p < m.indptr[r + 1]; ++p) {
      const std::uint64_t dst = cursor[m.indices[p]]++;
      out.indices[dst] = r;
      out.values[dst] = m.values[p];
    }
  }
  return out;
}

CsrMatrix confidence_matrix(const Interactions& pairs, Transform transform) {
  CsrMatrix m;
  m.rows = pairs.num_users;
  m.cols = pairs.num_items;
  m.indptr.assign(static_cast<std::size_t>(pairs.num_users) + 1, 0);
  std::size_t positive = 0;
  for (float w : pairs.weight) positive += w > 0.0f ? 1 : 0;
  m.indices.reserve(positive);
  m.values.reserve(positive);
  for (std::uint32_t u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) continue;
      m.indices.push_back(pairs.item[p]);
      m.values.push_back(pairs.weight[p]);
    }
    m.indptr[u + 1] = m.indices.size();
  }
  if (transform == Transform::kNone) return m;
  if (transform == Transform::kLog1p) {
    for (float& v : m.values) v = std::log1p(v);
    return m;
  }

  std::vector<std::uint32_t> users_of_item(m.cols, 0);
  for (std::uint32_t c : m.indices) ++users_of_item[c];
  const double n = static_cast<double>(m.rows);
  if (transform == Transform::kTfidf) {
    for (std::size_t p = 0; p < m.nnz(); ++p) {
      const double idf = std::log(n / (1.0 + users_of_item[m.indices[p]]));
      m.values[p] = static_cast<float>(std::sqrt(static_cast<double>(m.values[p])) * idf);
    }
    return m;
  }
  constexpr double kK1 = 100.0, kB = 0.8;
  std::vector<double> row_sum(m.rows, 0.0);
  double total = 0.0;
  for (std::uint32_t r = 0; r < m.rows; ++r) {
    for (float v : m.row_values(r)) row_sum[r] += v;
    total += row_sum[r];
  }
  const double mean_row = m.rows > 0 ? total / n : 1.0;
  for (std::uint32_t r = 0; r < m.rows; ++r) {
    const double norm = (1.0 - kB) + kB * row_sum[r] / (mean_row > 0 ? mean_row : 1.0);
    for (std::uint64_t p = m.indptr[r]; p < m.indptr[r + 1]; ++p) {
      const double w = m.values[p];
      const double idf = std::log(n) - std::log1p(static_cast<double>(users_of_item[m.indices[p]]));
      m.values[p] = static_cast<float>(w * (kK1 + 1.0) / (kK1 * norm + w) * idf);
    }
  }
  return m;
}

}  // namespace aisle

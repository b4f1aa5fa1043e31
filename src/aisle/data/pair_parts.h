// A rank's share of the pairs of a distributed fit, with global indices: the rows it owns of the
// user side (users x items) and of the item side (items x users). Built by
// app/distributed_data.h from the rank's part of the input; fitted by a model with the PartsFit
// capability (models/recommender.h). Ranks own contiguous rows: rank r owns users
// [user_bounds[r], user_bounds[r + 1]) and items [item_bounds[r], item_bounds[r + 1]).
#pragma once

#include <cstdint>
#include <vector>

namespace aisle {

// Rows [first, first + rows()) of a sparse matrix, CSR; columns ascend within a row.
struct RowPart {
  std::uint32_t first = 0;
  std::vector<std::uint64_t> row_ptr{0};  // rows() + 1 entries
  std::vector<std::uint32_t> col;         // global column indices
  std::vector<float> weight;              // the pair's aggregated weight (Interactions::weight; may be <= 0)
  std::size_t rows() const { return row_ptr.size() - 1; }
};

struct PairParts {
  std::uint32_t num_users = 0, num_items = 0;
  std::vector<std::uint32_t> user_bounds, item_bounds;  // ranks + 1 entries each
  RowPart users;                                        // this rank's users, columns items
  RowPart items;                                        // this rank's items, columns users
};

}  // namespace aisle

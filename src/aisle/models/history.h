// Each user's training history: the pairs with a positive weight, by user (CSR), items ascending
// within a user, with their weights and last times. What excludes seen items and scores known
// users; kept in the model file. Immutable once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aisle/core/binary_io.h"
#include "aisle/data/interactions.h"

namespace aisle {

struct History {
  std::vector<std::uint64_t> row_ptr{0};
  std::vector<ItemIdx> item;
  std::vector<float> weight;
  std::vector<Timestamp> last_time;

  static History from_pairs(const Interactions& pairs);
  std::uint32_t num_users() const { return static_cast<std::uint32_t>(row_ptr.size() - 1); }
  std::span<const ItemIdx> items_of(UserIdx u) const {
    return {item.data() + row_ptr[u], item.data() + row_ptr[u + 1]};
  }
  void save(BinaryWriter& out) const;
  void load(BinaryReader& in, std::uint32_t num_items);
};

}  // namespace aisle

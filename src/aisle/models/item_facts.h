// What filters and category-aware models need to know about items, taken from the catalog at
// training time and kept in the model file: the category tree, each item's categories and
// availability, and what output shows of an item (name, price, category names). Indexed by the training data's ItemIdx;
// items without a catalog entry have no categories and unknown availability.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/core/binary_io.h"
#include "aisle/data/catalog.h"

namespace aisle {

struct ItemFacts {
  IdMap categories;                        // external category ids
  std::vector<CategoryIdx> parent;         // per category; kNoIndex at a root
  std::vector<std::uint64_t> item_ptr{0};  // CSR: categories of item i (primary first)
  std::vector<CategoryIdx> item_category;
  std::vector<std::int8_t> available;  // per item: Availability as int8
  // What output shows beside an item id (model format 2; empty or absent in format 1 files).
  std::vector<std::string> category_name;  // per category; empty: unnamed
  std::vector<std::string> item_name;      // per item; empty: unknown
  std::vector<float> price;                // per item; kAbsent: unknown
  std::vector<std::string> image_url;      // per item; empty: unknown (model format 3)

  static ItemFacts from_catalog(const Catalog& catalog, std::uint32_t num_items);

  std::uint32_t num_items() const { return static_cast<std::uint32_t>(available.size()); }
  std::span<const CategoryIdx> categories_of(ItemIdx i) const {
    return {item_category.data() + item_ptr[i], item_category.data() + item_ptr[i + 1]};
  }
  // The category and its ancestors, nearest first; stops at a cycle.
  std::vector<CategoryIdx> ancestors(CategoryIdx c) const;
  // Per category: whether it is `root` or lies below it.
  std::vector<bool> subtree(CategoryIdx root) const;

  // The category's display name: its names from the root down joined by '.' ("computers.notebook",
  // "Comedy"), its external id where it has no name.
  std::string category_label(CategoryIdx c) const;
  // Categories whose external id, name or label equals `query` ignoring case (several when a
  // name repeats under different parents).
  std::vector<CategoryIdx> find_categories(std::string_view query) const;
  // Up to `n` labels closest to `query` (edit distance, ignoring case), for "did you mean".
  std::vector<std::string> closest_categories(std::string_view query, std::size_t n) const;

  void save(BinaryWriter& out) const;
  // `format`: the model file's format version (1 has no display fields, 2 no image URLs).
  void load(BinaryReader& in, std::uint32_t format);
};

// IdMap persistence, used by the model file: the names in index order.
void save_id_map(const IdMap& ids, BinaryWriter& out);
IdMap load_id_map(BinaryReader& in, std::string_view what);

}  // namespace aisle

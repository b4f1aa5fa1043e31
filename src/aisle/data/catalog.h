// The item catalog and the category tree. Items are addressed by the ItemIdx of the EventLog's
// item IdMap; an item may have events and no catalog entry, or a catalog entry and no events.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "aisle/core/types.h"
#include "aisle/data/id_map.h"

namespace aisle {

enum class Availability : std::int8_t { kUnknown = -1, kNo = 0, kYes = 1 };

struct ItemInfo {
  std::string name;                     // empty when unknown
  std::vector<CategoryIdx> categories;  // first one is the primary category
  std::string brand;
  float price = kAbsent;
  Availability available = Availability::kUnknown;
  std::string image_url;
  std::vector<std::pair<std::string, std::string>> attributes;  // free key/value pairs

  bool empty() const {
    return name.empty() && categories.empty() && brand.empty() && !is_present(price) &&
           available == Availability::kUnknown && image_url.empty() && attributes.empty();
  }
  friend bool operator==(const ItemInfo&, const ItemInfo&);
};

class Catalog {
 public:
  // Category tree. External category ids have their own IdMap; parent is kNoIndex at a root.
  // Ids and names that are not UTF-8 are decoded as Latin-1.
  CategoryIdx add_category(std::string_view external_id, std::string_view name = {});
  void set_parent(CategoryIdx child, CategoryIdx parent);
  const IdMap& category_ids() const { return category_ids_; }
  std::uint32_t num_categories() const { return category_ids_.size(); }
  CategoryIdx parent(CategoryIdx c) const { return category_parent_[c]; }
  const std::string& category_name(CategoryIdx c) const { return category_name_[c]; }
  // Root first, c last. Stops at a cycle instead of looping (category files can be wrong).
  std::vector<CategoryIdx> category_path(CategoryIdx c) const;
  // What users call the category: the names on its path joined by '.' ("computers.notebook",
  // "Comedy"), or its external id when it has no name (RetailRocket's numeric ids).
  std::string category_label(CategoryIdx c) const;

  // Item entries, created on first use.
  ItemInfo& item(ItemIdx i);
  const ItemInfo* find_item(ItemIdx i) const;  // null when the item has no entry
  std::uint32_t item_slots() const { return static_cast<std::uint32_t>(items_.size()); }
  std::uint32_t num_described_items() const;

  friend bool operator==(const Catalog&, const Catalog&);

 private:
  IdMap category_ids_;
  std::vector<CategoryIdx> category_parent_;
  std::vector<std::string> category_name_;
  std::vector<ItemInfo> items_;
};

}  // namespace aisle

#include "aisle/data/catalog.h"

#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

bool operator==(const ItemInfo& a, const ItemInfo& b) {
  const bool prices_equal = (!is_present(a.price) && !is_present(b.price)) || a.price == b.price;
  return a.name == b.name && a.categories == b.categories && a.brand == b.brand && prices_equal &&
         a.available == b.available && a.image_url == b.image_url && a.attributes == b.attributes;
}

CategoryIdx Catalog::add_category(std::string_view external_id, std::string_view name) {
  std::string id_buffer, name_buffer;
  external_id = utf8_or_latin1(external_id, id_buffer);
  name = utf8_or_latin1(name, name_buffer);
  const CategoryIdx c = category_ids_.intern(external_id);
  if (c == category_parent_.size()) {
    category_parent_.push_back(kNoIndex);
    category_name_.emplace_back(name);
  } else if (!name.empty()) {
    category_name_[c] = name;
  }
  return c;
}

std::string Catalog::category_label(CategoryIdx c) const {
  if (category_name_[c].empty()) return std::string(category_ids_.name(c));
  std::string label;
  for (const CategoryIdx a : category_path(c)) {
    if (!category_name_[a].empty()) label += (label.empty() ? "" : ".") + category_name_[a];
  }
  return label;
}

void Catalog::set_parent(CategoryIdx child, CategoryIdx parent) {
  AISLE_CHECK(child < category_parent_.size());
  AISLE_CHECK(parent == kNoIndex || parent < category_parent_.size());
  category_parent_[child] = parent;
}

std::vector<CategoryIdx> Catalog::category_path(CategoryIdx c) const {
  std::vector<CategoryIdx> path;
  while (c != kNoIndex && path.size() <= category_parent_.size()) {
    if (std::find(path.begin(), path.end(), c) != path.end()) break;  // a cycle
    path.push_back(c);
    c = category_parent_[c];
  }
  std::reverse(path.begin(), path.end());
  return path;
}

ItemInfo& Catalog::item(ItemIdx i) {
  if (i >= items_.size()) items_.resize(static_cast<std::size_t>(i) + 1);
  return items_[i];
}

const ItemInfo* Catalog::find_item(ItemIdx i) const {
  if (i >= items_.size() || items_[i].empty()) return nullptr;
  return &items_[i];
}

std::uint32_t Catalog::num_described_items() const {
  return static_cast<std::uint32_t>(
      std::count_if(items_.begin(), items_.end(), [](const ItemInfo& it) { return !it.empty(); }));
}

bool operator==(const Catalog& a, const Catalog& b) {
  if (!(a.category_ids_ == b.category_ids_) || a.category_parent_ != b.category_parent_ ||
      a.category_name_ != b.category_name_) {
    return false;
  }
  const std::size_t n = std::max(a.items_.size(), b.items_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const ItemInfo* x = a.find_item(static_cast<ItemIdx>(i));
    const ItemInfo* y = b.find_item(static_cast<ItemIdx>(i));
    if ((x == nullptr) != (y == nullptr)) return false;
    if (x != nullptr && !(*x == *y)) return false;
  }
  return true;
}

}  // namespace aisle

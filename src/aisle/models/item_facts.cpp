#include "aisle/models/item_facts.h"

namespace aisle {

ItemFacts ItemFacts::from_catalog(const Catalog& catalog, std::uint32_t num_items) {
  ItemFacts f;
  for (CategoryIdx c = 0; c < catalog.num_categories(); ++c) {
    f.categories.intern(catalog.category_ids().name(c));
    f.parent.push_back(catalog.parent(c));
  }
  f.available.assign(num_items, static_cast<std::int8_t>(Availability::kUnknown));
  f.item_ptr.reserve(num_items + 1);
  for (ItemIdx i = 0; i < num_items; ++i) {
    if (const ItemInfo* info = catalog.find_item(i)) {
      f.item_category.insert(f.item_category.end(), info->categories.begin(), info->categories.end());
      f.available[i] = static_cast<std::int8_t>(info->available);
    }
    f.item_ptr.push_back(f.item_category.size());
  }
  return f;
}

std::vector<CategoryIdx> ItemFacts::ancestors(CategoryIdx c) const {
  std::vector<CategoryIdx> out;
  while (c != kNoIndex && out.size() <= parent.size()) {
    out.push_back(c);
    c = parent[c];
  }
  return out;
}

std::vector<bool> ItemFacts::subtree(CategoryIdx root) const {
  std::vector<bool> in(parent.size(), false);
  for (CategoryIdx c = 0; c < parent.size(); ++c) {
    for (CategoryIdx a : ancestors(c)) {
      if (a == root) {
        in[c] = true;
        break;
      }
    }
  }
  return in;
}

void ItemFacts::save(BinaryWriter& out) const {
  save_id_map(categories, out);
  out.put_vector(parent);
  out.put_vector(item_ptr);
  out.put_vector(item_category);
  out.put_vector(available);
}

void ItemFacts::load(BinaryReader& in) {
  categories = load_id_map(in, "category ids");
  parent = in.get_vector<CategoryIdx>("category parents");
  item_ptr = in.get_vector<std::uint64_t>("item categories");
  item_category = in.get_vector<CategoryIdx>("item categories");
  available = in.get_vector<std::int8_t>("item availability");
  if (parent.size() != categories.size()) in.fail("category parents", "count differs from the category ids");
  for (CategoryIdx p : parent) {
    if (p != kNoIndex && p >= parent.size()) in.fail("category parents", "index out of range");
  }
  in.check_offsets(item_ptr, available.size(), item_category.size(), "item categories");
  for (CategoryIdx c : item_category) {
    if (c >= parent.size()) in.fail("item categories", "index out of range");
  }
}

void save_id_map(const IdMap& ids, BinaryWriter& out) {
  out.put<std::uint64_t>(ids.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) out.put_string(ids.name(i));
}

IdMap load_id_map(BinaryReader& in, std::string_view what) {
  IdMap ids;
  const auto n = in.get<std::uint64_t>(what);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string name = in.get_string(what);
    if (ids.intern(name) != i) in.fail(what, "duplicate id '" + name + "'");
  }
  return ids;
}

}  // namespace aisle

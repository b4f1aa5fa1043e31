#include "aisle/models/item_facts.h"

#include <algorithm>

#include "aisle/core/text.h"

namespace aisle {

ItemFacts ItemFacts::from_catalog(const Catalog& catalog, std::uint32_t num_items) {
  ItemFacts f;
  for (CategoryIdx c = 0; c < catalog.num_categories(); ++c) {
    f.categories.intern(catalog.category_ids().name(c));
    f.parent.push_back(catalog.parent(c));
    f.category_name.push_back(catalog.category_name(c));
  }
  f.available.assign(num_items, static_cast<std::int8_t>(Availability::kUnknown));
  f.item_name.assign(num_items, std::string());
  f.price.assign(num_items, kAbsent);
  f.image_url.assign(num_items, std::string());
  f.item_ptr.reserve(num_items + 1);
  for (ItemIdx i = 0; i < num_items; ++i) {
    if (const ItemInfo* info = catalog.find_item(i)) {
      f.item_category.insert(f.item_category.end(), info->categories.begin(), info->categories.end());
      f.available[i] = static_cast<std::int8_t>(info->available);
      f.item_name[i] = info->name;
      f.price[i] = info->price;
      f.image_url[i] = info->image_url;
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

std::string ItemFacts::category_label(CategoryIdx c) const {
  if (category_name.size() != parent.size() || category_name[c].empty()) return std::string(categories.name(c));
  std::string label;
  const std::vector<CategoryIdx> path = ancestors(c);
  for (auto a = path.rbegin(); a != path.rend(); ++a) {
    if (category_name[*a].empty()) continue;
    label += (label.empty() ? "" : ".") + category_name[*a];
  }
  return label;
}

std::vector<CategoryIdx> ItemFacts::find_categories(std::string_view query) const {
  const std::string wanted = to_lower(trim(query));
  std::vector<CategoryIdx> out;
  for (CategoryIdx c = 0; c < parent.size(); ++c) {
    const bool named = c < category_name.size() && to_lower(category_name[c]) == wanted;
    if (to_lower(categories.name(c)) == wanted || named || to_lower(category_label(c)) == wanted) out.push_back(c);
  }
  return out;
}

std::vector<std::string> ItemFacts::closest_categories(std::string_view query, std::size_t n) const {
  const std::string wanted = to_lower(trim(query));
  std::vector<std::pair<std::size_t, std::string>> ranked;
  for (CategoryIdx c = 0; c < parent.size(); ++c) {
    // Closest by whichever of its names is closest: "notebok" finds "computers.notebook".
    const std::string label = category_label(c);
    std::size_t d =
        std::min(edit_distance(wanted, to_lower(label)), edit_distance(wanted, to_lower(categories.name(c))));
    if (c < category_name.size() && !category_name[c].empty()) {
      d = std::min(d, edit_distance(wanted, to_lower(category_name[c])));
    }
    ranked.emplace_back(d, label);
  }
  std::sort(ranked.begin(), ranked.end());
  ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && out.size() < n; ++i) out.push_back(ranked[i].second);
  return out;
}

void ItemFacts::save(BinaryWriter& out) const {
  save_id_map(categories, out);
  out.put_vector(parent);
  out.put_vector(item_ptr);
  out.put_vector(item_category);
  out.put_vector(available);
  out.put<std::uint64_t>(category_name.size());
  for (const std::string& name : category_name) out.put_string(name);
  out.put<std::uint64_t>(item_name.size());
  for (const std::string& name : item_name) out.put_string(name);
  out.put_vector(price);
  out.put<std::uint64_t>(image_url.size());
  for (const std::string& url : image_url) out.put_string(url);
}

void ItemFacts::load(BinaryReader& in, std::uint32_t format) {
  categories = load_id_map(in, "category ids");
  parent = in.get_vector<CategoryIdx>("category parents");
  item_ptr = in.get_vector<std::uint64_t>("item categories");
  item_category = in.get_vector<CategoryIdx>("item categories");
  available = in.get_vector<std::int8_t>("item availability");
  category_name.assign(parent.size(), std::string());
  item_name.assign(available.size(), std::string());
  price.assign(available.size(), kAbsent);
  image_url.assign(available.size(), std::string());
  const auto strings = [&](std::vector<std::string>& out, std::string_view what) {
    if (in.get<std::uint64_t>(what) != out.size()) in.fail(what, "count differs from the ids");
    for (std::string& s : out) s = in.get_string(what);
  };
  if (format >= 2) {
    strings(category_name, "category names");
    strings(item_name, "item names");
    price = in.get_vector<float>("item prices");
    if (price.size() != available.size()) in.fail("item prices", "count differs from the item ids");
  }
  if (format >= 3) strings(image_url, "item image URLs");
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

#include "aisle/serve/bought_with.h"

#include <algorithm>

namespace aisle::serve {

BoughtWith bought_with(const TrainedModel& model, ItemIdx item, std::size_t k) {
  const History& history = model.history();
  const std::size_t num_items = model.items().size();
  std::vector<std::uint32_t> together(num_items, 0);
  BoughtWith out;
  for (UserIdx u = 0; u < history.num_users(); ++u) {
    const auto items = history.items_of(u);
    if (!std::binary_search(items.begin(), items.end(), item)) continue;
    ++out.buyers;
    for (const ItemIdx i : items) ++together[i];
  }
  if (out.buyers == 0) return out;
  const double all_users = history.num_users();
  for (ItemIdx i = 0; i < num_items; ++i) {
    if (i == item || together[i] == 0) continue;
    const double share = static_cast<double>(together[i]) / out.buyers;
    out.rows.push_back({i, together[i], share, share / (model.training_users(i) / all_users)});
  }
  const auto first = [](const BoughtWithRow& a, const BoughtWithRow& b) {
    if (a.together != b.together) return a.together > b.together;
    if (a.lift != b.lift) return a.lift > b.lift;
    return a.item < b.item;
  };
  const std::size_t keep = std::min(k, out.rows.size());
  std::partial_sort(out.rows.begin(), out.rows.begin() + static_cast<std::ptrdiff_t>(keep), out.rows.end(), first);
  out.rows.resize(keep);
  return out;
}

}  // namespace aisle::serve

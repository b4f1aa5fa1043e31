#include "aisle/data/stats.h"

#include <algorithm>
#include <numeric>

#include "aisle/data/interactions.h"

namespace aisle {

Quantiles quantiles(std::vector<double>& values) {
  Quantiles q;
  if (values.empty()) return q;
  std::sort(values.begin(), values.end());
  const auto at = [&](double p) {
    const std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
  };
  q.min = values.front();
  q.p25 = at(0.25);
  q.p50 = at(0.50);
  q.p75 = at(0.75);
  q.p90 = at(0.90);
  q.p99 = at(0.99);
  q.max = values.back();
  q.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return q;
}

namespace {

std::vector<CategoryShare> category_shares(const EventLog& log, std::span<const std::uint64_t> item_events) {
  const Catalog& cat = log.catalog;
  std::vector<std::uint64_t> by_root(cat.num_categories() + 1, 0);  // last slot: no category
  std::uint64_t total = 0;
  for (ItemIdx i = 0; i < item_events.size(); ++i) {
    if (item_events[i] == 0) continue;
    total += item_events[i];
    const ItemInfo* info = cat.find_item(i);
    if (info == nullptr || info->categories.empty()) {
      by_root.back() += item_events[i];
      continue;
    }
    by_root[cat.category_path(info->categories.front()).front()] += item_events[i];
  }
  std::vector<CategoryShare> out;
  for (std::size_t c = 0; c < by_root.size(); ++c) {
    if (by_root[c] == 0) continue;
    std::string name = "(none)";
    if (c < cat.num_categories()) {
      const auto idx = static_cast<CategoryIdx>(c);
      name = cat.category_name(idx).empty() ? std::string(cat.category_ids().name(idx)) : cat.category_name(idx);
    }
    out.push_back({name, by_root[c], static_cast<double>(by_root[c]) / static_cast<double>(total)});
  }
  std::sort(out.begin(), out.end(), [](const CategoryShare& a, const CategoryShare& b) {
    return a.events != b.events ? a.events > b.events : a.category < b.category;
  });
  return out;
}

}  // namespace

std::vector<CategoryCount> category_counts(const EventLog& log) {
  const Catalog& cat = log.catalog;
  std::vector<std::uint64_t> item_events(log.items.size(), 0);
  for (const Event& e : log.events) ++item_events[e.item];
  std::vector<CategoryCount> out(cat.num_categories());
  for (CategoryIdx c = 0; c < cat.num_categories(); ++c) {
    out[c].id = std::string(cat.category_ids().name(c));
    out[c].label = cat.category_label(c);
  }
  std::vector<CategoryIdx> counted;  // an item counts once per category even through two paths
  for (ItemIdx i = 0; i < cat.item_slots(); ++i) {
    const ItemInfo* info = cat.find_item(i);
    if (info == nullptr) continue;
    counted.clear();
    for (const CategoryIdx leaf : info->categories) {
      for (const CategoryIdx c : cat.category_path(leaf)) {
        if (std::find(counted.begin(), counted.end(), c) != counted.end()) continue;
        counted.push_back(c);
        ++out[c].items;
        out[c].events += i < item_events.size() ? item_events[i] : 0;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const CategoryCount& a, const CategoryCount& b) {
    return a.events != b.events ? a.events > b.events : a.label < b.label;
  });
  return out;
}

LogStats compute_stats(const EventLog& log, const Weighting& weighting, std::size_t top_n) {
  LogStats s;
  s.events = log.events.size();
  s.users = log.users.size();
  s.categories = log.catalog.num_categories();
  s.sessions = log.sessions.size();
  s.weighting = weighting.to_string();

  std::vector<std::uint64_t> type_events(log.event_types.size(), 0);
  std::vector<std::uint64_t> item_events(log.items.size(), 0);
  std::vector<double> user_events(log.users.size(), 0);
  for (const Event& e : log.events) {
    ++type_events[e.type];
    ++item_events[e.item];
    ++user_events[e.user];
  }
  for (EventTypeIdx t = 0; t < type_events.size(); ++t) {
    s.events_by_type.push_back({std::string(log.event_types.name(t)), type_events[t]});
  }
  if (!log.events.empty()) {
    const auto [lo, hi] = std::minmax_element(log.events.begin(), log.events.end(),
                                              [](const Event& a, const Event& b) { return a.time < b.time; });
    s.first_time = lo->time;
    s.last_time = hi->time;
  }
  s.events_per_user = quantiles(user_events);

  const Interactions pairs =
      aggregate(log.events, weighting.resolve(log.event_types), log.users.size(), log.items.size());
  s.pairs = pairs.num_pairs();
  std::vector<double> per_user, per_item(log.items.size(), 0);
  std::vector<std::uint64_t> item_users(log.items.size(), 0);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    const auto row = pairs.items_of(u);
    if (!row.empty()) per_user.push_back(static_cast<double>(row.size()));
    for (ItemIdx i : row) ++item_users[i];
  }
  for (ItemIdx i = 0; i < log.items.size(); ++i) {
    if (item_events[i] > 0) ++s.items;
    if (item_users[i] > 0) per_item[i] = static_cast<double>(item_users[i]);
  }
  per_item.erase(std::remove(per_item.begin(), per_item.end(), 0.0), per_item.end());
  s.pairs_per_user = quantiles(per_user);
  s.pairs_per_item = quantiles(per_item);
  const double cells = static_cast<double>(s.users) * static_cast<double>(s.items);
  s.sparsity = cells > 0 ? 1.0 - static_cast<double>(s.pairs) / cells : 0.0;

  std::vector<ItemIdx> order(log.items.size());
  std::iota(order.begin(), order.end(), 0u);
  const std::size_t n_top = std::min(top_n, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_top), order.end(),
      [&](ItemIdx a, ItemIdx b) { return item_events[a] != item_events[b] ? item_events[a] > item_events[b] : a < b; });
  for (std::size_t k = 0; k < n_top && item_events[order[k]] > 0; ++k) {
    const ItemInfo* info = log.catalog.find_item(order[k]);
    s.top_items.push_back({std::string(log.items.name(order[k])), info ? info->name : std::string(),
                           item_events[order[k]], item_users[order[k]]});
  }
  s.category_shares = category_shares(log, item_events);

  std::vector<double> prices;
  for (ItemIdx i = 0; i < log.items.size(); ++i) {
    const ItemInfo* info = log.catalog.find_item(i);
    if (info != nullptr) {
      ++s.catalog_items;
      if (item_events[i] == 0) ++s.catalog_only_items;
      if (is_present(info->price)) prices.push_back(info->price);
    }
  }
  const Quantiles pq = quantiles(prices);
  s.prices = {prices.size(), pq.min, pq.p50, pq.mean, pq.max};
  return s;
}

}  // namespace aisle

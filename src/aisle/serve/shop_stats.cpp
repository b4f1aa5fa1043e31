#include "aisle/serve/shop_stats.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <numeric>

#include "aisle/core/timestamp.h"
#include "aisle/data/stats.h"

namespace aisle::serve {

namespace {

using Json = nlohmann::json;

constexpr Timestamp kDay = 86'400;

Timestamp floor_div(Timestamp a, Timestamp b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

std::string date_of(Timestamp t) {
  return format_timestamp(t).substr(0, 10);
}

// Events per day (a span up to 92 days), per week from Monday (up to 3 years), else per month;
// buckets without events are listed with 0.
Json events_over_time(const EventLog& log, Timestamp first, Timestamp last) {
  Json points = Json::array();
  const Timestamp span = last - first;
  const char* bucket = span <= 92 * kDay ? "day" : span <= kDay * 3 * 366 ? "week" : "month";
  std::map<Timestamp, std::uint64_t> counts;  // bucket start (unix seconds) -> events
  const auto start_of = [&](Timestamp t) -> Timestamp {
    const Timestamp day = floor_div(t, kDay);
    if (bucket[0] == 'd') return day * kDay;
    if (bucket[0] == 'w') return (floor_div(day + 3, 7) * 7 - 3) * kDay;  // day 0 was a Thursday
    const std::time_t seconds = t;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return timegm(&tm);
  };
  for (const Event& e : log.events) {
    if (e.time != 0) counts[start_of(e.time)]++;  // 0: an event without a time
  }
  if (!counts.empty()) {
    const Timestamp end = counts.rbegin()->first;
    for (Timestamp t = counts.begin()->first; t <= end;) {
      const auto it = counts.find(t);
      points.push_back({{"start", date_of(t)}, {"events", it == counts.end() ? 0 : it->second}});
      if (bucket[0] == 'd') {
        t += kDay;
      } else if (bucket[0] == 'w') {
        t += 7 * kDay;
      } else {
        t = start_of(t + 32 * kDay);
      }
    }
  }
  return {{"bucket", bucket}, {"points", points}};
}

// A step of 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double nice_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 2.5, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

// The catalog's positive prices in about 20 bins of a round width up to the 99th percentile;
// `above` counts the items past the last bin.
Json price_histogram(const Catalog& catalog) {
  std::vector<double> prices;
  for (ItemIdx i = 0; i < catalog.item_slots(); ++i) {
    const ItemInfo* info = catalog.find_item(i);
    if (info != nullptr && is_present(info->price) && info->price > 0) prices.push_back(info->price);
  }
  Json bins = Json::array();
  if (prices.empty()) return {{"bins", bins}, {"above", 0}};
  std::sort(prices.begin(), prices.end());
  const double p99 = prices[static_cast<std::size_t>(0.99 * static_cast<double>(prices.size() - 1))];
  const double width = nice_step(std::max(p99, 1e-9) / 20);
  const auto count = static_cast<std::size_t>(std::ceil(p99 / width));
  std::vector<std::uint64_t> counts(std::max<std::size_t>(count, 1), 0);
  std::uint64_t above = 0;
  for (const double p : prices) {
    const auto bin = static_cast<std::size_t>(p / width);
    if (bin < counts.size()) {
      counts[bin]++;
    } else {
      above++;
    }
  }
  for (std::size_t b = 0; b < counts.size(); ++b) {
    bins.push_back(
        {{"from", static_cast<double>(b) * width}, {"to", static_cast<double>(b + 1) * width}, {"items", counts[b]}});
  }
  return {{"bins", bins}, {"above", above}};
}

}  // namespace

Json shop_stats_json(const EventLog& log, const Weighting& weighting, std::size_t top_n, std::size_t active_n) {
  const LogStats s = compute_stats(log, weighting, top_n);
  Json j = Json::object();
  j["users"] = s.users;
  j["items"] = s.items;
  j["catalog_items"] = s.catalog_items;
  j["events"] = s.events;
  j["sessions"] = s.sessions;
  j["first_time"] = s.first_time == 0 ? Json(nullptr) : Json(format_timestamp(s.first_time));
  j["last_time"] = s.last_time == 0 ? Json(nullptr) : Json(format_timestamp(s.last_time));
  Json types = Json::array();
  for (const TypeCount& t : s.events_by_type) types.push_back({{"type", t.type}, {"events", t.events}});
  j["event_types"] = types;
  j["average_price"] = s.prices.items_with_price == 0 ? Json(nullptr) : Json(s.prices.mean);
  j["items_with_price"] = s.prices.items_with_price;
  j["price_histogram"] = price_histogram(log.catalog);

  // The most bought product: the most purchase events (ties: the lower item index).
  j["most_bought"] = nullptr;
  if (const EventTypeIdx purchase = log.event_types.find("purchase"); purchase != kNoIndex) {
    std::vector<std::uint64_t> purchases(log.items.size(), 0);
    for (const Event& e : log.events) {
      if (e.type == purchase) purchases[e.item]++;
    }
    const auto best = std::max_element(purchases.begin(), purchases.end());
    if (best != purchases.end() && *best > 0) {
      const auto item = static_cast<ItemIdx>(best - purchases.begin());
      const ItemInfo* info = log.catalog.find_item(item);
      j["most_bought"] = {{"item_id", std::string(log.items.name(item))},
                          {"name", info == nullptr || info->name.empty() ? Json(nullptr) : Json(info->name)},
                          {"purchases", *best}};
    }
  }
  Json top = Json::array();
  for (const TopItem& t : s.top_items) {
    top.push_back({{"item_id", t.id},
                   {"name", t.name.empty() ? Json(nullptr) : Json(t.name)},
                   {"events", t.events},
                   {"users", t.users}});
  }
  j["top_items"] = top;
  Json categories = Json::array();
  for (const CategoryCount& c : category_counts(log)) {
    categories.push_back({{"id", c.id}, {"label", c.label}, {"items", c.items}, {"events", c.events}});
  }
  j["categories"] = categories;
  j["events_over_time"] = events_over_time(log, s.first_time, s.last_time);

  // The most active users (by events; ties: the lower user index), for picking one to look at.
  std::vector<std::uint64_t> user_events(log.users.size(), 0);
  for (const Event& e : log.events) user_events[e.user]++;
  std::vector<UserIdx> order(user_events.size());
  std::iota(order.begin(), order.end(), UserIdx{0});
  const std::size_t n = std::min(active_n, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
      [&](UserIdx a, UserIdx b) { return user_events[a] != user_events[b] ? user_events[a] > user_events[b] : a < b; });
  Json active = Json::array();
  for (std::size_t i = 0; i < n && user_events[order[i]] > 0; ++i) {
    active.push_back({{"user_id", std::string(log.users.name(order[i]))}, {"events", user_events[order[i]]}});
  }
  j["active_users"] = active;
  return j;
}

std::shared_ptr<const Json> StatsCache::get(std::uint64_t version, const std::function<Json()>& compute) {
  std::lock_guard lock(mutex_);
  if (!body_ || version_ != version) {
    body_ = std::make_shared<const Json>(compute());
    version_ = version;
  }
  return body_;
}

}  // namespace aisle::serve

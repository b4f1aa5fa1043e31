// Descriptive statistics of an event log (what `aisle stats` prints). Pure computation: the CLI
// formats it as text or JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aisle/data/event_log.h"
#include "aisle/data/weighting.h"

namespace aisle {

struct Quantiles {
  double min = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};
// Nearest-rank quantiles of the values (sorted in place). All zero for no values.
Quantiles quantiles(std::vector<double>& values);

struct TypeCount {
  std::string type;
  std::uint64_t events = 0;
};

struct TopItem {
  std::string id;
  std::string name;
  std::uint64_t events = 0;
  std::uint64_t users = 0;
};

struct CategoryShare {
  std::string category;  // name of the top-level category, else its id; "(none)" without one
  std::uint64_t events = 0;
  double share = 0;
};

struct PriceSummary {
  std::uint64_t items_with_price = 0;
  double min = 0, median = 0, mean = 0, max = 0;
};

// One line of `aisle categories`: a category with the items in it or below it and their events.
struct CategoryCount {
  std::string id, label;
  std::uint32_t items = 0;
  std::uint64_t events = 0;
};

// Every category, by events (most first), then label.
std::vector<CategoryCount> category_counts(const EventLog& log);

struct LogStats {
  std::uint64_t events = 0;
  std::uint32_t users = 0;
  std::uint32_t items = 0;               // items with at least one event
  std::uint32_t catalog_items = 0;       // items with a catalog entry
  std::uint32_t catalog_only_items = 0;  // catalog entries without events
  std::uint32_t categories = 0;
  std::uint32_t sessions = 0;
  std::vector<TypeCount> events_by_type;
  std::uint64_t pairs = 0;
  double sparsity = 0;  // 1 - pairs / (users * items)
  Quantiles pairs_per_user, pairs_per_item, events_per_user;
  std::vector<TopItem> top_items;
  std::vector<CategoryShare> category_shares;
  PriceSummary prices;
  Timestamp first_time = 0, last_time = 0;
  std::string weighting;
};

LogStats compute_stats(const EventLog& log, const Weighting& weighting, std::size_t top_n = 10);

}  // namespace aisle

#include "aisle/data/interactions.h"

#include <algorithm>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/huge_pages.h"

namespace aisle {

namespace {
bool ignored(const Event& e, const std::vector<TypeWeight>& rules) {
  return ignored_event(e, rules);
}

// Drops the tail left by merging. The capacity stays (at most one entry per event): shrinking
// would copy every array once more for memory the caller frees with the events anyway.
template <typename T>
void truncate(std::vector<T>& v, std::uint64_t n) {
  v.resize(n);
}

struct Cell {
  ItemIdx item;
  float weight;
  Timestamp time;
};

// Stable, so that equal-item weights are summed in event order (bit-reproducible sums). Most
// rows are short: insertion sort there avoids stable_sort's buffer allocation per row.
void sort_by_item(std::vector<Cell>& row) {
  constexpr std::size_t kInsertionMax = 48;
  if (row.size() > kInsertionMax) {
    std::stable_sort(row.begin(), row.end(), [](const Cell& a, const Cell& b) { return a.item < b.item; });
    return;
  }
  for (std::size_t i = 1; i < row.size(); ++i) {
    const Cell c = row[i];
    std::size_t j = i;
    for (; j > 0 && row[j - 1].item > c.item; --j) row[j] = row[j - 1];
    row[j] = c;
  }
}
}  // namespace

Interactions aggregate(std::span<const Event> events, const std::vector<TypeWeight>& rules, std::uint32_t num_users,
                       std::uint32_t num_items) {
  Interactions out;
  out.num_users = num_users;
  out.num_items = num_items;

  // Pass 1: events per user.
  // Both passes index per-user arrays in event order, i.e. at random: the entry of an event a
  // few places ahead is prefetched so that cache misses overlap.
  constexpr std::size_t kAhead = 16;
  const std::size_t n_events = events.size();
  std::vector<std::uint64_t> start(static_cast<std::size_t>(num_users) + 1, 0);
  for (std::size_t k = 0; k < n_events; ++k) {
    const Event& e = events[k];
    if (k + kAhead < n_events) __builtin_prefetch(&start[events[k + kAhead].user + 1]);
    AISLE_CHECK(e.user < num_users && e.item < num_items && e.type < rules.size());
    if (!ignored(e, rules)) ++start[e.user + 1];
  }
  for (std::uint32_t u = 0; u < num_users; ++u) start[u + 1] += start[u];
  const std::uint64_t kept = start[num_users];

  // Pass 2: scatter into the output arrays, grouped by user.
  resize_on_huge_pages(out.item, kept);
  resize_on_huge_pages(out.weight, kept);
  resize_on_huge_pages(out.last_time, kept);
  out.count.reserve(kept);  // written in order by pass 3 only
  {
    std::vector<std::uint64_t> cursor(start.begin(), start.end() - 1);
    for (std::size_t k = 0; k < n_events; ++k) {
      const Event& e = events[k];
      if (k + kAhead < n_events) __builtin_prefetch(&cursor[events[k + kAhead].user]);
      if (k + kAhead / 2 < n_events) {  // that event's cursor is cached by now: prefetch its targets
        const std::uint64_t ahead = cursor[events[k + kAhead / 2].user];
        __builtin_prefetch(&out.item[ahead], 1);
        __builtin_prefetch(&out.weight[ahead], 1);
        __builtin_prefetch(&out.last_time[ahead], 1);
      }
      if (ignored(e, rules)) continue;
      const std::uint64_t pos = cursor[e.user]++;
      out.item[pos] = e.item;
      out.weight[pos] = event_weight(e, rules);
      out.last_time[pos] = e.time;
    }
  }

  // Pass 3: per user, sort by item and merge duplicates, compacting towards the front.
  // The write position never passes the read position, so this is safe in place.
  out.row_ptr.assign(static_cast<std::size_t>(num_users) + 1, 0);
  std::vector<Cell> row;
  std::uint64_t write = 0;
  for (std::uint32_t u = 0; u < num_users; ++u) {
    const std::uint64_t begin = start[u];
    const std::uint64_t end = start[u + 1];
    row.clear();
    for (std::uint64_t p = begin; p < end; ++p) {
      row.push_back({out.item[p], out.weight[p], out.last_time[p]});
    }
    sort_by_item(row);
    for (std::size_t k = 0; k < row.size();) {
      const ItemIdx item = row[k].item;
      float w = 0.0f;
      Timestamp last = row[k].time;
      std::uint32_t n = 0;
      for (; k < row.size() && row[k].item == item; ++k, ++n) {
        w += row[k].weight;
        last = std::max(last, row[k].time);
      }
      out.item[write] = item;
      out.weight[write] = w;
      out.last_time[write] = last;
      out.count.push_back(n);
      ++write;
    }
    out.row_ptr[u + 1] = write;
  }
  truncate(out.item, write);
  truncate(out.weight, write);
  truncate(out.last_time, write);
  return out;
}

Timestamp reference_time(std::span<const Timestamp> times) {
  std::vector<Timestamp> known;
  known.reserve(times.size());
  for (const Timestamp t : times) {
    if (t != 0) known.push_back(t);
  }
  if (known.empty()) return 0;
  const auto at_quantile = [&](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(known.size() - 1));
    std::nth_element(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(k), known.end());
    return known[k];
  };
  const Timestamp low = at_quantile(0.001);
  const Timestamp high = at_quantile(0.999);
  const Timestamp fence = high + (high - low) / 10 + 86400;
  Timestamp newest = std::numeric_limits<Timestamp>::min();
  for (const Timestamp t : known) {
    if (t <= fence) newest = std::max(newest, t);
  }
  return newest;
}

}  // namespace aisle

#include "aisle/data/interactions.h"

#include <algorithm>

#include "aisle/core/error.h"

namespace aisle {

namespace {
bool ignored(const Event& e, const std::vector<TypeWeight>& rules) {
  const TypeWeight& r = rules[e.type];
  return !is_present(e.weight) && !r.from_value && r.weight == 0.0f;
}

template <typename T>
void truncate(std::vector<T>& v, std::uint64_t n) {
  v.resize(n);
  v.shrink_to_fit();
}

struct Cell {
  ItemIdx item;
  float weight;
  Timestamp time;
};
}  // namespace

Interactions aggregate(std::span<const Event> events, const std::vector<TypeWeight>& rules, std::uint32_t num_users,
                       std::uint32_t num_items) {
  Interactions out;
  out.num_users = num_users;
  out.num_items = num_items;

  // Pass 1: events per user.
  std::vector<std::uint64_t> start(static_cast<std::size_t>(num_users) + 1, 0);
  for (const Event& e : events) {
    AISLE_CHECK(e.user < num_users && e.item < num_items && e.type < rules.size());
    if (!ignored(e, rules)) ++start[e.user + 1];
  }
  for (std::uint32_t u = 0; u < num_users; ++u) start[u + 1] += start[u];
  const std::uint64_t kept = start[num_users];

  // Pass 2: scatter into the output arrays, grouped by user.
  out.item.resize(kept);
  out.weight.resize(kept);
  out.last_time.resize(kept);
  out.count.assign(kept, 1);
  {
    std::vector<std::uint64_t> cursor(start.begin(), start.end() - 1);
    for (const Event& e : events) {
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
    // Stable, so that equal-item weights are summed in event order (bit-reproducible sums).
    std::stable_sort(row.begin(), row.end(), [](const Cell& a, const Cell& b) { return a.item < b.item; });
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
      out.count[write] = n;
      ++write;
    }
    out.row_ptr[u + 1] = write;
  }
  truncate(out.item, write);
  truncate(out.weight, write);
  truncate(out.last_time, write);
  truncate(out.count, write);
  return out;
}

}  // namespace aisle

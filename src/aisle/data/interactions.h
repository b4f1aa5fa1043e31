// User-item pairs aggregated from events (docs EVALUATION.md section 1): weight = sum of the
// event weights, last_time = time of the pair's last event, count = number of events.
// Layout: CSR by user; within a row, items ascend. Arrays are parallel, one entry per pair.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aisle/data/event.h"
#include "aisle/data/weighting.h"

namespace aisle {

struct Interactions {
  std::uint32_t num_users = 0;
  std::uint32_t num_items = 0;
  std::vector<std::uint64_t> row_ptr{0};  // num_users + 1 entries
  std::vector<ItemIdx> item;
  std::vector<float> weight;
  std::vector<Timestamp> last_time;
  std::vector<std::uint32_t> count;

  std::size_t num_pairs() const { return item.size(); }
  std::span<const ItemIdx> items_of(UserIdx u) const {
    return {item.data() + row_ptr[u], item.data() + row_ptr[u + 1]};
  }
};

// "Now" for time-decayed models: the newest of the times (0 = unknown is ignored), leaving out
// outliers far past the rest, so that one event dated 2100 cannot make every other item old.
// An outlier is later than the 99.9th percentile plus a tenth of the 0.1th-99.9th percentile
// span (plus a day); on data without such outliers this is exactly the newest time. 0 when no
// time is known. O(n) time, a copy of the known times.
Timestamp reference_time(std::span<const Timestamp> times);

// Whether aggregation leaves the event out: no explicit weight and a type whose rule weight is 0.
inline bool ignored_event(const Event& e, const std::vector<TypeWeight>& rules) {
  const TypeWeight& r = rules[e.type];
  return !is_present(e.weight) && !r.from_value && r.weight == 0.0f;
}

// O(events) time apart from sorting each user's row, O(events) memory: events are scattered
// straight into the output arrays by user (counting sort), each row is sorted by item and merged
// in place; the arrays keep their capacity of one entry per event. Events of a type whose rule weight is 0 are ignored.
// `rules` comes from Weighting::resolve on the log's event types.
Interactions aggregate(std::span<const Event> events, const std::vector<TypeWeight>& rules, std::uint32_t num_users,
                       std::uint32_t num_items);

}  // namespace aisle

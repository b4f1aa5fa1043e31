#include "aisle/models/session_order.h"

#include <algorithm>
#include <numeric>

namespace aisle {

const Sequences& training_sessions(const TrainSet& data, std::uint64_t seed, Sequences& derived) {
  if (data.sequences != nullptr) return *data.sequences;
  derived = sequences_from_pairs(data.pairs, seed);
  return derived;
}

void session_in_time_order(const UserQuery& query, std::vector<ItemIdx>& out) {
  out.assign(query.items.begin(), query.items.end());
  const std::span<const Timestamp> times = query.times;
  if (times.size() != out.size() || std::is_sorted(times.begin(), times.end())) return;
  std::vector<std::size_t> order(out.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  for (std::size_t p = 0; p < order.size(); ++p) out[p] = query.items[order[p]];
}

}  // namespace aisle

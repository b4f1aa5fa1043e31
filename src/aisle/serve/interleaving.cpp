#include "aisle/serve/interleaving.h"

#include <algorithm>
#include <array>
#include <random>
#include <unordered_set>

namespace aisle::serve {

Interleaved team_draft(const std::vector<std::string>& a, const std::vector<std::string>& b, std::size_t k,
                       std::uint64_t seed) {
  Interleaved out;
  std::unordered_set<std::string> taken;
  const std::array<const std::vector<std::string>*, 2> lists = {&a, &b};
  std::array<std::size_t, 2> next = {0, 0};
  std::mt19937_64 coin(seed);
  // Moves team t's cursor past what is taken; false when its list is exhausted.
  const auto advance = [&](std::size_t t) {
    while (next[t] < lists[t]->size() && taken.count((*lists[t])[next[t]]) > 0) ++next[t];
    return next[t] < lists[t]->size();
  };
  const auto pick = [&](std::size_t t) {
    if (out.from.size() >= k || !advance(t)) return;
    taken.insert((*lists[t])[next[t]]);
    out.from.push_back(t);
    out.index.push_back(next[t]++);
  };
  while (out.from.size() < k && (advance(0) || advance(1))) {
    const std::size_t first = (coin() & 1) != 0 ? 1 : 0;
    pick(first);
    pick(1 - first);
  }
  return out;
}

}  // namespace aisle::serve

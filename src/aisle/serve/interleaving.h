// Team-draft interleaving (Radlinski, Kurup and Joachims, CIKM 2008): one list of k drawn from
// two ranked lists. In each round a coin decides which team picks first; each team then adds its
// highest-ranked item not yet in the list. Every item is credited to the team that added it, so
// a click says which ranking the visitor preferred. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisle::serve {

struct Interleaved {
  std::vector<std::size_t> from;   // per position: 0 or 1, the list it was taken from
  std::vector<std::size_t> index;  // per position: its index in that list
};

// `a` and `b` are external ids, best first, each without repeats. The result has min(k, the
// number of distinct ids in both) items. `seed` decides the coins (the request's id, so a
// replayed request draws the same list).
Interleaved team_draft(const std::vector<std::string>& a, const std::vector<std::string>& b, std::size_t k,
                       std::uint64_t seed);

}  // namespace aisle::serve

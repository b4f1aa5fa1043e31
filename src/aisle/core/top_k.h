// Top-k selection. `Scored` is the unit every recommender returns. Order: higher score first;
// equal scores by lower item index, so results never depend on evaluation order or threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>
#include <vector>

#include "aisle/core/types.h"

namespace aisle {

struct Scored {
  ItemIdx item = kNoIndex;
  float score = 0.0f;
  friend bool operator==(const Scored&, const Scored&) = default;
};

// The one rule for k, in every command and request: a whole number from 1 to kMaxK.
inline constexpr std::size_t kMaxK = 10'000;

// k as typed; throws ConfigError "<what>: expected a whole number from 1 to 10000, found '...'".
std::size_t parse_k(std::string_view text, std::string_view what);

// True when a ranks before b.
inline bool ranks_before(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.item < b.item);
}

// ranks_before as a function object: the standard algorithms inline it (they call a function
// pointer through the pointer).
struct RanksBefore {
  bool operator()(const Scored& a, const Scored& b) const { return ranks_before(a, b); }
};

// Keeps the k best of the candidates pushed to it in a binary heap whose top is the worst kept.
// push() is O(1) for a candidate that cannot enter (the common case) and O(log k) otherwise.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) { heap_.reserve(std::min(k, kMaxK)); }

  // A candidate whose score is below this cannot enter; -inf until k are kept (+inf for k = 0).
  float threshold() const {
    if (k_ == 0) return std::numeric_limits<float>::infinity();
    return full() ? heap_.front().score : -std::numeric_limits<float>::infinity();
  }
  bool full() const { return heap_.size() == k_; }

  void push(ItemIdx item, float score) {
    const Scored s{item, score};
    if (k_ == 0) return;
    if (!full()) {
      heap_.push_back(s);
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore{});
    } else if (ranks_before(s, heap_.front())) {
      replace_worst(s);
    }
  }

  // The kept candidates, best first. Leaves this empty (ready for reuse with the same k).
  std::vector<Scored> take_sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), RanksBefore{});
    std::vector<Scored> out;
    out.swap(heap_);
    heap_.reserve(std::min(k_, kMaxK));
    return out;
  }

 private:
  // The worst kept gives way to s, which sinks to its place: one pass down the heap, where
  // pop_heap then push_heap would make two.
  void replace_worst(const Scored& s) {
    const std::size_t n = heap_.size();
    std::size_t at = 0;
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && ranks_before(heap_[child], heap_[child + 1])) ++child;
      if (!ranks_before(s, heap_[child])) break;
      heap_[at] = heap_[child];
      at = child;
    }
    heap_[at] = s;
  }

  std::size_t k_;
  std::vector<Scored> heap_;
};

}  // namespace aisle

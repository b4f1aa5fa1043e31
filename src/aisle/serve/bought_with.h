// "Who bought it with what": from the serving model's training history, the other items of the
// users who have an item, with how many of those users have each (together), that share of
// them, and the lift (the share divided by the item's share among all users: above 1, bought
// with this item more often than by chance).
#pragma once

#include <cstdint>
#include <vector>

#include "aisle/models/trained_model.h"

namespace aisle::serve {

struct BoughtWithRow {
  ItemIdx item = kNoIndex;
  std::uint32_t together = 0;  // users with both items
  double share = 0;            // together / buyers
  double lift = 0;             // share / (users with `item` / all users)
};

struct BoughtWith {
  std::uint32_t buyers = 0;         // users whose history has the item
  std::vector<BoughtWithRow> rows;  // most together first (then higher lift, then lower index); at most k
};

// O(training pairs) per call: one pass over the history (each user's items are sorted, so a
// user's membership is a binary search). Thread-safe (reads the immutable model only).
BoughtWith bought_with(const TrainedModel& model, ItemIdx item, std::size_t k);

}  // namespace aisle::serve

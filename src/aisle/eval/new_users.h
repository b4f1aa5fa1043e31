// The new-users protocol: how well a model serves someone it has never trained on. A seeded share
// of the users is held out whole (none of their events is trained on); for each n (1, 3, 5 by
// default) every held-out user with more than n events is asked for as an anonymous history of
// their first n events (time order, equal times in a seeded order), and the items of their pairs
// not among those n are the test items. The same held-out users for every n, so the rows compare.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aisle/data/event_log.h"
#include "aisle/data/interactions.h"
#include "aisle/eval/split.h"

namespace aisle {

struct NewUsersOptions {
  double share = 0.1;                       // of the users with at least two items, held out (0, 1)
  std::vector<std::size_t> first{1, 3, 5};  // history lengths asked for
  std::uint64_t seed = 42;
};

struct NewUsersSplit {
  Interactions train;          // `pairs` with the held-out users' rows emptied
  std::vector<TestSet> tests;  // one per options.first; TestSet::anonymous holds the histories
  std::size_t held_out = 0;
  std::string description;  // "new-users: 1,234 of 12,345 users held out (seed 42)"
};

// `pairs` are the log's pairs (same indices). Throws ConfigError for a share outside (0, 1) or
// an n of 0, InputError when no user can be held out.
NewUsersSplit split_new_users(const EventLog& log, const Interactions& pairs, const NewUsersOptions& options);

}  // namespace aisle

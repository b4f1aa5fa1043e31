// What session models (session_knn, sequential_rules) share: the training sessions they fit on
// and the current session a query stands for.
#pragma once

#include <vector>

#include "aisle/models/recommender.h"

namespace aisle {

// The training sessions: data.sequences when the caller has them, else each user's pairs as
// one sequence in time order (sequences_from_pairs with `seed`), stored in `derived`.
const Sequences& training_sessions(const TrainSet& data, std::uint64_t seed, Sequences& derived);

// The query's items as one session, oldest first, newest last: ordered by `times` (equal times
// keep the query's order). An anonymous session arrives in order already; a known user's
// history arrives in item order with each pair's last time, so this puts it in time order.
// Writes into `out` (reused by the caller across queries).
void session_in_time_order(const UserQuery& query, std::vector<ItemIdx>& out);

}  // namespace aisle

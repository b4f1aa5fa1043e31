// The next-item protocol of the session-based literature (../shared/splits/README.md): for each
// test sequence, every event after its first is a target, predicted from the sequence's earlier
// events as an anonymous session; HR@K (the target in the top K) and MRR@K (1 / its rank within
// the top K, else 0) are averaged over all predictions. Items already in the session stay
// eligible (repeats are common in clicks). Test items that training never saw are misses and are
// counted; unknown items in a prefix are left out of the query. Models never learn from the test.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "aisle/data/id_map.h"
#include "aisle/data/sequences.h"
#include "aisle/eval/evaluator.h"
#include "aisle/models/ranker.h"

namespace aisle {

struct NextItemTest {
  std::vector<Query> queries;    // one per prediction: the prefix in training item indices
  std::vector<ItemIdx> targets;  // kNoIndex: an item training never saw
  std::size_t sessions = 0;      // test sequences with at least one prediction
  std::size_t unknown_targets = 0;
};

// `test` indexes its items by `test_items`; they are matched to `train_items` by external id.
NextItemTest make_next_item_test(const Sequences& test, const IdMap& test_items, const IdMap& train_items);

struct NextItemResult {
  UserMetrics per_prediction;  // hr@K and mrr@K for every K, one row per prediction
  double rank_seconds = 0;     // wall time of ranking every prediction
};

// Ranks every prediction of `test` through the model's batch path, on `run`'s threads.
NextItemResult evaluate_next_item(const Ranker& model, const NextItemTest& test, std::span<const std::size_t> ks,
                                  const RunContext& run);

}  // namespace aisle

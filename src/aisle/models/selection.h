// Top-k selection with filters, shared by every batch path (rank_requests in ranker.h, and
// TrainedModel's similar and popular): the filter is compiled once per run of requests, and
// items are offered to a TopK per query while they are scored, so k results come back whenever
// k items are eligible.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aisle/core/top_k.h"
#include "aisle/models/item_facts.h"
#include "aisle/models/recommender.h"
#include "aisle/models/request.h"

namespace aisle {

// Items per tile of batch scoring: 256 queries x 1,024 floats = 1 MB of scores per worker.
inline constexpr std::uint32_t kItemsPerTile = 1024;

// The filter's query-independent part, compiled once per call. A restrictive filter (include
// list, categories, availability) lists its eligible items; otherwise the few blocked items are
// listed and every other item is eligible.
struct Eligibility {
  bool restrictive = false;
  std::vector<ItemIdx> eligible;  // restrictive: ascending
  std::vector<ItemIdx> blocked;   // otherwise
};

Eligibility compile_filter(const Filter& filter, const ItemFacts& facts, std::uint32_t num_items);

// Offers the scores of items [first, first + row.size()) to `top`, leaving out the query's
// `excluded` items (ascending) and those the filter does not allow. Excluded scores are
// overwritten in `row`.
void offer(std::span<float> row, ItemIdx first, std::span<const ItemIdx> excluded, const Eligibility& e, TopK& top);

// The top k of one full row of scores.
std::vector<Scored> select_top(std::span<float> row, std::span<const ItemIdx> excluded, const Eligibility& e,
                               std::size_t k);

// The order in which the items a CandidateScorer did not list fill a list: `items` (every item
// once, best first) with `scores` (indexed by item, descending along `items`, below every
// candidate's score). Empty: by ascending index, scored 0.
struct FillOrder {
  std::span<const ItemIdx> items;
  std::span<const float> scores;
};

// The top k of a query whose model scores only `candidates` (CandidateScorer: scores > 0, each
// item once) and every other item 0: the eligible candidates, then eligible other items in the
// fill order until k are kept. `marks` is scratch space (num_items bytes, left all zero).
void select_candidates(std::span<const Scored> candidates, std::uint32_t num_items, std::span<const ItemIdx> excluded,
                       const Eligibility& e, TopK& top, std::vector<std::uint8_t>& marks, const FillOrder& fill = {});

// The top k of `count` queries whose scores are dot products (NormBoundedScorer) without scoring
// every item; `state` holds the query vectors (ItemRangeScorer::prepare). Exact. Only for
// non-restrictive filters. `scores` and `open_vectors` are scratch space.
void select_by_norm(const NormBoundedScorer& m, const std::vector<float>& state, std::size_t count,
                    std::span<const std::span<const ItemIdx>> excluded, const Eligibility& e, std::vector<TopK>& tops,
                    std::vector<float>& scores, std::vector<float>& open_vectors);

}  // namespace aisle

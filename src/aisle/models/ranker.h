// The one recommend interface. A Ranker answers batches of requests, each with its own query,
// filter and k, through one batch path (rank_requests below): the CLI, the evaluator, tuning
// checkpoints and the server all call it, whatever the Ranker holds (a trained model's snapshot,
// a model in the middle of its fit, later a blend).
//
// Thread safety: a Ranker is immutable once built; every const method may be called from many
// threads at once (tested under ThreadSanitizer), with one RunContext or several: batch calls
// run on the context's pool, and calls from several threads share it.
#pragma once

#include <span>
#include <vector>

#include "aisle/core/run_context.h"
#include "aisle/core/top_k.h"
#include "aisle/models/history.h"
#include "aisle/models/item_facts.h"
#include "aisle/models/recommender.h"
#include "aisle/models/request.h"

namespace aisle {

class HnswIndex;

// The route each query takes through a router model (QueryRouter: route), for per-segment
// results; both empty for other models.
struct QueryRoutes {
  std::vector<std::string> names;
  std::vector<std::uint8_t> of_query;  // per query, an index into names
};

class Ranker {
 public:
  virtual ~Ranker() = default;

  virtual const Recommender& model() const = 0;
  virtual const History& history() const = 0;
  virtual const ItemFacts& facts() const = 0;
  std::uint32_t num_items() const { return model().num_items(); }

  // The top k of each request under its own filter, best first: exactly min(k, eligible items)
  // results. Requests are scored in blocks on the run's threads; the output does not depend on
  // the thread count or on how requests are batched. `approximate`: an index of this model to
  // answer through instead of the exact path (rank_requests).
  std::vector<std::vector<Scored>> recommend(std::span<const Request> requests, const RunContext& run,
                                             const HnswIndex* approximate = nullptr) const;
  // The same for queries that share one filter and k.
  std::vector<std::vector<Scored>> recommend(std::span<const Query> queries, const Filter& filter, std::size_t k,
                                             const RunContext& run, const HnswIndex* approximate = nullptr) const;
  QueryRoutes routes(std::span<const Query> queries) const;
  // Scores of the given candidates for one query (any model), in the candidates' order.
  std::vector<float> score_candidates(const Query& query, std::span<const ItemIdx> candidates) const;
  // The same for a batch: queries[i] with candidates[i], on the run's threads.
  std::vector<std::vector<float>> score_candidates(std::span<const Query> queries,
                                                   std::span<const std::vector<ItemIdx>> candidates,
                                                   const RunContext& run) const;
  // Why each of `items` scored what it did for the query (resolved as recommend resolves it):
  // per item, at most n of the query's history items with their contributions, largest first
  // (Explainer); every list is empty when the model cannot explain.
  std::vector<std::vector<Scored>> explain(const Query& query, std::span<const ItemIdx> items, std::size_t n) const;
};

// A Ranker over a model, history and facts held elsewhere (a model at a checkpoint of its fit).
// Holds references: they must outlive it.
class RankerView final : public Ranker {
 public:
  RankerView(const Recommender& model, const History& history, const ItemFacts& facts)
      : model_(model), history_(history), facts_(facts) {}
  const Recommender& model() const override { return model_; }
  const History& history() const override { return history_; }
  const ItemFacts& facts() const override { return facts_; }

 private:
  const Recommender& model_;
  const History& history_;
  const ItemFacts& facts_;
};

// The batch path behind Ranker::recommend. Consecutive requests with the same filter and k share
// one compiled filter; blocks of requests are scored together (factor models: one matrix product
// per block and item tile, pruned by norm bounds; others: whole rows), in parallel over blocks
// on the run's pool.
// With `approximate` (an HnswIndex built from this model; null: the exact path, the default),
// each query's vector is computed as the exact path computes it and looked up in the index
// under the filter (HnswIndex::select); queries the index gives back are answered exactly, so
// exactly min(k, eligible items) still come back, with exact scores and the same order rule.
// Which items come back is approximate; the result does not depend on threads or batching.
std::vector<std::vector<Scored>> rank_requests(const Recommender& model, const History& history, const ItemFacts& facts,
                                               std::span<const Request> requests, const RunContext& run,
                                               const HnswIndex* approximate = nullptr);

}  // namespace aisle

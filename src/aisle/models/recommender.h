// The model interface. Data contract (see core/types.h): users and items are dense indices from
// the training data's id maps; scores are floats, higher is better; factor matrices are
// row-major float, one row per user or item. Models never see external string ids, files, SQL
// or HTTP: TrainedModel (trained_model.h) wraps a model with its id maps, the training history
// and the item facts; the Ranker interface (ranker.h) applies filters and selects the top k.
//
// A model implements fit, score and save/load. Optional abilities are separate interfaces a
// model also derives from; a caller asks with capability<T>(model), which is null when the
// model lacks the ability (no virtual that throws "not supported").
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/core/binary_io.h"
#include "aisle/core/run_context.h"
#include "aisle/core/top_k.h"
#include "aisle/data/catalog.h"
#include "aisle/data/interactions.h"
#include "aisle/data/pair_parts.h"
#include "aisle/data/sequences.h"
#include "aisle/models/item_facts.h"

namespace aisle::dist {
class Communicator;
}  // namespace aisle::dist

namespace aisle {

// What a model is fitted on. `pairs` are the aggregated training pairs (weights may be <= 0:
// bought then cancelled; models leave those out). `catalog` is indexed like the pairs' items.
// `sequences`, when the caller has the events, are the same training data in time order, by
// session (data/sequences.h; items indexed like the pairs'); null otherwise, and models that
// need order fall back to sequences_from_pairs(pairs).
struct TrainSet {
  const Interactions& pairs;
  const ItemFacts& facts;
  const Catalog& catalog;
  const Sequences* sequences = nullptr;
};

// One line of a fit's log: an iteration or epoch, the training loss (NaN when the model has
// none) and the held-out error (NaN when there is none).
struct FitStep {
  int step = 0;
  double loss = 0;
  double validation = 0;
};

class Recommender;

// What an iterative model reports at the end of each iteration or epoch (FitContext::end_step).
struct StepEnd {
  std::string_view label;  // "als iteration"
  int step = 0;
  int last = 0;
  double loss = std::numeric_limits<double>::quiet_NaN();        // NaN: not computed
  double validation = std::numeric_limits<double>::quiet_NaN();  // NaN: none
  bool finite = true;       // false: the loss or the parameters are no longer finite numbers
  std::string_view remedy;  // what to change when it is not finite, e.g. "lower learning_rate"
};

struct FitContext {
  RunContext run;
  // The ranks of a distributed fit (dist/communicator.h; not owned); null: this process alone.
  // Models without a distributed fit ignore it.
  dist::Communicator* communicator = nullptr;
  // When set, iterative models append one FitStep per iteration or epoch.
  std::vector<FitStep>* log = nullptr;
  // Pairs held out of training, indexed like the training pairs; null when there are none.
  // Models that report a held-out error (mf) use them; none may train on them.
  const Interactions* validation = nullptr;
  // A look at the model in the middle of its fit: iterative models (als, bpr, mf) call it after
  // every iteration or epoch before the last, with the model scorable as it stands; false ends
  // the fit there (a pruned tuning trial, early stopping). Empty: no checkpoints.
  std::function<bool(int step, const Recommender& model)> checkpoint;

  // Whether step `step` of `last` is a checkpoint.
  bool at_checkpoint(int step, int last) const { return checkpoint && step < last; }

  // The one end-of-step path of iterative models: throws Cancelled when the run is cancelled,
  // FitError (naming the label, the step and the remedy) when the step is not finite, so that no
  // fit reports success with non-finite parameters; else appends to `log` and reports progress. The checkpoint stays
  // the model's to call, after it has readied itself for scoring.
  void end_step(const StepEnd& s) const;
};

// One query as a model sees it: the user (kNoIndex for an anonymous history) and the history to
// score from. For a known user the history is the user's training pairs followed by any items
// the caller added; `only_training_history` says nothing was added, so a model may use what it
// learned for the user instead of reading the history.
struct UserQuery {
  UserIdx user = kNoIndex;
  std::span<const ItemIdx> items;
  std::span<const float> weights;    // aggregated weight per history item (> 0)
  std::span<const Timestamp> times;  // last time per history item
  bool only_training_history = false;
  bool session = false;  // Query::session
};

class Recommender {
 public:
  virtual ~Recommender() = default;

  virtual std::string_view kind() const = 0;
  // Every parameter, canonical: parsing it gives the same model parameters.
  virtual std::string params() const = 0;

  virtual void fit(const TrainSet& data, const FitContext& context) = 0;

  // scores: queries.size() rows of num_items() floats, row-major. Every item gets a finite
  // score; filtering is the caller's job. Runs on the calling thread: callers parallelize over
  // blocks of queries (rank_requests). The default scores each query with score_one; models
  // with a faster batch path (a matrix product) override it.
  virtual void score(std::span<const UserQuery> queries, std::span<float> scores) const;
  virtual void score_one(const UserQuery& query, std::span<float> scores) const = 0;

  virtual void save(BinaryWriter& out) const = 0;
  // Reads what save wrote, for a model created with the same params(). Throws InputError (via
  // BinaryReader) on a truncated or inconsistent payload.
  virtual void load(BinaryReader& in) = 0;

  virtual std::uint32_t num_items() const = 0;

  // Whether fit reads the order of events (TrainSet::sequences): session kNN, sequential rules,
  // and pipelines with such a member. Callers that have the events build sequences for such a
  // model only (they cost about as much memory as the pairs); without them it fits on
  // sequences_from_pairs. Known before fitting.
  virtual bool learns_from_sequences() const { return false; }
};

// Capability: items as dense vectors (factor models, content).
class ItemEmbeddings {
 public:
  virtual ~ItemEmbeddings() = default;
  virtual std::uint32_t embedding_dim() const = 0;
  virtual std::span<const float> item_embedding(ItemIdx item) const = 0;
};

// Capability: items similar to one item, best first, scored by the model's own similarity.
// Every item gets a score in `scores` (num_items); the item itself is the caller's to exclude.
class SimilarItems {
 public:
  virtual ~SimilarItems() = default;
  virtual void similar_scores(ItemIdx item, std::span<float> scores) const = 0;
};

// Capability: a user vector solved from a history the model did not see in training, against
// the fixed item side (factor models).
class FoldIn {
 public:
  virtual ~FoldIn() = default;
  virtual std::vector<float> fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const = 0;
};

// Capability: scores for a range of items without scoring the others (factor models), so that
// batch recommendation can work through a large catalog in cache-sized tiles. prepare() turns
// the queries into the model's per-query state once; score_range() may then be called for any
// item ranges, writing count x (last - first) scores, row-major.
class ItemRangeScorer {
 public:
  virtual ~ItemRangeScorer() = default;
  virtual void prepare(std::span<const UserQuery> queries, std::vector<float>& state) const = 0;
  virtual void score_range(const std::vector<float>& state, std::size_t count, ItemIdx first, ItemIdx last,
                           float* out) const = 0;
};

// Capability: a model that has something to say about a few candidates per query only (session
// kNN, sequential rules): candidates() lists the items whose score is above zero, each once, in
// any order; every other item scores 0. The batch path then selects from the candidates and
// fills up with zero-score items by index, exactly what the dense row of score_one would give,
// without writing a row over the whole catalog. Scores must be finite and > 0.
class CandidateScorer {
 public:
  virtual ~CandidateScorer() = default;
  virtual void candidates(const UserQuery& query, std::vector<Scored>& out) const = 0;
};

// Capability: a pipeline that answers each query with one of its members (route). The batch path
// asks which route a query takes and selects through that member's own capabilities, so a
// route costs what its member costs. The items a CandidateScorer member did not list come in
// fill_order() (with fill_scores(), both as selection.h's FillOrder has them), which is what
// the router's own score_one writes for them.
class QueryRouter {
 public:
  virtual ~QueryRouter() = default;
  virtual std::span<const std::string> route_names() const = 0;
  virtual std::size_t route_of(const UserQuery& query) const = 0;  // < route_names().size()
  virtual const Recommender& route_model(std::size_t route) const = 0;
  virtual std::span<const ItemIdx> fill_order() const = 0;
  virtual std::span<const float> fill_scores() const = 0;
};

// Capability: scores are predicted ratings on the scale of the training weights (explicit
// feedback), so RMSE and MAE against held-out ratings mean something.
class RatingPredictor {
 public:
  virtual ~RatingPredictor() = default;
  // The predicted rating for a score (scores are monotone in it; a model that fits transformed
  // targets maps them back here).
  virtual float rating(float score) const { return score; }
};

// Capability: scores that are dot products of a query vector (ItemRangeScorer::prepare's state,
// `query_dim()` floats per query) and item vectors, with the items listed by decreasing vector
// norm. Since score <= |query| * |item| (Cauchy-Schwarz), top-k selection can stop as soon as
// that bound for the next items falls below the k-th best score: exact, not approximate.
class NormBoundedScorer {
 public:
  virtual ~NormBoundedScorer() = default;
  virtual std::size_t query_dim() const = 0;
  virtual std::span<const ItemIdx> items_by_norm() const = 0;
  virtual std::span<const float> sorted_item_norms() const = 0;  // descending, parallel to the items
  // Scores of items_by_norm()[first, last) for `count` query vectors: count x (last - first).
  virtual void score_by_norm(const float* queries, std::size_t count, std::size_t first, std::size_t last,
                             float* out) const = 0;
};

// Capability: why an item scored what it did. explain() writes into `out` (replacing what it
// held) the history items of the query (from query.items, each once) that contributed most to
// `item`'s score, with their contributions: at most n, only contributions > 0, largest first
// (ties by item index, ranks_before). What a contribution is, per model:
//   ease      weight_j x B[j][item], weight_j the transformed history weight times its recency
//             weight, as score_one uses it: contributions sum to the score.
//   item_knn  log(1 + weight_j) x sim(j, item): they sum to the score less the popularity prior
//             (far below any similarity).
//   session_knn  each kept neighbour session's share of the score (what it adds to `item`) split
//             among the session items it shares, in proportion to their weight in the
//             similarity's numerator (1 for sknn, the position weight for vsknn, stan, vstan):
//             they sum to the score.
//   sequential_rules  the newest item, whose rule gives the whole score.
//   route     its member's for the query's segment.
//   blend     each explaining member's contributions as shares of that member's total, times the
//             member's weight, merged: which history items the blend as a whole leans on.
//   factor models (als, bpr, mf)  weight_j x dot(y_j, y_item) over the latent factors: an
//             approximation (the user vector is a solve or a fit, not that sum), so they need not
//             sum to the score.
// Items scored from nothing in the history (a popularity fill) get an empty list.
class Explainer {
 public:
  virtual ~Explainer() = default;
  virtual void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const = 0;
};

// Keeps the explain() contract on a list of (history item, contribution): merges repeats of an
// item (a history item given twice), drops contributions <= 0, sorts largest first and keeps n.
void keep_top_contributions(std::vector<Scored>& contributions, std::size_t n);

// Capability: a fit across the ranks of context.communicator from each rank's share of the pairs
// (data/pair_parts.h) rather than all of them; the result equals fit() on all the pairs, bit for
// bit, on every rank (als).
class PartsFit {
 public:
  virtual ~PartsFit() = default;
  virtual void fit_parts(const PairParts& parts, const FitContext& context) = 0;
};

template <class Capability>
const Capability* capability(const Recommender& model) {
  return dynamic_cast<const Capability*>(&model);
}

// The base of models whose parameters are a struct P with a ParamSchema: holds the parameters
// and answers params() from the schema.
template <class P>
class ParameterizedModel : public Recommender {
 public:
  explicit ParameterizedModel(P params) : params_(std::move(params)) {}
  std::string params() const override { return P::schema().format(params_); }
  const P& parameters() const { return params_; }

 protected:
  P params_;
};

}  // namespace aisle

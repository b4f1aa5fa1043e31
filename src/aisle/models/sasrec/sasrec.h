// sasrec: SASRec (Kang & McAuley, ICDM 2018) on libtorch. A history's newest max_length items
// (oldest first, left-padded) pass through `blocks` causal self-attention blocks (pre-layer-norm
// attention with a residual, a point-wise feed-forward with a residual, dropout, learned absolute
// positions); the last position's output scored against every item's output vector gives the
// next-item scores. Trained on each user's time-ordered events (their sessions joined in time
// order; TrainSet::sequences, else sequences_from_pairs), every position predicting the next
// item, with the full-softmax cross-entropy of Klenitskiy & Vasilev (RecSys 2023) or a sampled
// softmax over `negatives` uniform items shared by a batch.
//
// Queries: a known user with nothing added is read from the training sequence the model keeps
// (their newest max_length events, repeats and event types included); any other history is
// ordered by its times (UserQuery::times, oldest first; the given order when there are none).
//
// Threads: fit uses the run's threads for libtorch's intra-op pool on the fitting thread; score
// uses one libtorch thread per calling thread, since the ranker already scores blocks of
// queries on aisle's threads (no oversubscription). const methods are safe from many threads.
// Determinism: the fit seeds libtorch's global generator with the run's seed, so two sasrec fits
// running at once in one process are not reproducible; one at a time with one thread is.
//
// Built only with libtorch (the torch plugin, torch_models.h); the parameters are sasrec_params.h.
#pragma once

#include <memory>

namespace at {
class Tensor;
}

#include "aisle/models/recommender.h"
#include "aisle/models/sasrec/sasrec_params.h"

namespace aisle {

class Sasrec final : public ParameterizedModel<SasrecParams>, public ItemEmbeddings, public SimilarItems {
 public:
  // Throws ConfigError when hidden is not a multiple of heads.
  explicit Sasrec(SasrecParams params);
  ~Sasrec() override;
  std::string_view kind() const override { return "sasrec"; }
  bool learns_from_sequences() const override { return true; }

  void fit(const TrainSet& data, const FitContext& context) override;
  void score(std::span<const UserQuery> queries, std::span<float> scores) const override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return num_items_; }

  // The output vectors of the items (ItemEmbeddings): what a history's state is scored against.
  std::uint32_t embedding_dim() const override;
  std::span<const float> item_embedding(ItemIdx item) const override;
  // The cosine of two items' output vectors.
  void similar_scores(ItemIdx item, std::span<float> scores) const override;

 private:
  struct Network;
  // The newest max_length items (shifted by one: 0 is padding) and event types of a query,
  // left-padded, into row `row` of the batch's inputs.
  void query_window(const UserQuery& query, std::int64_t* items, std::int64_t* types) const;
  void refresh_item_vectors();
  // One training step's loss and gradients for `states` (positions x hidden) predicting `target`
  // (positions, item indices); return the mean loss. The caller zeroes and steps the optimizer.
  double full_softmax_step(const at::Tensor& states, const at::Tensor& target);
  double sampled_softmax_step(const at::Tensor& states, const at::Tensor& target);
  // The input index of an event type: type + 1 (0 is padding), an unknown type counted as the
  // most common one; 0 when types are not an input.
  std::int64_t type_input(EventTypeIdx type) const;

  std::uint32_t num_items_ = 0;
  std::uint32_t num_types_ = 0;             // event types seen in training (0 when not an input)
  std::uint32_t common_type_ = 0;           // the most frequent, for queries that carry no types
  std::vector<std::uint64_t> user_ptr_{0};  // per training user: their newest events
  std::vector<ItemIdx> user_items_;
  std::vector<EventTypeIdx> user_types_;
  std::vector<float> item_vectors_;  // num_items x hidden, the output table as scored (for ItemEmbeddings)
  std::unique_ptr<Network> net_;
};

}  // namespace aisle

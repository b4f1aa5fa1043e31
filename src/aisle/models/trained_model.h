// A fitted model with everything needed to answer requests: the id maps of the training data,
// each user's training history (to exclude seen items and to score known users), and the item
// facts (categories, availability, names) that filters and output use. What a model file holds.
//
// An immutable snapshot: nothing changes it after construction, and every const method may be
// called from many threads at once (tested under ThreadSanitizer), so a server can answer from
// one snapshot while it builds the next.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aisle/data/id_map.h"
#include "aisle/models/ranker.h"

namespace aisle {

// Where a model came from (model format 3; empty in older files).
struct Provenance {
  Timestamp trained_at = 0;  // unix seconds; 0: unknown
  // Every event committed to the source (store or files) before this time is in the training
  // data (unix seconds; format 4; older files: trained_at). The server replays into its live
  // history the feedback stored since then, which the model has not learnt.
  Timestamp data_as_of = 0;
  std::string data_fingerprint;  // hex digest of the training pairs (users, items, weights); same data, same digest
  std::string aisle_version;     // of the build that fitted it
};

class TrainedModel final : public Ranker {
 public:
  TrainedModel() = default;
  TrainedModel(std::unique_ptr<Recommender> model, IdMap users, IdMap items, History history, ItemFacts facts,
               Provenance provenance = {});

  const Recommender& model() const override { return *model_; }
  const History& history() const override { return history_; }
  const ItemFacts& facts() const override { return facts_; }
  const IdMap& users() const { return users_; }
  const IdMap& items() const { return items_; }
  const Provenance& provenance() const { return provenance_; }
  // "kind:params" ("kind" when it has no parameters): what create_model takes to fit it again.
  std::string spec() const;
  // Training users with a positive weight on the item (what popular() ranks by).
  float training_users(ItemIdx item) const { return item_users_[item]; }

  // Items like `item` by the model's own similarity (SimilarItems capability; a pipeline's first
  // member that has it); the item itself and the filter's exclusions are left out. Throws
  // ConfigError when the model cannot do it.
  std::vector<Scored> similar(ItemIdx item, const Filter& filter, std::size_t k) const;

  // The cold-start answer for someone the model knows nothing about: items by the number of
  // training users who had them, best first, with the filter applied (exclude_seen has no
  // history to act on).
  std::vector<Scored> popular(const Filter& filter, std::size_t k) const;
  // Items by recent popularity: each training user's pair counts 2^(-age / half_life), age
  // measured from the newest training time (reference_time); the filter applies as in popular().
  std::vector<Scored> trending(const Filter& filter, std::size_t k, float half_life_days = 7) const;

 private:
  std::unique_ptr<Recommender> model_;
  IdMap users_, items_;
  History history_;
  ItemFacts facts_;
  Provenance provenance_;
  std::vector<float> item_users_;  // per item: training users with a positive weight
};

// A digest of the pairs' users, items and weights (hex), for Provenance::data_fingerprint.
std::string fingerprint_pairs(const Interactions& pairs);

// Fits the model of `spec` ("als:factors=64") on pairs whose indices come from users/items.
// The result's provenance says when, on what data and by which aisle version; `data_as_of` is
// when the data was read (0: now, when the fit starts). `sequences`: TrainSet::sequences.
// Throws FitError when the fitted model does not score every item with a finite number.
TrainedModel train_model(std::string_view spec, const Interactions& pairs, const Catalog& catalog, IdMap users,
                         IdMap items, const FitContext& context, Timestamp data_as_of = 0,
                         const Sequences* sequences = nullptr);

// The same fit across the ranks of context.communicator from each rank's share of the pairs
// (data/pair_parts.h); every rank calls it. The model must have the PartsFit capability (else
// ConfigError). `all_pairs` (the aggregated pairs of every user, indexed by users/items) is given
// on rank 0 alone, for what a model file holds besides the model (history, fingerprint): rank 0
// gets the TrainedModel, equal to train_model's on all_pairs; the other ranks get nullopt.
std::optional<TrainedModel> train_model_parts(std::string_view spec, const PairParts& parts,
                                              const Interactions* all_pairs, const Catalog& catalog, IdMap users,
                                              IdMap items, const FitContext& context, Timestamp data_as_of = 0);

}  // namespace aisle

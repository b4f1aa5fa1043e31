// A fitted model with everything needed to answer requests: the id maps of the training data,
// each user's training history (to exclude seen items and to score known users), and the item
// facts (categories, availability) that filters use. This is the one fast batch path the CLI,
// the evaluator and the server share, and what a model file holds.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aisle/data/id_map.h"
#include "aisle/models/recommender.h"

namespace aisle {

// Training pairs with a positive weight, by user (CSR), items ascending within a user.
struct History {
  std::vector<std::uint64_t> row_ptr{0};
  std::vector<ItemIdx> item;
  std::vector<float> weight;
  std::vector<Timestamp> last_time;

  static History from_pairs(const Interactions& pairs);
  std::uint32_t num_users() const { return static_cast<std::uint32_t>(row_ptr.size() - 1); }
  std::span<const ItemIdx> items_of(UserIdx u) const {
    return {item.data() + row_ptr[u], item.data() + row_ptr[u + 1]};
  }
  void save(BinaryWriter& out) const;
  void load(BinaryReader& in, std::uint32_t num_items);
};

// A request: a known user, an anonymous history (items with optional times, newest last), or
// both (the history is added to the user's training history).
struct Query {
  UserIdx user = kNoIndex;
  std::vector<ItemIdx> items;
  std::vector<Timestamp> times;  // empty, or one per item
};

// Applied while selecting the top k, so k items come back whenever k items are eligible.
struct Filter {
  bool exclude_seen = true;                          // the query's history (training + given)
  std::vector<ItemIdx> exclude;                      // never these
  std::optional<std::vector<ItemIdx>> include_only;  // only these (when set)
  std::vector<CategoryIdx> categories;               // only items in one of these or below them
  bool available_only = false;                       // drop items the catalog marks unavailable
};

class TrainedModel {
 public:
  TrainedModel() = default;
  TrainedModel(std::unique_ptr<Recommender> model, IdMap users, IdMap items, History history, ItemFacts facts);

  const Recommender& model() const { return *model_; }
  const IdMap& users() const { return users_; }
  const IdMap& items() const { return items_; }
  const History& history() const { return history_; }
  const ItemFacts& facts() const { return facts_; }
  std::uint32_t num_items() const { return items_.size(); }

  // Top k per query, best first; exactly min(k, eligible items) results. Queries are scored in
  // blocks on `threads` threads; the output does not depend on the thread count.
  std::vector<std::vector<Scored>> recommend(std::span<const Query> queries, const Filter& filter, std::size_t k,
                                             int threads) const;

  // Items like `item` by the model's own similarity (SimilarItems capability); the item itself
  // and the filter's exclusions are left out. Throws ConfigError when the model cannot do it.
  std::vector<Scored> similar(ItemIdx item, const Filter& filter, std::size_t k) const;

  // The cold-start answer for someone the model knows nothing about: items by the number of
  // training users who had them, best first, with the filter applied (exclude_seen has no
  // history to act on).
  std::vector<Scored> popular(const Filter& filter, std::size_t k) const;

  // Scores of the given candidates for one query (any model), in the candidates' order.
  std::vector<float> score_candidates(const Query& query, std::span<const ItemIdx> candidates) const;

 private:
  std::unique_ptr<Recommender> model_;
  IdMap users_, items_;
  History history_;
  ItemFacts facts_;
  std::vector<float> item_users_;  // per item: training users with a positive weight
};

// TrainedModel::recommend for a model with its history and facts held elsewhere (a model in the
// middle of its fit, at a checkpoint).
std::vector<std::vector<Scored>> recommend_with(const Recommender& model, const History& history,
                                                const ItemFacts& facts, std::span<const Query> queries,
                                                const Filter& filter, std::size_t k, int threads);

// Fits the model of `spec` ("als:factors=64") on pairs whose indices come from users/items.
TrainedModel train_model(std::string_view spec, const Interactions& pairs, const Catalog& catalog, IdMap users,
                         IdMap items, const FitContext& context);

}  // namespace aisle

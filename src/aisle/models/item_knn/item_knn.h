// item_knn: item-item collaborative filtering. Similarity is the asymmetric cosine of two items'
// user columns with shrinkage (Aiolli, RecSys 2013), dot(i, j) / (|i|^(2 alpha) |j|^(2 (1 - alpha))
// + shrink), over the weighting's values: alpha = 0.5 is the cosine; alpha = 1 on binary values is
// the share of i's users who also have j (association-rule confidence), which keeps j's popularity
// in the score. Each item keeps its `neighbors` most similar items. A query's score for item j is the sum over its
// history items h of log(1 + weight_h) * sim(h, j); items no neighbour list reaches are ordered
// by popularity below every reached item.
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct ItemKnnParams {
  int neighbors = 100;
  float shrink = 0;
  float alpha = 0.5f;
  std::string weighting = "none";
  static const ParamSchema<ItemKnnParams>& schema();
};

class ItemKnn final : public ParameterizedModel<ItemKnnParams>, public SimilarItems, public Explainer {
 public:
  using ParameterizedModel::ParameterizedModel;
  std::string_view kind() const override { return "item_knn"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void similar_scores(ItemIdx item, std::span<float> scores) const override;
  // History item h contributes log(1 + weight_h) x sim(h, item) when `item` is among h's neighbours.
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return static_cast<std::uint32_t>(prior_.size()); }

  // Neighbours of an item, most similar first.
  std::span<const Scored> neighbors_of(ItemIdx i) const {
    return {neighbors_.data() + ptr_[i], neighbors_.data() + ptr_[i + 1]};
  }

 private:
  std::vector<std::uint64_t> ptr_{0};
  std::vector<Scored> neighbors_;
  std::vector<float> prior_;  // popularity tie-breaker, far below any similarity
};

}  // namespace aisle

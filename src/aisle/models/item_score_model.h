// The base of models that give every query the same item scores (popularity, trending): the
// scores are computed by fit and are the whole payload. Also the popularity prior other models
// use to order items their own scores leave tied.
#pragma once

#include <algorithm>
#include <vector>

#include "aisle/models/recommender.h"

namespace aisle {

template <class P>
class ItemScoreModel : public ParameterizedModel<P> {
 public:
  using ParameterizedModel<P>::ParameterizedModel;

  void score_one(const UserQuery&, std::span<float> scores) const override {
    std::copy(item_scores_.begin(), item_scores_.end(), scores.begin());
  }
  void save(BinaryWriter& out) const override { out.put_vector(item_scores_); }
  void load(BinaryReader& in) override { item_scores_ = in.get_vector<float>("item scores"); }
  std::uint32_t num_items() const override { return static_cast<std::uint32_t>(item_scores_.size()); }
  std::span<const float> item_scores() const { return item_scores_; }

 protected:
  std::vector<float> item_scores_;
};

// Per item: the number of training users with a positive weight, scaled into [0, scale]; a
// tie-breaker that orders otherwise equal items by popularity.
std::vector<float> popularity_prior(const Interactions& pairs, float scale);

}  // namespace aisle

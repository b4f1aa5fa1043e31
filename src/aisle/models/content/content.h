// content: content-based ranking from the catalog. Each item is a sparse tf-idf vector over
// features: every category on its category paths, its brand, its price band (the decile of
// its price among priced items) and the word tokens of its name and of a `description`
// attribute; each group is scaled by its weight and the vector is L2-normalized. A query's
// profile is the sum of its history items' vectors times log(1 + weight); items score by
// cosine with the profile. Items without interactions are scored like any other, which is
// what this model is for; items without any feature are ordered by popularity below the rest.
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct ContentParams {
  float category_weight = 1.0f;
  float brand_weight = 1.0f;
  float price_weight = 0.5f;
  float text_weight = 1.0f;
  static const ParamSchema<ContentParams>& schema();
};

class Content final : public ParameterizedModel<ContentParams>, public SimilarItems {
 public:
  using ParameterizedModel::ParameterizedModel;
  std::string_view kind() const override { return "content"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void similar_scores(ItemIdx item, std::span<float> scores) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return static_cast<std::uint32_t>(prior_.size()); }

 private:
  struct Weighted {
    std::uint32_t feature;
    float value;
  };
  void build_postings();
  // scores[j] += scale * cosine(vector, item j) for every item sharing a feature.
  void accumulate(std::span<const Weighted> vector, float scale, std::span<float> scores) const;

  std::uint32_t num_features_ = 0;
  std::vector<std::uint64_t> ptr_{0};  // item i's features
  std::vector<Weighted> features_;
  std::vector<float> prior_;
  std::vector<std::uint64_t> post_ptr_;  // feature f's items (rebuilt at load)
  std::vector<std::pair<ItemIdx, float>> postings_;
};

}  // namespace aisle

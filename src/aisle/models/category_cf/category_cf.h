// category_cf: category-level collaborative filtering for catalogs with a category tree. A
// query's affinity to a category is the sum of log(1 + weight) over history items in it; each
// ancestor receives the affinity times `ancestor_weight` per level. Within a category items are
// ranked by training popularity (the category's subtree). An item scores
//   max over its categories c of affinity(c) / rank_c(item),
// the D'Hondt rule: the top k then mixes categories in proportion to the user's affinity
// (a category with twice the affinity gets about twice the slots). Items outside every
// category with affinity are ordered by popularity below them.
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct CategoryCfParams {
  float ancestor_weight = 0.5f;
  static const ParamSchema<CategoryCfParams>& schema();
};

class CategoryCf final : public ParameterizedModel<CategoryCfParams> {
 public:
  using ParameterizedModel::ParameterizedModel;
  std::string_view kind() const override { return "category_cf"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return static_cast<std::uint32_t>(prior_.size()); }

 private:
  struct Membership {
    CategoryIdx category;
    std::uint32_t level;  // 0: one of the item's own categories; 1: a parent of one; ...
    std::uint32_t rank;   // 1-based rank of the item by popularity within the category's subtree
  };
  std::uint32_t num_categories_ = 0;
  std::vector<std::uint64_t> ptr_{0};  // memberships of item i
  std::vector<Membership> member_;
  std::vector<float> prior_;
};

}  // namespace aisle

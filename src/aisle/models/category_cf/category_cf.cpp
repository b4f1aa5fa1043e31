#include "aisle/models/category_cf/category_cf.h"

#include <algorithm>
#include <cmath>

#include "aisle/models/item_score_model.h"

namespace aisle {

const ParamSchema<CategoryCfParams>& CategoryCfParams::schema() {
  static const ParamSchema<CategoryCfParams> kSchema(
      "category_cf",
      {
          {"ancestor_weight",
           &CategoryCfParams::ancestor_weight,
           0,
           1,
           false,
           {},
           "share of a category's affinity its parent receives (per level)"},
      },
      {{"ancestor_weight", 0, 1}});
  return kSchema;
}

namespace {
constexpr float kPriorScale = 1e-6f;
}  // namespace

void CategoryCf::fit(const TrainSet& data, const FitContext&) {
  const ItemFacts& facts = data.facts;
  const std::uint32_t n = data.pairs.num_items;
  num_categories_ = static_cast<std::uint32_t>(facts.parent.size());
  prior_ = popularity_prior(data.pairs, kPriorScale);
  std::vector<float> popularity(n, 0.0f);
  for (std::size_t p = 0; p < data.pairs.num_pairs(); ++p) {
    if (data.pairs.weight[p] > 0.0f) popularity[data.pairs.item[p]] += data.pairs.weight[p];
  }
  // Each item's (category, level) memberships: its categories and their ancestors, nearest level.
  std::vector<std::vector<Membership>> per_item(n);
  std::vector<std::vector<ItemIdx>> members(num_categories_);
  for (ItemIdx i = 0; i < n; ++i) {
    for (CategoryIdx c : facts.categories_of(i)) {
      const std::vector<CategoryIdx> path = facts.ancestors(c);
      for (std::uint32_t level = 0; level < path.size(); ++level) {
        auto& list = per_item[i];
        auto it =
            std::find_if(list.begin(), list.end(), [&](const Membership& m) { return m.category == path[level]; });
        if (it == list.end()) {
          list.push_back({path[level], level, 0});
          members[path[level]].push_back(i);
        } else {
          it->level = std::min(it->level, level);
        }
      }
    }
  }
  // Ranks within each category by popularity, ties by item index.
  for (CategoryIdx c = 0; c < num_categories_; ++c) {
    auto& list = members[c];
    std::stable_sort(list.begin(), list.end(), [&](ItemIdx a, ItemIdx b) { return popularity[a] > popularity[b]; });
    for (std::uint32_t r = 0; r < list.size(); ++r) {
      for (Membership& m : per_item[list[r]]) {
        if (m.category == c) m.rank = r + 1;
      }
    }
  }
  ptr_.assign(1, 0);
  member_.clear();
  for (ItemIdx i = 0; i < n; ++i) {
    member_.insert(member_.end(), per_item[i].begin(), per_item[i].end());
    ptr_.push_back(member_.size());
  }
}

void CategoryCf::score_one(const UserQuery& query, std::span<float> scores) const {
  std::vector<float> affinity(num_categories_, 0.0f);
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = std::log1p(std::max(query.weights[h], 0.0f));
    const ItemIdx i = query.items[h];
    for (std::uint64_t k = ptr_[i]; k < ptr_[i + 1]; ++k) {
      affinity[member_[k].category] += w * std::pow(params_.ancestor_weight, static_cast<float>(member_[k].level));
    }
  }
  for (ItemIdx i = 0; i < prior_.size(); ++i) {
    float best = 0.0f;
    for (std::uint64_t k = ptr_[i]; k < ptr_[i + 1]; ++k) {
      best = std::max(best, affinity[member_[k].category] / static_cast<float>(member_[k].rank));
    }
    scores[i] = best + prior_[i];
  }
}

void CategoryCf::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(num_categories_);
  out.put_vector(ptr_);
  out.put_vector(member_);
  out.put_vector(prior_);
}

void CategoryCf::load(BinaryReader& in) {
  num_categories_ = in.get<std::uint32_t>("category count");
  ptr_ = in.get_vector<std::uint64_t>("memberships");
  member_ = in.get_vector<Membership>("memberships");
  prior_ = in.get_vector<float>("popularity prior");
  in.check_offsets(ptr_, prior_.size(), member_.size(), "memberships");
  for (const Membership& m : member_) {
    if (m.category >= num_categories_ || m.rank == 0) in.fail("memberships", "category out of range");
  }
}

}  // namespace aisle

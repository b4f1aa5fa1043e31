// blend: a weighted sum of its members' scores, each member's row normalized per query first.
// Spec: "blend:normalize=min-max(0.6*als; 0.4*popularity)"; a member without a weight weighs 1.
// Normalizations, over every item of the query's row:
//   none     the member's scores as they are;
//   min-max  (s - min) / (max - min), 0 for a constant row;
//   z-score  (s - mean) / standard deviation, 0 for a constant row;
//   rank     1 - r / n, r the item's 0-based position best first (tied items share the best r).
// Members are fitted one after the other on the same data and saved in the blend's model file.
#pragma once

#include <string>
#include <vector>

#include "aisle/models/pipeline/pipeline.h"

namespace aisle {

struct BlendParams {
  std::string normalize = "min-max";  // none | min-max | z-score | rank
  static const ParamSchema<BlendParams>& schema();
};

class Blend final : public PipelineModel<BlendParams>, public Explainer {
 public:
  // Throws ConfigError for no members or a member whose role is not a weight ("0.6*").
  Blend(BlendParams params, std::vector<PipelineMember> members);
  std::string_view kind() const override { return "blend"; }

  void score(std::span<const UserQuery> queries, std::span<float> scores) const override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;

  std::span<const float> weights() const { return weights_; }

 private:
  std::vector<float> weights_;  // per member
};

// The normalization of one row of scores in place ("none", "min-max", "z-score", "rank").
void normalize_scores(std::string_view how, std::span<float> row);

}  // namespace aisle

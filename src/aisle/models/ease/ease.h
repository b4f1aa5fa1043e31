// ease: Embarrassingly Shallow Autoencoder (Steck 2019). B = I - P diag(1/diag(P)) with
// P = (X^T X + regularization I)^-1 over binary (or transformed) user-item data; a user's
// scores are the sum of B's rows over the history. A dense items x items solve: refused above
// `max_items` (default 20,000 items: the solve is in double, 12 n^2 bytes = 4.8 GB, ~n^3/3 flops).
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct EaseParams {
  // Defaults chosen on validation splits of three data sets (docs/RESULTS.md,
  // scripts/choose-default.sh): the best worst case of a grid.
  float regularization = 500.0f;
  std::string transform = "binary";
  int max_items = 20000;
  float recency = 2.0f;  // half-life in baskets of the history's recency weights; 0: off
  static const ParamSchema<EaseParams>& schema();
};

class Ease final : public ParameterizedModel<EaseParams>, public SimilarItems, public Explainer {
 public:
  using ParameterizedModel::ParameterizedModel;
  std::string_view kind() const override { return "ease"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void similar_scores(ItemIdx item, std::span<float> scores) const override;
  // History item j contributes weight_j x B[j][item], the term score_one adds for it.
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return n_; }

 private:
  std::uint32_t n_ = 0;
  std::vector<float> b_;  // n x n, row-major, zero diagonal
};

}  // namespace aisle

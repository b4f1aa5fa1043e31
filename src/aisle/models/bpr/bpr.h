// bpr: Bayesian personalized ranking (Rendle et al. 2009) by stochastic gradient descent. Each
// epoch makes one (user, positive, negative) update per training pair, users in a shuffled order,
// each user's pairs one after another, a negative item drawn uniformly among the items the user
// has not interacted with (a user who has seen every item has none, and no updates). Items carry a
// bias (the last factor column; the user's is fixed at 1). With several threads each owns a range
// of users and the item updates are lock-free (Hogwild), so only threads = 1 is bit-reproducible.
#pragma once

#include "aisle/models/factor_model.h"
#include "aisle/models/params.h"

namespace aisle {

struct BprParams {
  int factors = 64;
  float learning_rate = 0.05f;
  float regularization = 0.002f;
  int epochs = 100;
  static const ParamSchema<BprParams>& schema();
};

class Bpr final : public FactorModel<BprParams> {
 public:
  explicit Bpr(BprParams p);
  std::string_view kind() const override { return "bpr"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  // SGD on the user vector alone against the fixed item factors, seeded by the history.
  std::vector<float> fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const override;
};

}  // namespace aisle

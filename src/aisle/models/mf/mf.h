// mf: explicit matrix factorization with biases, rating ~ mean + b_u + b_i + x_u . y_i, fitted by
// SGD or Adam on squared error over the pairs' aggregated weights (ratings, or quantities when
// the weights are quantities), in a seeded shuffled order each epoch (single-threaded, so the
// same seed gives the same factors). Logs the training RMSE per epoch and the RMSE on held-out
// pairs: the context's validation pairs, else a seeded `holdout` fraction of the training pairs
// kept out of the fit. Every epoch is checked: a fit whose error is no longer finite stops with a
// FitError that says what to change. Heavy-tailed counts (play counts in the hundreds of
// thousands) are fitted as log(1 + w) by default; predicted ratings are mapped back.
#pragma once

#include <cmath>

#include "aisle/models/factor_model.h"
#include "aisle/models/params.h"

namespace aisle {

struct MfParams {
  int factors = 32;
  float learning_rate = 0.01f;
  float regularization = 0.05f;
  int epochs = 20;
  std::string optimizer = "sgd";
  float holdout = 0.05f;
  // What the model fits: the raw weights (ratings), log(1 + w) (counts, quantities), or auto:
  // log1p when some training weight exceeds 100, else raw. Fit resolves auto, so a fitted
  // model's params() (and its model file) name the target it was fitted on.
  std::string target = "auto";
  static const ParamSchema<MfParams>& schema();
};

class Mf final : public FactorModel<MfParams>, public RatingPredictor {
 public:
  explicit Mf(MfParams p);
  std::string_view kind() const override { return "mf"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  // Ridge solve of the user's factors and bias against the fixed items, on the history's weights.
  std::vector<float> fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  // The score of (user, item): the predicted target (a rating, or log(1 + w)).
  float predict(UserIdx u, ItemIdx i) const;
  float rating(float score) const override { return log_target_ ? std::expm1(score) : score; }

 private:
  float target(float weight) const { return log_target_ ? std::log1p(weight) : weight; }
  float mean_ = 0;
  bool log_target_ = false;  // params_.target == "log1p"; set by fit and by the constructor
};

}  // namespace aisle

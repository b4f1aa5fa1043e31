// als: implicit-feedback matrix factorization (Hu, Koren, Volinsky 2008), solved by alternating
// least squares with the conjugate-gradient step of Takacs et al. (2011). Preference is 1 for
// every training pair with a positive weight; confidence is 1 + alpha * transform(weight).
// Each half-iteration solves every item, then every user (so user vectors are consistent with
// the final item vectors), each from its previous value, in `cg_steps` CG steps. Solves are
// independent, so the factors do not depend on the thread count.
#pragma once

#include "aisle/models/factor_model.h"
#include "aisle/models/params.h"

namespace aisle {

struct AlsParams {
  int factors = 64;
  float regularization = 0.05f;
  float alpha = 2.0f;
  int iterations = 15;
  int cg_steps = 3;
  std::string transform = "log1p";
  static const ParamSchema<AlsParams>& schema();
};

class Als final : public FactorModel<AlsParams>, public PartsFit {
 public:
  explicit Als(AlsParams p);
  std::string_view kind() const override { return "als"; }
  void fit(const TrainSet& data, const FitContext& context) override;
  // Each rank solves the rows it owns from its share of the pairs alone; factors are all-gathered
  // after each half-step, so every rank ends with every factor, equal to fit()'s.
  void fit_parts(const PairParts& parts, const FitContext& context) override;
  // Exact solve of the user's least-squares problem against the fixed item factors.
  std::vector<float> fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const override;
  void load(BinaryReader& in) override;

 private:
  struct Side;
  // The iterations, from this rank's rows of each side (als.cpp: Side).
  void fit_sides(const Side& users, const Side& items, std::size_t num_users, std::size_t num_items,
                 dist::Communicator& comm, const FitContext& context);

  std::vector<float> item_gram_;  // YtY + regularization * I of the final item factors
};

}  // namespace aisle

// A ranking metric ("ndcg@10") on a validation split carved from the training data, for the
// choices made while fitting: tuning trials (tuner.h) and early stopping (early_stop.h). It
// holds what scoring needs: the evaluator over the validation users and the fit part's history
// and item facts, which are also what the model is fitted on.
#pragma once

#include <string>

#include "aisle/data/catalog.h"
#include "aisle/data/interactions.h"
#include "aisle/eval/evaluator.h"

namespace aisle {

class ValidationScore {
 public:
  // `fit` and `validation` share indices (split_pairs of the training pairs); `fit` and
  // `catalog` must outlive this. Throws ConfigError for a metric the evaluator does not compute
  // ("name@k" with a per-user metric name) and InputError when the validation split holds no
  // user to evaluate.
  ValidationScore(const Interactions& fit, const Interactions& validation, const Catalog& catalog,
                  const std::string& metric, const RunContext& run);

  // The metric's mean over the validation users for a model fitted on train_set().
  double operator()(const Recommender& model) const;
  TrainSet train_set() const { return {fit_, facts_, catalog_}; }

 private:
  const Interactions& fit_;
  const Catalog& catalog_;
  Evaluator evaluator_;
  std::size_t metric_ = 0;
  History history_;
  ItemFacts facts_;
};

}  // namespace aisle

// Early stopping for iterative models (als, bpr, mf): the number of steps is chosen on a
// validation split carved from the training pairs, never on a test split. The model is fitted
// on the rest with a checkpoint after every step; the fit stops once `patience` steps in a row
// have not beaten the best validation value so far. The caller then refits on all training
// pairs with the best step count (spec_with(spec, step_param, best_step)).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "aisle/data/catalog.h"
#include "aisle/data/interactions.h"
#include "aisle/eval/evaluator.h"

namespace aisle {

struct EarlyStop {
  int best_step = 0;
  double best_value = 0;
  std::vector<std::pair<int, double>> curve;  // (step, validation metric), every step run
};

// `fit` and `validation` share indices (split_pairs of the training pairs). Throws ConfigError
// for a model without steps or a metric the evaluator does not compute.
// `on_step`, when set, hears each (step, value) as it is measured (a live curve for long fits).
EarlyStop find_best_step(const std::string& spec, const Interactions& fit, const Interactions& validation,
                         const Catalog& catalog, const std::string& metric, int patience, const RunContext& run,
                         const std::function<void(int step, double value)>& on_step = {});

}  // namespace aisle

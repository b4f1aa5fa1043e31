#include "aisle/eval/early_stop.h"

#include "aisle/core/error.h"
#include "aisle/eval/validation.h"
#include "aisle/models/registry.h"

namespace aisle {

EarlyStop find_best_step(const std::string& spec, const Interactions& fit, const Interactions& validation,
                         const Catalog& catalog, const std::string& metric, int patience, const RunContext& run,
                         const std::function<void(int step, double value)>& on_step) {
  std::unique_ptr<Recommender> model = create_model(spec);
  if (find_model(model->kind()).step_param.empty()) {
    std::string iterative;
    for (const ModelInfo& m : model_table()) {
      if (!m.step_param.empty()) iterative += (iterative.empty() ? "" : ", ") + std::string(m.name);
    }
    throw ConfigError("model '" + std::string(model->kind()) +
                      "' has no steps to stop early; models that do: " + iterative);
  }
  if (patience < 1) throw ConfigError("--patience must be at least 1");
  const ValidationScore score(fit, validation, catalog, metric, run);

  EarlyStop result;
  int since_best = 0;
  const auto record = [&](int step, const Recommender& m) {
    const double value = score(m);
    result.curve.emplace_back(step, value);
    if (on_step) on_step(step, value);
    if (result.curve.size() == 1 || value > result.best_value) {
      result.best_step = step, result.best_value = value, since_best = 0;
    } else {
      ++since_best;
    }
    return since_best < patience;
  };
  FitContext context;
  context.run = run;
  context.checkpoint = record;
  model->fit(score.train_set(), context);
  // The last step is never a checkpoint: score it unless the fit stopped before it.
  if (since_best < patience) record(result.curve.empty() ? 1 : result.curve.back().first + 1, *model);
  return result;
}

}  // namespace aisle

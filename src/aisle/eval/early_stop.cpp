#include "aisle/eval/early_stop.h"

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/eval/metrics.h"
#include "aisle/models/registry.h"

namespace aisle {

EarlyStop find_best_step(const std::string& spec, const Interactions& fit, const Interactions& validation,
                         const Catalog& catalog, const std::string& metric, int patience, const RunContext& run) {
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
  const auto at = metric.find('@');
  const auto k = at == std::string::npos ? std::nullopt : parse_int(std::string_view(metric).substr(at + 1));
  if (!k || *k < 1)
    throw ConfigError("--early-stop: expected a ranking metric such as ndcg@10, found '" + metric + "'");
  EvalOptions options;
  options.ks = {static_cast<std::size_t>(*k)};
  options.threads = run.threads;
  options.seed = run.seed;
  const Evaluator evaluator(fit, make_test_set(fit, validation), options);
  if (evaluator.test().size() == 0)
    throw InputError("the validation split holds no user: too little data to stop early on");
  UserMetrics names;
  names.names = metrics::per_user_metric_names(options.ks.front());
  const std::size_t index = names.index_of(metric);
  const History history = History::from_pairs(fit);
  const ItemFacts facts = ItemFacts::from_catalog(catalog, fit.num_items);

  EarlyStop result;
  int since_best = 0;
  const auto record = [&](int step, const Recommender& m) {
    const double value = evaluator.evaluate(m, history, facts).per_user.mean(index);
    result.curve.emplace_back(step, value);
    if (result.curve.size() == 1 || value > result.best_value) {
      result.best_step = step, result.best_value = value, since_best = 0;
    } else {
      ++since_best;
    }
    return since_best < patience;
  };
  Checkpoint checkpoint;
  checkpoint.keep_going = record;
  FitContext context;
  context.run = run;
  context.checkpoint = &checkpoint;
  model->fit(TrainSet{fit, facts, catalog}, context);
  // The last step is never a checkpoint: score it unless the fit stopped before it.
  if (since_best < patience) record(result.curve.empty() ? 1 : result.curve.back().first + 1, *model);
  return result;
}

}  // namespace aisle

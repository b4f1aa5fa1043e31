#include "aisle/eval/validation.h"

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/eval/metrics.h"

namespace aisle {

namespace {

EvalOptions options_for(const std::string& metric, const RunContext& run) {
  const auto at = metric.find('@');
  if (at == std::string::npos) {
    throw ConfigError("expected a per-user ranking metric such as ndcg@10 or hr@20, found '" + metric + "'");
  }
  EvalOptions options;
  options.ks = {parse_k(std::string_view(metric).substr(at + 1), "the k of " + metric)};
  options.run = run;
  return options;
}

}  // namespace

ValidationScore::ValidationScore(const Interactions& fit, const Interactions& validation, const Catalog& catalog,
                                 const std::string& metric, const RunContext& run)
    : fit_(fit),
      catalog_(catalog),
      evaluator_(fit, make_test_set(fit, validation), options_for(metric, run)),
      history_(History::from_pairs(fit)),
      facts_(ItemFacts::from_catalog(catalog, fit.num_items)) {
  UserMetrics names;  // the evaluator's metric names at this cut-off, to find the metric among
  names.names = metrics::per_user_metric_names(evaluator_.options().ks.front());
  metric_ = names.index_of(metric);
  if (evaluator_.test().size() == 0) {
    throw InputError("the validation split holds no user to evaluate: too little training data");
  }
}

double ValidationScore::operator()(const Recommender& model) const {
  return evaluator_.evaluate(RankerView(model, history_, facts_)).per_user.mean(metric_);
}

}  // namespace aisle

#include "aisle/eval/report_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "aisle/eval/model_labels.h"

namespace aisle::report_format {

std::vector<std::string> labels_of(const EvaluationReport& r) {
  std::vector<std::string> specs;
  specs.reserve(r.models.size());
  for (const ModelReport& m : r.models) specs.push_back(m.spec);
  return model_labels(specs);
}

std::string baseline_label(const EvaluationReport& r, const std::vector<std::string>& labels) {
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    if (r.models[i].spec == r.baseline) return labels[i];
  }
  return r.baseline;
}

std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string p_text(double p) {
  return p < 0.001 ? "<0.001" : fixed(p, 3);
}

std::string lift_text(double lift) {
  if (std::isinf(lift)) return "+inf";
  return (lift >= 0 ? "+" : "") + fixed(100 * lift, 1) + "%";
}

const stats::PairedComparison* comparison(const ModelReport& m, std::string_view metric) {
  for (const auto& [name, c] : m.vs_baseline) {
    if (name == metric) return &c;
  }
  return nullptr;
}

bool any_rating_model(const EvaluationReport& r) {
  return std::any_of(r.models.begin(), r.models.end(), [](const ModelReport& m) { return m.find("rmse") != nullptr; });
}

std::string interval_text(const MetricValue& v) {
  if (!v.interval) return fixed(v.value, 4);
  return fixed(v.value, 4) + " [" + fixed(v.interval->lo, 4) + ", " + fixed(v.interval->hi, 4) + "]";
}

std::string describe_data(const EvaluationReport& r) {
  const DatasetInfo& d = r.data;
  return std::to_string(d.train_pairs) + " training pairs of " + std::to_string(d.users) + " users and " +
         std::to_string(d.items) + " items (" + std::to_string(d.catalog_items) + " ranked); " +
         std::to_string(d.evaluated_users) + " users evaluated on " + std::to_string(d.test_pairs) + " test pairs, " +
         std::to_string(d.unreachable_pairs) + " of them items never seen in training (misses); " +
         describe(d.left_out);
}

}  // namespace aisle::report_format

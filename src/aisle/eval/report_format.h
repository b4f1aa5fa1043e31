// Text formats the report's renderers share (report.cpp: table, JSON, Markdown; report_html.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aisle/eval/report.h"

namespace aisle::report_format {

// `v` with `digits` decimals; "-" for NaN.
std::string fixed(double v, int digits);
// The models' labels (model_labels.h), in the report's order: what every table and chart names
// a model by; the full spec goes beside it.
std::vector<std::string> labels_of(const EvaluationReport& r);
// The baseline's label, or its spec when no model is the baseline.
std::string baseline_label(const EvaluationReport& r, const std::vector<std::string>& labels);

// "<0.001" or "0.123".
std::string p_text(double p);
// "+12.3%", "-4.0%", "+inf".
std::string lift_text(double lift);
const stats::PairedComparison* comparison(const ModelReport& m, std::string_view metric);
bool any_rating_model(const EvaluationReport& r);
// "0.1234 [0.1000, 0.1400]", or the value alone for a metric without an interval.
std::string interval_text(const MetricValue& v);
// The data line every report starts with: pairs, users, items, evaluated users, misses, and
// the users left out by reason.
std::string describe_data(const EvaluationReport& r);

}  // namespace aisle::report_format

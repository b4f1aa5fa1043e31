#include "aisle/eval/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/eval/model_labels.h"
#include "aisle/eval/report_format.h"

namespace aisle {

namespace {

using report_format::any_rating_model;
using report_format::baseline_label;
using report_format::comparison;
using report_format::describe_data;
using report_format::fixed;
using report_format::interval_text;
using report_format::labels_of;
using report_format::lift_text;
using report_format::p_text;

// The metrics a table row shows at cut-off k: the ones a team reads first.
std::vector<std::string> headline(std::size_t k) {
  const std::string at = "@" + std::to_string(k);
  return {"hr" + at, "recall" + at, "ndcg" + at, "mrr" + at, "coverage" + at};
}

// "label  full spec" per model, the labels padded to one width, each line after `indent`.
std::string legend_lines(const EvaluationReport& r, const std::vector<std::string>& labels, const std::string& indent) {
  std::size_t width = 0;
  for (const std::string& l : labels) width = std::max(width, l.size());
  std::string out;
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    out += indent + labels[i] + std::string(width - labels[i].size() + 2, ' ') + r.models[i].spec + "\n";
  }
  return out;
}

}  // namespace

const MetricValue* ModelReport::find(std::string_view name) const {
  for (const MetricValue& v : metrics) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

ModelReport summarize(std::string spec, double fit_seconds, const Evaluation& evaluation, const Segments& segments,
                      int resamples, std::uint64_t seed) {
  ModelReport m;
  m.spec = std::move(spec);
  m.fit_seconds = fit_seconds;
  m.rank_seconds = evaluation.rank_seconds;
  m.ranked_users = evaluation.per_user.num_users();
  m.per_user = evaluation.per_user;
  const std::vector<stats::Interval> intervals =
      stats::bootstrap(evaluation.per_user.values, evaluation.per_user.names.size(), resamples, 0.95, seed);
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    m.metrics.push_back({evaluation.per_user.names[i], intervals[i].mean, intervals[i]});
  }
  for (const auto& [name, value] : evaluation.totals) m.metrics.push_back({name, value, std::nullopt});
  const std::size_t width = evaluation.per_user.names.size();
  const auto means_by = [&](std::size_t groups, std::span<const std::uint8_t> of_user,
                            std::vector<std::size_t>& counts) {
    std::vector<std::vector<double>> means(groups, std::vector<double>(width, 0.0));
    counts.assign(groups, 0);
    for (std::size_t u = 0; u < of_user.size(); ++u) {
      const std::size_t s = of_user[u];
      ++counts[s];
      for (std::size_t k = 0; k < width; ++k) means[s][k] += evaluation.per_user.at(u, k);
    }
    for (std::size_t s = 0; s < groups; ++s) {
      for (double& v : means[s]) v = counts[s] > 0 ? v / static_cast<double>(counts[s]) : 0.0;
    }
    return means;
  };
  std::vector<std::size_t> counts;
  m.segment_means = means_by(segments.names.size(), segments.of_user, counts);
  if (!evaluation.routes.names.empty()) {
    m.route_names = evaluation.routes.names;
    m.route_means = means_by(m.route_names.size(), evaluation.routes.of_query, m.route_users);
  }
  return m;
}

void compare_with_baseline(EvaluationReport& report, std::size_t baseline, int resamples, std::uint64_t seed) {
  AISLE_CHECK(baseline < report.models.size());
  const ModelReport& base = report.models[baseline];
  report.baseline = base.spec;
  const std::string hr = "hr@" + std::to_string(report.ks.front());
  for (std::size_t i = 0; i < report.models.size(); ++i) {
    ModelReport& m = report.models[i];
    m.vs_baseline.clear();
    m.ab.reset();
    if (i == baseline) continue;
    AISLE_CHECK(m.per_user.names == base.per_user.names && m.per_user.num_users() == base.per_user.num_users());
    for (std::size_t k = 0; k < m.per_user.names.size(); ++k) {
      m.vs_baseline.emplace_back(m.per_user.names[k],
                                 stats::paired_test(base.per_user.column(k), m.per_user.column(k), resamples, seed));
    }
    const std::size_t h = m.per_user.index_of(hr);
    const auto n = static_cast<double>(m.per_user.num_users());
    if (n > 0) m.ab = stats::two_proportion_z(base.per_user.mean(h) * n, n, m.per_user.mean(h) * n, n);
  }
}

std::string to_table(const EvaluationReport& r) {
  const std::vector<std::string> labels = labels_of(r);
  std::string out = "split: " + r.split + "; " + r.ranking + "; seed " + std::to_string(r.seed) + "\n";
  out += describe_data(r) + "\n";
  for (std::size_t k : r.ks) {
    const std::vector<std::string> cols = headline(k);
    char line[512];
    std::snprintf(line, sizeof line, "\n%-*s %8s %10s", static_cast<int>(kMaxLabelWidth), "model", "fit s", "users/s");
    out += line;
    for (const std::string& c : cols) {
      std::snprintf(line, sizeof line, " %12s", c.c_str());
      out += line;
    }
    out += "  ndcg@" + std::to_string(k) + " 95% interval   lift (p)\n";
    for (std::size_t i = 0; i < r.models.size(); ++i) {
      const ModelReport& m = r.models[i];
      std::snprintf(line, sizeof line, "%-*s %8.2f %10.0f", static_cast<int>(kMaxLabelWidth), labels[i].c_str(),
                    m.fit_seconds, m.users_per_second());
      out += line;
      for (const std::string& c : cols) {
        const MetricValue* v = m.find(c);
        std::snprintf(line, sizeof line, " %12s", v != nullptr ? fixed(v->value, 4).c_str() : "-");
        out += line;
      }
      const MetricValue* nd = m.find("ndcg@" + std::to_string(k));
      std::string tail = nd != nullptr && nd->interval
                             ? "  [" + fixed(nd->interval->lo, 4) + ", " + fixed(nd->interval->hi, 4) + "]"
                             : "";
      if (const auto* c = comparison(m, "ndcg@" + std::to_string(k))) {
        tail += "  " + lift_text(c->lift) + " (p " + p_text(c->p_value) + ")";
      } else if (m.spec == r.baseline) {
        tail += "  baseline";
      }
      out += tail + "\n";
    }
  }
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    if (m.route_names.empty()) continue;
    const std::string nd = "ndcg@" + std::to_string(r.ks.front());
    out += "\nroutes of " + labels[i] + " (" + nd + ", users):";
    const std::size_t idx = m.per_user.index_of(nd);
    for (std::size_t s = 0; s < m.route_names.size(); ++s) {
      if (m.route_users[s] == 0) continue;
      out += "  " + m.route_names[s] + " " + fixed(m.route_means[s][idx], 4) + " (" + std::to_string(m.route_users[s]) +
             ")";
    }
    out += "\n";
  }
  if (any_rating_model(r)) {
    out += "\nrating error (models that predict ratings):\n";
    for (std::size_t i = 0; i < r.models.size(); ++i) {
      if (const MetricValue* e = r.models[i].find("rmse")) {
        out += "  " + labels[i] + ": rmse " + fixed(e->value, 4) + ", mae " + fixed(r.models[i].find("mae")->value, 4) +
               "\n";
      }
    }
  }
  return out + "\nmodels (label, full spec):\n" + legend_lines(r, labels, "  ");
}

std::string to_json(const EvaluationReport& r) {
  nlohmann::json j;
  j["split"] = r.split;
  j["ranking"] = r.ranking;
  j["ks"] = r.ks;
  j["seed"] = r.seed;
  j["threads"] = r.threads;
  j["bootstrap_resamples"] = r.bootstrap_resamples;
  j["command"] = r.command;
  j["baseline"] = r.baseline;
  nlohmann::json data;
  data["source"] = r.data.source;
  for (const auto& [file, hash] : r.data.file_sha256) data["sha256"][file] = hash;
  data["rows"] = r.data.rows;
  data["users"] = r.data.users;
  data["items"] = r.data.items;
  data["ranked_items"] = r.data.catalog_items;
  data["train_pairs"] = r.data.train_pairs;
  data["evaluated_users"] = r.data.evaluated_users;
  data["test_pairs"] = r.data.test_pairs;
  data["test_items_not_in_training"] = r.data.unreachable_pairs;
  data["test_users_not_in_training"] = r.data.left_out[LeftOutReason::kNoTrainingPairs];
  for (std::size_t reason = 0; reason < kLeftOutReasons; ++reason) {
    data["users_not_evaluated"][left_out_key(static_cast<LeftOutReason>(reason))] = r.data.left_out.users[reason];
  }
  j["dataset"] = data;
  j["segments"] = nlohmann::json::array();
  for (std::size_t s = 0; s < r.segment_names.size(); ++s) {
    j["segments"].push_back({{"name", r.segment_names[s]}, {"users", r.segment_users[s]}});
  }
  j["models"] = nlohmann::json::array();
  const std::vector<std::string> labels = labels_of(r);
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    nlohmann::json jm;
    jm["spec"] = m.spec;
    jm["label"] = labels[i];
    jm["fit_seconds"] = m.fit_seconds;
    jm["rank_seconds"] = m.rank_seconds;
    jm["users_per_second"] = m.users_per_second();
    for (const MetricValue& v : m.metrics) {
      nlohmann::json jv;
      jv["value"] = std::isnan(v.value) ? nlohmann::json(nullptr) : nlohmann::json(v.value);
      if (v.interval) jv["ci95"] = {v.interval->lo, v.interval->hi};
      jm["metrics"][v.name] = jv;
    }
    for (const auto& [name, c] : m.vs_baseline) {
      jm["vs_baseline"][name] = {{"difference", c.difference},
                                 {"lift", std::isinf(c.lift) ? nlohmann::json(nullptr) : nlohmann::json(c.lift)},
                                 {"p_value", c.p_value}};
    }
    if (m.ab) {
      jm["ab"] = {{"metric", "hr@" + std::to_string(r.ks.front())},
                  {"rate_baseline", m.ab->rate_a},
                  {"rate", m.ab->rate_b},
                  {"lift", m.ab->lift},
                  {"z", m.ab->z},
                  {"p_value", m.ab->p_value},
                  {"extra_hits_per_10k_users", m.ab->extra_per_10k}};
    }
    for (std::size_t s = 0; s < m.segment_means.size(); ++s) {
      for (std::size_t k = 0; k < m.per_user.names.size(); ++k) {
        jm["segments"][r.segment_names[s]][m.per_user.names[k]] = m.segment_means[s][k];
      }
    }
    for (std::size_t s = 0; s < m.route_names.size(); ++s) {
      jm["routes"][m.route_names[s]]["users"] = m.route_users[s];
      for (std::size_t k = 0; k < m.per_user.names.size(); ++k) {
        jm["routes"][m.route_names[s]][m.per_user.names[k]] = m.route_means[s][k];
      }
    }
    j["models"].push_back(jm);
  }
  return json_text(j, 2) + "\n";
}

std::string to_markdown(const EvaluationReport& r) {
  const std::vector<std::string> labels = labels_of(r);
  std::string md = "# Evaluation\n\n";
  md += "- Split: " + r.split + "\n- Ranking: " + r.ranking + "\n- Data: " + r.data.source + "; " + describe_data(r) +
        "\n- Seed " + std::to_string(r.seed) + ", " + std::to_string(r.threads) + " threads, " +
        std::to_string(r.bootstrap_resamples) + " bootstrap resamples (95% intervals over users)\n";
  md += "- Command: `" + r.command + "`\n";
  md += "- Baseline: `" + baseline_label(r, labels) +
        "`; lift and p-value: paired sign-flip permutation test on per-user values\n";
  for (std::size_t k : r.ks) {
    const std::string at = "@" + std::to_string(k);
    md += "\n## K = " + std::to_string(k) + "\n\n";
    md +=
        "| model | fit s | users/s | HR | Precision | Recall | NDCG | MRR | MAP | F1 | coverage | popularity | NDCG "
        "lift (p) |\n";
    md += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < r.models.size(); ++i) {
      const ModelReport& m = r.models[i];
      md += "| `" + labels[i] + "` | " + fixed(m.fit_seconds, 2) + " | " + fixed(m.users_per_second(), 0);
      for (const char* name : {"hr", "precision", "recall", "ndcg", "mrr", "map", "f1", "coverage", "popularity"}) {
        const MetricValue* v = m.find(name + at);
        md += " | " + (v != nullptr ? interval_text(*v) : std::string("-"));
      }
      const auto* c = comparison(m, "ndcg" + at);
      md += " | " + (c != nullptr ? lift_text(c->lift) + " (" + p_text(c->p_value) + ")" : std::string("baseline")) +
            " |\n";
    }
  }
  const std::string hr = "hr@" + std::to_string(r.ks.front());
  md += "\n## A/B view (" + hr + " as a conversion rate, two-proportion z-test against the baseline)\n\n";
  md +=
      "| model | " + hr + " | baseline | lift | z | p | extra hits per 10,000 users |\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    if (!m.ab) continue;
    md += "| `" + labels[i] + "` | " + fixed(m.ab->rate_b, 4) + " | " + fixed(m.ab->rate_a, 4) + " | " +
          lift_text(m.ab->lift) + " | " + fixed(m.ab->z, 2) + " | " + p_text(m.ab->p_value) + " | " +
          fixed(m.ab->extra_per_10k, 0) + " |\n";
  }
  const std::string nd = "ndcg@" + std::to_string(r.ks.front());
  md += "\n## Segments (" + nd + " by the user's number of training interactions)\n\n| model |";
  std::string rule = "|---|";
  for (std::size_t s = 0; s < r.segment_names.size(); ++s) {
    md += " " + r.segment_names[s] + " (" + std::to_string(r.segment_users[s]) + " users) |";
    rule += "---|";
  }
  md += "\n" + rule + "\n";
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    md += "| `" + labels[i] + "` |";
    const std::size_t idx = m.per_user.index_of(nd);
    for (const auto& s : m.segment_means) md += " " + fixed(s[idx], 4) + " |";
    md += "\n";
  }
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    if (m.route_names.empty()) continue;
    md += "\n## Routes of `" + labels[i] + "` (" + nd + " by the segment each user's query took)\n\n";
    md += "| segment | users | " + nd + " |\n|---|---|---|\n";
    const std::size_t idx = m.per_user.index_of(nd);
    for (std::size_t s = 0; s < m.route_names.size(); ++s) {
      md += "| " + m.route_names[s] + " | " + std::to_string(m.route_users[s]) + " | " +
            (m.route_users[s] > 0 ? fixed(m.route_means[s][idx], 4) : std::string("-")) + " |\n";
    }
  }
  if (any_rating_model(r)) {
    md += "\n## Rating error\n\n| model | RMSE | MAE |\n|---|---|---|\n";
    for (std::size_t i = 0; i < r.models.size(); ++i) {
      if (const MetricValue* e = r.models[i].find("rmse")) {
        md +=
            "| `" + labels[i] + "` | " + fixed(e->value, 4) + " | " + fixed(r.models[i].find("mae")->value, 4) + " |\n";
      }
    }
  }
  md += "\n## Models\n\n| label | full spec |\n|---|---|\n";
  for (std::size_t i = 0; i < r.models.size(); ++i) md += "| `" + labels[i] + "` | `" + r.models[i].spec + "` |\n";
  return md;
}

}  // namespace aisle

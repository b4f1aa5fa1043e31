#include "aisle/eval/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/core/error.h"

namespace aisle {

namespace {

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

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The metrics a table row shows at cut-off k: the ones a team reads first.
std::vector<std::string> headline(std::size_t k) {
  const std::string at = "@" + std::to_string(k);
  return {"hr" + at, "recall" + at, "ndcg" + at, "mrr" + at, "coverage" + at};
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

// One bar chart as inline SVG: a bar per model with its interval as a whisker.
std::string svg_bars(const EvaluationReport& r, const std::string& metric) {
  const int row = 26, label_w = 340, bar_w = 420, height = row * static_cast<int>(r.models.size()) + 30;
  double top = 0;
  for (const ModelReport& m : r.models) {
    if (const MetricValue* v = m.find(metric)) top = std::max(top, v->interval ? v->interval->hi : v->value);
  }
  if (top <= 0) top = 1;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(label_w + bar_w + 90) +
                    "' height='" + std::to_string(height) + "' role='img' aria-label='" + html_escape(metric) + "'>";
  svg += "<text x='0' y='14' class='title'>" + html_escape(metric) + " (95% interval)</text>";
  int y = 24;
  for (const ModelReport& m : r.models) {
    const MetricValue* v = m.find(metric);
    const double value = v != nullptr ? v->value : 0;
    const auto x = [&](double val) { return label_w + static_cast<int>(std::lround(bar_w * val / top)); };
    const std::string label = m.spec.size() > 46 ? m.spec.substr(0, 45) + "\u2026" : m.spec;
    svg += "<text x='" + std::to_string(label_w - 6) + "' y='" + std::to_string(y + 15) +
           "' text-anchor='end' class='label'><title>" + html_escape(m.spec) + "</title>" + html_escape(label) +
           "</text>";
    svg += "<rect x='" + std::to_string(label_w) + "' y='" + std::to_string(y + 3) + "' width='" +
           std::to_string(x(value) - label_w) + "' height='16' class='" + (m.spec == r.baseline ? "bar base" : "bar") +
           "'/>";
    if (v != nullptr && v->interval) {
      const std::string mid = std::to_string(y + 11);
      svg += "<line x1='" + std::to_string(x(v->interval->lo)) + "' x2='" + std::to_string(x(v->interval->hi)) +
             "' y1='" + mid + "' y2='" + mid + "' class='whisker'/>";
    }
    svg += "<text x='" + std::to_string(x(value) + 6) + "' y='" + std::to_string(y + 15) + "' class='value'>" +
           fixed(value, 4) + "</text>";
    y += row;
  }
  return svg + "</svg>";
}

// Grouped bars: per segment of users, one bar per model.
std::string svg_segments(const EvaluationReport& r, std::size_t metric_index, const std::string& metric) {
  const std::size_t models = r.models.size(), segments = r.segment_names.size();
  const int bar = 18, gap = 48, group = bar * static_cast<int>(models) + gap, h = 180, left = 50;
  const int width = std::max(520, left + group * static_cast<int>(segments));
  double top = 0;
  for (const ModelReport& m : r.models) {
    for (const auto& s : m.segment_means) top = std::max(top, s[metric_index]);
  }
  if (top <= 0) top = 1;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(width) + "' height='" +
                    std::to_string(h + 70) + "' role='img' aria-label='segments'>";
  svg += "<text x='0' y='14' class='title'>" + html_escape(metric) +
         " by the user's number of training interactions</text>";
  svg += "<text x='" + std::to_string(left - 6) + "' y='34' text-anchor='end' class='value'>" + fixed(top, 3) +
         "</text><line x1='" + std::to_string(left) + "' x2='" + std::to_string(width) +
         "' y1='30' y2='30' class='grid'/>";
  for (std::size_t s = 0; s < segments; ++s) {
    const int x0 = left + group * static_cast<int>(s);
    for (std::size_t m = 0; m < models; ++m) {
      const double v = r.models[m].segment_means.empty() ? 0 : r.models[m].segment_means[s][metric_index];
      const int bh = static_cast<int>(std::lround(h * v / top));
      svg += "<rect x='" + std::to_string(x0 + bar * static_cast<int>(m)) + "' y='" + std::to_string(30 + h - bh) +
             "' width='" + std::to_string(bar - 2) + "' height='" + std::to_string(bh) + "' class='c" +
             std::to_string(m % 8) + "'><title>" + html_escape(r.models[m].spec) + ": " + fixed(v, 4) +
             "</title></rect>";
    }
    svg += "<text x='" + std::to_string(x0) + "' y='" + std::to_string(h + 48) + "' class='label'>" +
           html_escape(r.segment_names[s]) + "</text><text x='" + std::to_string(x0) + "' y='" +
           std::to_string(h + 62) + "' class='label'>" + std::to_string(r.segment_users[s]) + " users</text>";
  }
  return svg + "</svg>";
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
  const std::vector<stats::Interval> intervals = stats::bootstrap(evaluation.per_user, resamples, 0.95, seed);
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    m.metrics.push_back({evaluation.per_user.names[i], intervals[i].mean, intervals[i]});
  }
  for (const auto& [name, value] : evaluation.totals) m.metrics.push_back({name, value, std::nullopt});
  const std::size_t width = evaluation.per_user.names.size();
  m.segment_means.assign(segments.names.size(), std::vector<double>(width, 0.0));
  std::vector<std::size_t> counts(segments.names.size(), 0);
  for (std::size_t u = 0; u < segments.of_user.size(); ++u) {
    const std::size_t s = segments.of_user[u];
    ++counts[s];
    for (std::size_t k = 0; k < width; ++k) m.segment_means[s][k] += evaluation.per_user.at(u, k);
  }
  for (std::size_t s = 0; s < counts.size(); ++s) {
    for (double& v : m.segment_means[s]) v = counts[s] > 0 ? v / static_cast<double>(counts[s]) : 0.0;
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
  std::string out = "split: " + r.split + "; " + r.ranking + "; seed " + std::to_string(r.seed) + "\n";
  out += describe_data(r) + "\n";
  for (std::size_t k : r.ks) {
    const std::vector<std::string> cols = headline(k);
    char line[512];
    std::snprintf(line, sizeof line, "\n%-44s %8s %10s", "model", "fit s", "users/s");
    out += line;
    for (const std::string& c : cols) {
      std::snprintf(line, sizeof line, " %12s", c.c_str());
      out += line;
    }
    out += "  ndcg@" + std::to_string(k) + " 95% interval   lift (p)\n";
    for (const ModelReport& m : r.models) {
      std::snprintf(line, sizeof line, "%-44s %8.2f %10.0f", m.spec.substr(0, 44).c_str(), m.fit_seconds,
                    m.users_per_second());
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
  if (any_rating_model(r)) {
    out += "\nrating error (models that predict ratings):\n";
    for (const ModelReport& m : r.models) {
      if (const MetricValue* e = m.find("rmse")) {
        out += "  " + m.spec + ": rmse " + fixed(e->value, 4) + ", mae " + fixed(m.find("mae")->value, 4) + "\n";
      }
    }
  }
  return out;
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
  for (const ModelReport& m : r.models) {
    nlohmann::json jm;
    jm["spec"] = m.spec;
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
    j["models"].push_back(jm);
  }
  return j.dump(2) + "\n";
}

std::string to_markdown(const EvaluationReport& r) {
  std::string md = "# Evaluation\n\n";
  md += "- Split: " + r.split + "\n- Ranking: " + r.ranking + "\n- Data: " + r.data.source + "; " + describe_data(r) +
        "\n- Seed " + std::to_string(r.seed) + ", " + std::to_string(r.threads) + " threads, " +
        std::to_string(r.bootstrap_resamples) + " bootstrap resamples (95% intervals over users)\n";
  md += "- Command: `" + r.command + "`\n";
  md += "- Baseline: `" + r.baseline + "`; lift and p-value: paired sign-flip permutation test on per-user values\n";
  for (std::size_t k : r.ks) {
    const std::string at = "@" + std::to_string(k);
    md += "\n## K = " + std::to_string(k) + "\n\n";
    md +=
        "| model | fit s | users/s | HR | Precision | Recall | NDCG | MRR | MAP | F1 | coverage | popularity | NDCG "
        "lift (p) |\n";
    md += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const ModelReport& m : r.models) {
      md += "| `" + m.spec + "` | " + fixed(m.fit_seconds, 2) + " | " + fixed(m.users_per_second(), 0);
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
  for (const ModelReport& m : r.models) {
    if (!m.ab) continue;
    md += "| `" + m.spec + "` | " + fixed(m.ab->rate_b, 4) + " | " + fixed(m.ab->rate_a, 4) + " | " +
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
  for (const ModelReport& m : r.models) {
    md += "| `" + m.spec + "` |";
    const std::size_t idx = m.per_user.index_of(nd);
    for (const auto& s : m.segment_means) md += " " + fixed(s[idx], 4) + " |";
    md += "\n";
  }
  if (any_rating_model(r)) {
    md += "\n## Rating error\n\n| model | RMSE | MAE |\n|---|---|---|\n";
    for (const ModelReport& m : r.models) {
      if (const MetricValue* e = m.find("rmse")) {
        md += "| `" + m.spec + "` | " + fixed(e->value, 4) + " | " + fixed(m.find("mae")->value, 4) + " |\n";
      }
    }
  }
  return md;
}

std::string to_html(const EvaluationReport& r) {
  std::string h =
      "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>aisle evaluation</title><style>"
      "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
      "td:first-child,th:first-child{text-align:left;font-family:monospace}"
      ".title{font-weight:bold;font-size:13px}.label{font:11px monospace}.value{font-size:12px}"
      ".scroll{overflow-x:auto}.bar{fill:#4c78a8}.base{fill:#9d9d9d}"
      ".whisker{stroke:#222;stroke-width:1.5}.grid{stroke:#ccc}.c0{fill:#4c78a8}.c1{fill:#f58518}.c2{fill:#54a24b}.c3{"
      "fill:#e45756}"
      ".c4{fill:#72b7b2}.c5{fill:#b279a2}.c6{fill:#eeca3b}.c7{fill:#9d755d}"
      "</style></head><body><h1>aisle evaluation</h1><ul>";
  h += "<li>Split: " + html_escape(r.split) + "</li><li>Ranking: " + html_escape(r.ranking) + "</li>";
  h += "<li>Data: " + html_escape(r.data.source) + "; " + html_escape(describe_data(r)) + "</li>";
  h += "<li>Seed " + std::to_string(r.seed) + ", " + std::to_string(r.threads) + " threads; 95% bootstrap intervals (" +
       std::to_string(r.bootstrap_resamples) + " resamples of users)</li>";
  h += "<li>Command: <code>" + html_escape(r.command) + "</code></li>";
  h += "<li>Baseline: <code>" + html_escape(r.baseline) + "</code> (grey)</li></ul>";
  for (std::size_t k : r.ks) {
    const std::string at = "@" + std::to_string(k);
    h += "<h2>K = " + std::to_string(k) + "</h2>" + svg_bars(r, "ndcg" + at) + svg_bars(r, "hr" + at);
    h += "<div class='scroll'><table><tr><th>model</th><th>fit s</th><th>users/s</th>";
    for (const char* name : {"hr", "precision", "recall", "ndcg", "mrr", "map", "f1", "coverage", "popularity"}) {
      h += "<th>" + std::string(name) + at + "</th>";
    }
    h += "<th>ndcg lift (p)</th></tr>";
    for (const ModelReport& m : r.models) {
      h += "<tr><td>" + html_escape(m.spec) + "</td><td>" + fixed(m.fit_seconds, 2) + "</td><td>" +
           fixed(m.users_per_second(), 0) + "</td>";
      for (const char* name : {"hr", "precision", "recall", "ndcg", "mrr", "map", "f1", "coverage", "popularity"}) {
        const MetricValue* v = m.find(name + at);
        h += "<td>" + (v != nullptr ? html_escape(interval_text(*v)) : std::string("-")) + "</td>";
      }
      const auto* c = comparison(m, "ndcg" + at);
      h += "<td>" + (c != nullptr ? lift_text(c->lift) + " (" + p_text(c->p_value) + ")" : std::string("baseline")) +
           "</td></tr>";
    }
    h += "</table></div>";
  }
  const std::string nd = "ndcg@" + std::to_string(r.ks.front());
  if (!r.models.empty()) {
    h += "<h2>Segments</h2>" + svg_segments(r, r.models.front().per_user.index_of(nd), nd);
    h += "<p>Legend: ";
    for (std::size_t m = 0; m < r.models.size(); ++m) {
      h += "<svg width='12' height='12'><rect width='12' height='12' class='c" + std::to_string(m % 8) +
           "'/></svg> <code>" + html_escape(r.models[m].spec) + "</code> ";
    }
    h += "</p>";
  }
  const std::string hr = "hr@" + std::to_string(r.ks.front());
  h += "<h2>A/B view</h2><p>" + html_escape(hr) +
       " as a conversion rate against the baseline; two-proportion z-test.</p><table><tr><th>model</th><th>rate</th>"
       "<th>baseline</th><th>lift</th><th>z</th><th>p</th><th>extra hits / 10,000 users</th></tr>";
  for (const ModelReport& m : r.models) {
    if (!m.ab) continue;
    h += "<tr><td>" + html_escape(m.spec) + "</td><td>" + fixed(m.ab->rate_b, 4) + "</td><td>" +
         fixed(m.ab->rate_a, 4) + "</td><td>" + lift_text(m.ab->lift) + "</td><td>" + fixed(m.ab->z, 2) + "</td><td>" +
         p_text(m.ab->p_value) + "</td><td>" + fixed(m.ab->extra_per_10k, 0) + "</td></tr>";
  }
  return h + "</table></body></html>\n";
}

}  // namespace aisle

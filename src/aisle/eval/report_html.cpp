// The HTML page of a report: self-contained (inline SVG and CSS, no script, nothing fetched).
#include <algorithm>
#include <cmath>

#include "aisle/eval/report.h"
#include "aisle/eval/report_format.h"

namespace aisle {

namespace {

using report_format::comparison;
using report_format::describe_data;
using report_format::fixed;
using report_format::interval_text;
using report_format::lift_text;
using report_format::p_text;

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

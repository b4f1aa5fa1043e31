// The HTML page of a report: self-contained (inline SVG and CSS, no script, nothing fetched).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "aisle/eval/report.h"
#include "aisle/eval/report_format.h"

namespace aisle {

namespace {

using report_format::baseline_label;
using report_format::comparison;
using report_format::describe_data;
using report_format::fixed;
using report_format::labels_of;
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
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The page is read in windows down to 1280 px wide without sideways scrolling (checked by
// scripts/check-report-width.sh for ten models at two cut-offs): tables show labels (full specs
// in the models table and in tooltips), intervals on a line of their own, long code wraps, and
// charts scale down with their viewBox.
constexpr const char* kStyle =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;padding:0 1em;max-width:1200px;color:#222}"
    "code{overflow-wrap:anywhere}"
    "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
    "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}"
    "td:first-child,th:first-child{text-align:left;font-family:monospace}"
    "td.spec,th.spec{text-align:left;font-family:monospace;overflow-wrap:anywhere;max-width:560px}"
    ".ci{display:block;font-size:11px;color:#555;white-space:nowrap}"
    "svg{max-width:100%;height:auto;display:block}"
    ".title{font-weight:bold;font-size:13px}.label{font:11px monospace}.value{font-size:12px}"
    ".scroll{overflow-x:auto}.bar{fill:#4c78a8}.base{fill:#9d9d9d}"
    ".whisker{stroke:#222;stroke-width:1.5}.grid{stroke:#ccc}"
    ".legend{display:inline-block;margin-right:1em;white-space:nowrap}"
    ".c0{fill:#4c78a8}.c1{fill:#f58518}.c2{fill:#54a24b}.c3{fill:#e45756}.c4{fill:#72b7b2}"
    ".c5{fill:#b279a2}.c6{fill:#eeca3b}.c7{fill:#9d755d}.c8{fill:#ff9da6}.c9{fill:#bab0ac}";
constexpr std::size_t kColors = 10;

// An <svg> that keeps its drawn size where there is room and scales down where there is not.
std::string svg_open(int width, int height, const std::string& label) {
  const std::string w = std::to_string(width), h = std::to_string(height);
  return "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + w + " " + h + "' width='" + w + "' height='" + h +
         "' role='img' aria-label='" + html_escape(label) + "'>";
}

// A metric's cell: the value, its interval on a line below.
std::string metric_cell(const MetricValue* v) {
  if (v == nullptr) return "<td>-</td>";
  std::string cell = "<td>" + fixed(v->value, 4);
  if (v->interval) {
    cell += "<span class='ci'>" + fixed(v->interval->lo, 4) + "&ndash;" + fixed(v->interval->hi, 4) + "</span>";
  }
  return cell + "</td>";
}

// `text` escaped, with a line-break opportunity after every comma and before every '@', so
// that a table with many columns can narrow a label or a metric's name instead of growing wide.
std::string breakable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '@') out += "<wbr>";
    out += html_escape(std::string_view(&c, 1));
    if (c == ',') out += "<wbr>";
  }
  return out;
}

// The first cell of a model's row: its label, the full spec as the tooltip.
std::string label_cell(const std::string& label, const std::string& spec) {
  return "<td title='" + html_escape(spec) + "'>" + breakable(label) + "</td>";
}

// One bar chart as inline SVG: a bar per model with its interval as a whisker.
std::string svg_bars(const EvaluationReport& r, const std::vector<std::string>& labels, const std::string& metric) {
  std::size_t longest = 0;
  for (const std::string& l : labels) longest = std::max(longest, l.size());
  // 11px monospace is about 6.6 px per character.
  const int row = 26, label_w = 12 + static_cast<int>(std::lround(6.7 * static_cast<double>(longest)));
  const int bar_w = 420, width = label_w + bar_w + 60, height = row * static_cast<int>(r.models.size()) + 30;
  double top = 0;
  for (const ModelReport& m : r.models) {
    if (const MetricValue* v = m.find(metric)) top = std::max(top, v->interval ? v->interval->hi : v->value);
  }
  if (top <= 0) top = 1;
  std::string svg = svg_open(width, height, metric);
  svg += "<text x='0' y='14' class='title'>" + html_escape(metric) + " (95% interval)</text>";
  int y = 24;
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    const MetricValue* v = m.find(metric);
    const double value = v != nullptr ? v->value : 0;
    const auto x = [&](double val) { return label_w + static_cast<int>(std::lround(bar_w * val / top)); };
    svg += "<text x='" + std::to_string(label_w - 6) + "' y='" + std::to_string(y + 15) +
           "' text-anchor='end' class='label'><title>" + html_escape(m.spec) + "</title>" + html_escape(labels[i]) +
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

// Grouped bars: per segment of users, one bar per model, in the colours of the legend below it.
std::string svg_segments(const EvaluationReport& r, const std::vector<std::string>& labels, std::size_t metric_index,
                         const std::string& metric) {
  const std::size_t models = r.models.size(), segments = r.segment_names.size();
  const int bar = 18, gap = 48, group = bar * static_cast<int>(models) + gap, h = 180, left = 50;
  const int width = std::max(520, left + group * static_cast<int>(segments));
  double top = 0;
  for (const ModelReport& m : r.models) {
    for (const auto& s : m.segment_means) top = std::max(top, s[metric_index]);
  }
  if (top <= 0) top = 1;
  std::string svg = svg_open(width, h + 70, "segments");
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
             std::to_string(m % kColors) + "'><title>" + html_escape(labels[m]) + ": " + fixed(v, 4) +
             "</title></rect>";
    }
    svg += "<text x='" + std::to_string(x0) + "' y='" + std::to_string(h + 48) + "' class='label'>" +
           html_escape(r.segment_names[s]) + "</text><text x='" + std::to_string(x0) + "' y='" +
           std::to_string(h + 62) + "' class='label'>" + std::to_string(r.segment_users[s]) + " users</text>";
  }
  return svg + "</svg>";
}

// Label, full spec, fit time and throughput of every model: the legend of every table and chart.
std::string models_table(const EvaluationReport& r, const std::vector<std::string>& labels) {
  std::string h =
      "<h2>Models</h2><table><tr><th>label</th><th class='spec'>full spec</th><th>fit s</th><th>users/s</th></tr>";
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    h += "<tr><td>" + breakable(labels[i]) + "</td><td class='spec'>" + html_escape(m.spec) + "</td><td>" +
         fixed(m.fit_seconds, 2) + "</td><td>" + fixed(m.users_per_second(), 0) + "</td></tr>";
  }
  return h + "</table>";
}

std::string metrics_table(const EvaluationReport& r, const std::vector<std::string>& labels, std::size_t k) {
  const std::string at = "@" + std::to_string(k);
  std::string h = "<div class='scroll'><table><tr><th>model</th>";
  for (const char* name : {"hr", "precision", "recall", "ndcg", "mrr", "map", "f1", "coverage", "popularity"}) {
    h += "<th>" + breakable(name + at) + "</th>";
  }
  h += "<th>ndcg lift (p)</th></tr>";
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    h += "<tr>" + label_cell(labels[i], m.spec);
    for (const char* name : {"hr", "precision", "recall", "ndcg", "mrr", "map", "f1", "coverage", "popularity"}) {
      h += metric_cell(m.find(name + at));
    }
    const auto* c = comparison(m, "ndcg" + at);
    h += "<td>" +
         (c != nullptr ? lift_text(c->lift) + "<span class='ci'>p " + p_text(c->p_value) + "</span>"
                       : std::string("baseline")) +
         "</td></tr>";
  }
  return h + "</table></div>";
}

}  // namespace

std::string to_html(const EvaluationReport& r) {
  const std::vector<std::string> labels = labels_of(r);
  std::string h = "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>aisle evaluation</title><style>" +
                  std::string(kStyle) + "</style></head><body><h1>aisle evaluation</h1><ul>";
  h += "<li>Split: " + html_escape(r.split) + "</li><li>Ranking: " + html_escape(r.ranking) + "</li>";
  h += "<li>Data: <code>" + html_escape(r.data.source) + "</code>; " + html_escape(describe_data(r)) + "</li>";
  h += "<li>Seed " + std::to_string(r.seed) + ", " + std::to_string(r.threads) + " threads; 95% bootstrap intervals (" +
       std::to_string(r.bootstrap_resamples) + " resamples of users)</li>";
  h += "<li>Command: <code>" + html_escape(r.command) + "</code></li>";
  h += "<li>Baseline: <code>" + html_escape(baseline_label(r, labels)) + "</code> (grey)</li></ul>";
  h += models_table(r, labels);
  for (std::size_t k : r.ks) {
    const std::string at = "@" + std::to_string(k);
    h += "<h2>K = " + std::to_string(k) + "</h2>" + svg_bars(r, labels, "ndcg" + at) + svg_bars(r, labels, "hr" + at) +
         metrics_table(r, labels, k);
  }
  const std::string nd = "ndcg@" + std::to_string(r.ks.front());
  if (!r.models.empty()) {
    h += "<h2>Segments</h2>" + svg_segments(r, labels, r.models.front().per_user.index_of(nd), nd) + "<p>";
    for (std::size_t m = 0; m < r.models.size(); ++m) {
      h += "<span class='legend'><svg width='12' height='12' style='display:inline'><rect width='12' height='12' "
           "class='c" +
           std::to_string(m % kColors) + "'/></svg> <code>" + html_escape(labels[m]) + "</code></span> ";
    }
    h += "</p>";
  }
  const std::string hr = "hr@" + std::to_string(r.ks.front());
  h += "<h2>A/B view</h2><p>" + html_escape(hr) +
       " as a conversion rate against the baseline; two-proportion z-test.</p><table><tr><th>model</th><th>rate</th>"
       "<th>baseline</th><th>lift</th><th>z</th><th>p</th><th>extra hits / 10,000 users</th></tr>";
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const ModelReport& m = r.models[i];
    if (!m.ab) continue;
    h += "<tr>" + label_cell(labels[i], m.spec) + "<td>" + fixed(m.ab->rate_b, 4) + "</td><td>" +
         fixed(m.ab->rate_a, 4) + "</td><td>" + lift_text(m.ab->lift) + "</td><td>" + fixed(m.ab->z, 2) + "</td><td>" +
         p_text(m.ab->p_value) + "</td><td>" + fixed(m.ab->extra_per_10k, 0) + "</td></tr>";
  }
  return h + "</table></body></html>\n";
}

}  // namespace aisle

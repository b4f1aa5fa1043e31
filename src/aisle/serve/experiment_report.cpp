#include "aisle/serve/experiment_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "aisle/core/statistics.h"

namespace aisle::serve {

using Json = nlohmann::ordered_json;

namespace {

constexpr double kLevel = 0.95;
constexpr double kTauShare = 0.1;  // mSPRT's mixing standard deviation, relative to the control

// What feedback an impression earned.
struct Outcome {
  bool clicked = false, carted = false, purchased = false;
  double revenue = 0;
  bool revenue_known = false;
  std::vector<std::string> clicked_items;  // for interleaving's credits
};

// Per visitor and arm: the sums the rates are ratios of.
struct VisitorSums {
  double impressions = 0, clicked = 0, carted = 0, purchased = 0, revenue = 0;
};

struct ArmData {
  std::unordered_map<std::string, VisitorSums> visitors;
  bool revenue_known = false;
};

std::vector<Outcome> attribute(const ReportInput& in) {
  const std::int64_t window = in.spec->attribution_seconds;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_visitor;
  for (std::size_t i = 0; i < in.impressions.size(); ++i) by_visitor[in.impressions[i].visitor].push_back(i);
  std::vector<Outcome> outcomes(in.impressions.size());
  for (const LiveEvent& e : in.feedback) {
    const bool click = e.type == "view", cart = e.type == "cart", purchase = e.type == "purchase";
    if (!click && !cart && !purchase) continue;
    // The latest impression of this visitor that showed the item within the window.
    std::size_t best = in.impressions.size();
    // By the event's user id; by its session id for anonymous visitors only.
    for (const bool by_session : {false, true}) {
      const std::string_view who = by_session ? e.session : e.user;
      if (who.empty()) continue;
      const auto it = by_visitor.find(who);
      if (it == by_visitor.end()) continue;
      for (const std::size_t i : it->second) {
        const Impression& m = in.impressions[i];
        if (by_session && !m.anonymous) continue;
        if (e.time < m.time || e.time > m.time + window) continue;
        if (std::find(m.items.begin(), m.items.end(), e.item) == m.items.end()) continue;
        if (best == in.impressions.size() || m.time > in.impressions[best].time) best = i;
      }
    }
    if (best == in.impressions.size()) continue;
    Outcome& o = outcomes[best];
    if (click) {
      o.clicked = true;
      if (std::find(o.clicked_items.begin(), o.clicked_items.end(), e.item) == o.clicked_items.end())
        o.clicked_items.push_back(e.item);
    }
    o.carted |= cart;
    if (purchase) {
      o.purchased = true;
      double amount = std::nan("");
      if (is_present(e.value)) {
        amount = e.value;
      } else if (const float p = in.price ? in.price(e.item) : kAbsent; is_present(p)) {
        amount = static_cast<double>(p) * (is_present(e.quantity) ? e.quantity : 1.0);
      }
      if (std::isfinite(amount)) o.revenue += amount, o.revenue_known = true;
    }
  }
  return outcomes;
}

Json interval_json(const stats::Interval& i) {
  return Json{{"value", i.mean}, {"lo", i.lo}, {"hi", i.hi}};
}

Json comparison_json(const stats::GroupComparison& c) {
  return Json{{"difference", c.difference},
              {"lift", c.lift},
              {"p_value", c.p_value},
              {"interval", Json::array({c.interval.lo, c.interval.hi})},
              {"sequential_p_value", c.sequential_p},
              {"sequential_interval", Json::array({c.sequential_interval.lo, c.sequential_interval.hi})}};
}

struct Metric {
  std::string_view name;
  double VisitorSums::*numerator;
  bool per_visitor;  // revenue per visitor; else a rate per impression
};
constexpr Metric kMetrics[] = {{"click_rate", &VisitorSums::clicked, false},
                               {"add_to_cart_rate", &VisitorSums::carted, false},
                               {"purchase_rate", &VisitorSums::purchased, false},
                               {"revenue_per_visitor", &VisitorSums::revenue, true}};

stats::RatioEstimate estimate(const ArmData& arm, const Metric& metric) {
  std::vector<double> y, x;
  y.reserve(arm.visitors.size());
  x.reserve(arm.visitors.size());
  for (const auto& [visitor, sums] : arm.visitors) {
    y.push_back(sums.*metric.numerator);
    x.push_back(metric.per_visitor ? 1.0 : sums.impressions);
  }
  return stats::ratio_estimate(y, x);
}

Json ab_arms(const ReportInput& in, const std::vector<Outcome>& outcomes) {
  const ExperimentSpec& spec = *in.spec;
  std::vector<ArmData> arms(spec.arms.size());
  for (std::size_t i = 0; i < in.impressions.size(); ++i) {
    const Impression& m = in.impressions[i];
    const auto arm = std::find_if(spec.arms.begin(), spec.arms.end(), [&](const auto& a) { return a.name == m.arm; });
    if (arm == spec.arms.end()) continue;  // an arm since removed from the definition
    ArmData& data = arms[static_cast<std::size_t>(arm - spec.arms.begin())];
    VisitorSums& v = data.visitors[m.visitor];
    const Outcome& o = outcomes[i];
    v.impressions += 1;
    v.clicked += o.clicked, v.carted += o.carted, v.purchased += o.purchased;
    v.revenue += o.revenue;
    data.revenue_known |= o.revenue_known;
  }
  const std::size_t control = static_cast<std::size_t>(
      std::find_if(spec.arms.begin(), spec.arms.end(), [&](const auto& a) { return a.name == spec.control; }) -
      spec.arms.begin());
  Json out = Json::array();
  for (std::size_t a = 0; a < arms.size(); ++a) {
    double impressions = 0;
    for (const auto& [visitor, sums] : arms[a].visitors) impressions += sums.impressions;
    Json arm{{"name", spec.arms[a].name}, {"model", spec.arms[a].model},         {"share", spec.arms[a].share},
             {"control", a == control},   {"visitors", arms[a].visitors.size()}, {"impressions", impressions}};
    Json vs = Json::object();
    for (const Metric& metric : kMetrics) {
      const bool unknown = metric.per_visitor && !arms[a].revenue_known && !arms[control].revenue_known;
      if (unknown) {
        arm[std::string(metric.name)] = nullptr;  // no prices and no purchase values
        continue;
      }
      const stats::RatioEstimate e = estimate(arms[a], metric);
      arm[std::string(metric.name)] = interval_json(stats::normal_interval(e, kLevel));
      if (a == control) continue;
      const stats::RatioEstimate c = estimate(arms[control], metric);
      const double tau = std::max(kTauShare * std::abs(c.value), 1e-9);
      vs[std::string(metric.name)] = comparison_json(stats::compare_groups(c, e, kLevel, tau));
    }
    if (a != control) arm["vs_control"] = vs;
    out.push_back(arm);
  }
  return out;
}

Json interleaving(const ReportInput& in, const std::vector<Outcome>& outcomes) {
  const ExperimentSpec& spec = *in.spec;
  const std::string& a = spec.arms[0].name;
  const std::string& b = spec.arms[1].name;
  // Credited clicks per visitor: [a, b].
  std::unordered_map<std::string_view, std::array<std::uint64_t, 2>> credited;
  std::uint64_t impressions = 0, clicked_impressions = 0;
  for (std::size_t i = 0; i < in.impressions.size(); ++i) {
    const Impression& m = in.impressions[i];
    if (m.credits.size() != m.items.size()) continue;
    ++impressions;
    auto& counts = credited[m.visitor];
    clicked_impressions += !outcomes[i].clicked_items.empty();
    for (const std::string& item : outcomes[i].clicked_items) {
      const auto at = static_cast<std::size_t>(std::find(m.items.begin(), m.items.end(), item) - m.items.begin());
      if (m.credits[at] == a) ++counts[0];
      if (m.credits[at] == b) ++counts[1];
    }
  }
  std::uint64_t prefer_a = 0, prefer_b = 0, ties = 0;
  for (const auto& [visitor, counts] : credited) {
    if (counts[0] > counts[1]) {
      ++prefer_a;
    } else if (counts[1] > counts[0]) {
      ++prefer_b;
    } else {
      ++ties;
    }
  }
  const double decided = static_cast<double>(prefer_a + prefer_b);
  return Json{{"arms", Json::array({a, b})},
              {"visitors", credited.size()},
              {"impressions", impressions},
              {"clicked_impressions", clicked_impressions},
              {"prefer", Json{{a, prefer_a}, {b, prefer_b}, {"tie", ties}}},
              // The share of deciding visitors who preferred b, minus one half: > 0 favours b.
              {"delta", decided > 0 ? static_cast<double>(prefer_b) / decided - 0.5 : 0.0},
              {"p_value", stats::sign_test_p(prefer_a, prefer_b)}};
}

}  // namespace

Json experiment_report(const ReportInput& in) {
  const ExperimentSpec& spec = *in.spec;
  const std::vector<Outcome> outcomes = attribute(in);
  Json out = Json::object();
  if (spec.mode == ExperimentMode::kInterleave) {
    out["interleaving"] = interleaving(in, outcomes);
    out["methods"] = {{"attribution", "feedback on a shown item by the same visitor within attribution_seconds"},
                      {"interleaving",
                       "team-draft; a visitor prefers the arm credited with more of their clicks; "
                       "exact two-sided sign test over the visitors with a preference"}};
    return out;
  }
  out["arms"] = ab_arms(in, outcomes);
  std::vector<double> observed, shares;
  for (std::size_t a = 0; a < spec.arms.size(); ++a) {
    observed.push_back(out["arms"][a]["visitors"].get<double>());
    shares.push_back(spec.arms[a].share);
  }
  const stats::SampleRatioTest srm = stats::sample_ratio_test(observed, shares, kSampleRatioAlpha);
  out["sample_ratio"] = {{"chi_squared", srm.chi_squared},
                         {"p_value", srm.p_value},
                         {"mismatch", srm.mismatch},
                         {"threshold", kSampleRatioAlpha}};
  out["methods"] = {
      {"attribution", "feedback on a shown item by the same visitor within attribution_seconds"},
      {"intervals", "95% normal intervals, delta method over visitors"},
      {"p_value", "two-sided z test of the difference, valid for one look at a planned sample size"},
      {"sequential",
       "mSPRT (Johari, Pekelis and Walsh 2017), normal mixture with tau = 10% of the control's value: "
       "p-value and 95% confidence sequence valid however often they are looked at"},
      {"sample_ratio", "Pearson chi-squared of visitors per arm against the shares; mismatch below p = 0.001"}};
  return out;
}

}  // namespace aisle::serve

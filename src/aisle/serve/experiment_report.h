// What an experiment measured: its impressions joined with the feedback stored since they were
// served (docs/EXPERIMENTS.md, "Attribution" and "Statistics"). Pure computation over what the
// caller read from the store; thread-safe.
//
// Attribution: a feedback event counts for an impression when it comes from the impression's
// visitor (its user id, or for an anonymous visitor its session id), names an item of the list,
// and happens no earlier than the list and at most `attribution_seconds` after it; of several
// such impressions the latest takes it. view (click) events make an impression clicked, cart
// events carted, purchase events purchased; a purchase adds its value as revenue (else its
// quantity, default 1, times the catalog price; nothing when neither is known).
//
// Statistics, per arm: the click, add-to-cart and purchase rates per impression and the revenue
// per visitor, each with a 95% interval by the delta method over visitors (a visitor's
// impressions are one unit, since visitors, not impressions, were randomized); against the
// control the difference, lift, fixed-horizon p-value and interval, and mSPRT's always-valid
// p-value and confidence sequence (core/statistics.h) with tau = 10% of the control's value; the
// sample-ratio-mismatch test of visitors per arm against the shares (flagged below p = 0.001).
// Interleaving: each impression's clicks credit the arm that contributed the item; a visitor
// prefers the arm with more credited clicks over all their impressions; the sign test over the
// visitors with a preference.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "aisle/config/experiments.h"
#include "aisle/store/event_store.h"

namespace aisle::serve {

// Above this the sample-ratio-mismatch test does not flag an experiment.
inline constexpr double kSampleRatioAlpha = 0.001;

struct ReportInput {
  const ExperimentSpec* spec = nullptr;
  std::span<const Impression> impressions;            // the experiment's, any order
  std::span<const LiveEvent> feedback;                // feedback stored since its first impression, any order
  std::function<float(std::string_view item)> price;  // the catalog price, or kAbsent
};

// {"arms": [...], "sample_ratio": {...}, "interleaving": {...} (that mode only), "methods": {...}}
nlohmann::ordered_json experiment_report(const ReportInput& input);

}  // namespace aisle::serve

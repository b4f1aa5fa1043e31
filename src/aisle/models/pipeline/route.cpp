#include "aisle/models/pipeline/route.h"

#include <algorithm>
#include <numeric>

#include "aisle/core/error.h"

namespace aisle {

namespace {

const std::array<std::string, Route::kSegments> kSegmentNames = {"session", "known", "few", "none"};

}  // namespace

const ParamSchema<RouteParams>& RouteParams::schema() {
  static const ParamSchema<RouteParams> kSchema(
      "route", {
                   {"min_history",
                    &RouteParams::min_history,
                    1,
                    1000000,
                    false,
                    {},
                    "histories of at least this many items are 'known', shorter ones 'few'"},
               });
  return kSchema;
}

Route::Route(RouteParams params, std::vector<PipelineMember> members)
    : PipelineModel(std::move(params), std::move(members)) {
  constexpr std::size_t kUnset = static_cast<std::size_t>(-1);
  std::array<std::size_t, kSegments> given;
  given.fill(kUnset);
  std::size_t fallback = kUnset;
  std::string known = "fallback";
  for (const std::string& name : kSegmentNames) known += ", " + name;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const PipelineMember& member = members_[m];
    const auto segment = std::find(kSegmentNames.begin(), kSegmentNames.end(), member.role);
    if (member.separator != '=' || (member.role != "fallback" && segment == kSegmentNames.end())) {
      throw ConfigError("route: each member needs a segment, as in known=" + std::string(member.model->kind()) +
                        "; segments: " + known);
    }
    std::size_t& slot =
        member.role == "fallback" ? fallback : given[static_cast<std::size_t>(segment - kSegmentNames.begin())];
    if (slot != kUnset) throw ConfigError("route: segment '" + member.role + "' is given twice");
    slot = m;
  }
  if (fallback == kUnset) {
    throw ConfigError(
        "route: needs a fallback member (it answers the segments not listed and fills lists), as in "
        "route(known=ease; fallback=popularity)");
  }
  fallback_ = fallback;
  for (std::size_t s = 0; s < kSegments; ++s) member_of_[s] = given[s] == kUnset ? fallback : given[s];
}

void Route::members_ready() {
  const std::uint32_t n = num_items();
  std::vector<float> row(n);
  members_[fallback_].model->score_one(UserQuery{}, row);
  fill_order_.resize(n);
  std::iota(fill_order_.begin(), fill_order_.end(), 0u);
  // Best first; ties by ascending index, as every selection breaks them.
  std::stable_sort(fill_order_.begin(), fill_order_.end(), [&](ItemIdx a, ItemIdx b) { return row[a] > row[b]; });
  fill_scores_.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    fill_scores_[fill_order_[p]] = -static_cast<float>(p + 1) / static_cast<float>(n + 1);
  }
}

std::span<const std::string> Route::route_names() const {
  return kSegmentNames;
}

std::size_t Route::route_of(const UserQuery& query) const {
  if (query.items.empty()) return kNone;
  if (query.session) return kSession;
  return query.items.size() >= static_cast<std::size_t>(params_.min_history) ? kKnown : kFew;
}

const Recommender& Route::route_model(std::size_t route) const {
  AISLE_CHECK(route < kSegments);
  return *members_[member_of_[route]].model;
}

void Route::score_one(const UserQuery& query, std::span<float> scores) const {
  const Recommender& member = route_model(route_of(query));
  const auto* sparse = capability<CandidateScorer>(member);
  if (sparse == nullptr) {
    member.score_one(query, scores);
    return;
  }
  // What the batch path selects: the candidates, then the fill order below them.
  std::copy(fill_scores_.begin(), fill_scores_.end(), scores.begin());
  std::vector<Scored> candidates;
  sparse->candidates(query, candidates);
  for (const Scored& c : candidates) scores[c.item] = c.score;
}

void Route::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  const auto* explainer = capability<Explainer>(route_model(route_of(query)));
  if (explainer != nullptr) explainer->explain(query, item, n, out);
}

void Route::score(std::span<const UserQuery> queries, std::span<float> scores) const {
  const std::size_t n = num_items();
  AISLE_CHECK(scores.size() == queries.size() * n);
  // The queries of each segment go to their member together, through its own batch path.
  std::vector<UserQuery> group;
  std::vector<std::size_t> positions;
  std::vector<float> group_scores;
  for (std::size_t segment = 0; segment < kSegments; ++segment) {
    group.clear();
    positions.clear();
    for (std::size_t q = 0; q < queries.size(); ++q) {
      if (route_of(queries[q]) != segment) continue;
      group.push_back(queries[q]);
      positions.push_back(q);
    }
    if (group.empty()) continue;
    const Recommender& member = route_model(segment);
    if (capability<CandidateScorer>(member) != nullptr) {
      for (std::size_t g = 0; g < group.size(); ++g) score_one(group[g], scores.subspan(positions[g] * n, n));
      continue;
    }
    group_scores.resize(group.size() * n);
    member.score(group, group_scores);
    for (std::size_t g = 0; g < group.size(); ++g) {
      std::copy_n(group_scores.data() + g * n, n, scores.data() + positions[g] * n);
    }
  }
}

}  // namespace aisle

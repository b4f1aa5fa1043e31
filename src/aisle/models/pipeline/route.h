// route: each query answered by the member for its segment, chosen by the query's kind and the
// length of its history (the training history of a known user plus the items the query adds):
//   session  the query is one visit's clicks in order (Query::session) and has items;
//   known    a history of at least min_history items;
//   few      a history of 1 to min_history - 1 items (a new customer's first clicks);
//   none     no history at all.
// Spec: "route:min_history=5(known=ease; few=item_knn; session=session_knn; none=trending;
// fallback=popularity)". A segment not listed goes to the fallback, which is required. The
// fallback also fills lists: the items a candidate member (CandidateScorer: session_knn,
// sequential_rules) does not list come in the fallback's order for an empty history, below every
// candidate, so a list holds exactly k items whenever k are eligible. Every listed member is a
// model of its own, fitted on the whole training data.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "aisle/models/pipeline/pipeline.h"

namespace aisle {

struct RouteParams {
  int min_history = 5;
  static const ParamSchema<RouteParams>& schema();
};

class Route final : public PipelineModel<RouteParams>, public QueryRouter, public Explainer {
 public:
  enum Segment : std::size_t { kSession, kKnown, kFew, kNone, kSegments };

  // Throws ConfigError for a role that is not a segment or "fallback", a segment given twice, or
  // no fallback.
  Route(RouteParams params, std::vector<PipelineMember> members);
  std::string_view kind() const override { return "route"; }

  void score(std::span<const UserQuery> queries, std::span<float> scores) const override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;

  std::span<const std::string> route_names() const override;
  std::size_t route_of(const UserQuery& query) const override;
  const Recommender& route_model(std::size_t route) const override;
  std::span<const ItemIdx> fill_order() const override { return fill_order_; }
  std::span<const float> fill_scores() const override { return fill_scores_; }

 private:
  void members_ready() override;

  std::array<std::size_t, kSegments> member_of_{};  // index into members_
  std::size_t fallback_ = 0;
  std::vector<ItemIdx> fill_order_;  // the fallback's items for an empty history, best first
  std::vector<float> fill_scores_;   // per item: -(position in fill_order_ + 1) / (n + 1)
};

}  // namespace aisle

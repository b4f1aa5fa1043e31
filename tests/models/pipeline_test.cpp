// Pipelines (blend, route) beyond the model contract: the spec grammar, the normalizations by
// hand, a blend's scores as the weighted sum of its members', each query routed to its segment's
// member, the fallback's fill, and the routed batch path against the route's own dense rows.
#include <gtest/gtest.h>

#include <cmath>

#include "aisle/core/error.h"
#include "aisle/models/pipeline/blend.h"
#include "aisle/models/pipeline/route.h"
#include "aisle/models/registry.h"
#include "aisle/models/selection.h"
#include "aisle/models/spec.h"
#include "aisle/models/trained_model.h"
#include "model_test_data.h"

namespace aisle {
namespace {

using testing::Checkerboard;

TrainedModel fit(const std::string& spec, const Checkerboard& data = Checkerboard()) {
  FitContext c;
  c.run = RunContext(1, 7);
  return train_model(spec, data.pairs, data.catalog, data.users, data.items, c);
}

std::string error_of(const std::string& spec) {
  try {
    create_model(spec);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SpecGrammar, ParsesNestedMembersAndFormatsThemBack) {
  const ParsedSpec p = parse_spec(
      "route:min_history=4(known=blend(0.6*als:factors=8,iterations=3; 0.4*popularity); "
      "fallback=popularity:by=users)");
  EXPECT_EQ(p.name, "route");
  EXPECT_EQ(p.args, "min_history=4");
  ASSERT_EQ(p.members.size(), 2u);
  EXPECT_EQ(p.members[0].role, "known");
  EXPECT_EQ(p.members[0].separator, '=');
  EXPECT_EQ(p.members[0].spec, "blend(0.6*als:factors=8,iterations=3; 0.4*popularity)");
  EXPECT_EQ(p.members[1].spec, "popularity:by=users");
  const ParsedSpec inner = parse_spec(p.members[0].spec);
  ASSERT_EQ(inner.members.size(), 2u);
  EXPECT_EQ(inner.members[0].role, "0.6");
  EXPECT_EQ(inner.members[0].separator, '*');
  EXPECT_EQ(inner.members[0].spec, "als:factors=8,iterations=3");
  EXPECT_EQ(format_spec(p),
            "route:min_history=4(known=blend(0.6*als:factors=8,iterations=3; 0.4*popularity); "
            "fallback=popularity:by=users)");
  // '=' inside a member's own arguments is not a role.
  EXPECT_TRUE(parse_spec("blend(als:factors=8)").members[0].role.empty());
}

TEST(SpecGrammar, RefusesMalformedSpecs) {
  EXPECT_EQ(error_of("blend(0.5*als"), "model spec 'blend(0.5*als': '(' without its ')'");
  EXPECT_EQ(error_of("blend(als) x"), "model spec 'blend(als) x': text after the closing ')'");
  EXPECT_EQ(error_of("blend(als;;popularity)"), "model spec 'blend(als;;popularity)': a member has no model");
  EXPECT_EQ(error_of("blend(*als)"), "model spec 'blend(*als)': a member's '*' has nothing before it");
  EXPECT_EQ(error_of("blend"), "model 'blend' is a pipeline and needs members, e.g. blend(0.6*als; 0.4*popularity)");
  EXPECT_EQ(error_of("als(popularity)"), "model 'als' takes no members; pipelines that do: blend, route");
  EXPECT_EQ(error_of("blend(x*als)"), "blend: member 'x*...' needs a positive weight, as in 0.6*als");
  EXPECT_EQ(error_of("blend(0.5*alss)").substr(0, 26), "unknown model 'alss'; know");
  EXPECT_EQ(error_of("route(known=ease)"),
            "route: needs a fallback member (it answers the segments not listed and fills lists), as in "
            "route(known=ease; fallback=popularity)");
  EXPECT_EQ(error_of("route(old=ease; fallback=popularity)"),
            "route: each member needs a segment, as in known=ease; segments: fallback, session, known, few, none");
  EXPECT_EQ(error_of("route(known=ease; known=als; fallback=popularity)"), "route: segment 'known' is given twice");
  EXPECT_EQ(error_of("route:min_history=0(fallback=popularity)"),
            "model 'route', parameter 'min_history': 0 is out of range [1, 1000000]");
}

TEST(SpecGrammar, ShortSpecShortensMembers) {
  EXPECT_EQ(short_spec("blend:normalize=min-max(0.6*als:factors=32,iterations=15; 0.4*popularity:by=users)"),
            "blend(0.6*als:factors=32; 0.4*popularity:by=users)");
  EXPECT_EQ(short_spec("route:min_history=3(known=ease; fallback=trending)"),
            "route:min_history=3(known=ease; fallback=trending)");
  // The canonical spec of a pipeline holds every member parameter and re-creates it.
  const auto model = create_model("blend:normalize=rank(2*popularity)");
  EXPECT_EQ(create_model("blend:" + model->params())->params(), model->params());
}

TEST(Normalize, MatchesHandComputedValues) {
  std::vector<float> row = {2, 4, 4, 10};
  normalize_scores("min-max", row);
  EXPECT_EQ(row, (std::vector<float>{0, 0.25f, 0.25f, 1}));
  row = {1, 3};
  normalize_scores("z-score", row);
  EXPECT_EQ(row, (std::vector<float>{-1, 1}));
  row = {5, 9, 5, 1};  // ranks 1, 0, 1 (tied), 3 of 4
  normalize_scores("rank", row);
  EXPECT_EQ(row, (std::vector<float>{0.75f, 1, 0.75f, 0.25f}));
  row = {3, 3};
  normalize_scores("min-max", row);
  EXPECT_EQ(row, (std::vector<float>{0, 0}));
  row = {-2, 7};
  normalize_scores("none", row);
  EXPECT_EQ(row, (std::vector<float>{-2, 7}));
}

std::vector<float> row_of(const Recommender& model, const UserQuery& q) {
  std::vector<float> row(model.num_items());
  model.score_one(q, row);
  return row;
}

UserQuery user_query(const TrainedModel& m, UserIdx u) {
  const History& h = m.history();
  const auto b = static_cast<std::ptrdiff_t>(h.row_ptr[u]), e = static_cast<std::ptrdiff_t>(h.row_ptr[u + 1]);
  return {u,
          {h.item.data() + b, h.item.data() + e},
          {h.weight.data() + b, h.weight.data() + e},
          {h.last_time.data() + b, h.last_time.data() + e},
          true};
}

TEST(BlendModel, ScoresAreTheWeightedSumOfNormalizedMemberScores) {
  for (const std::string normalize : {"none", "min-max", "z-score", "rank"}) {
    const TrainedModel m = fit("blend:normalize=" + normalize + "(0.6*als:factors=4,iterations=5; 0.4*popularity)");
    const auto& blend = dynamic_cast<const Blend&>(m.model());
    for (UserIdx u : {0u, 5u}) {
      const UserQuery q = user_query(m, u);
      std::vector<float> als = row_of(*blend.members()[0].model, q), pop = row_of(*blend.members()[1].model, q);
      normalize_scores(normalize, als);
      normalize_scores(normalize, pop);
      const std::vector<float> got = row_of(blend, q);
      for (ItemIdx i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i], 0.6f * als[i] + 0.4f * pop[i], 1e-5f) << normalize << " user " << u << " item " << i;
      }
    }
  }
}

const std::string kRoute =
    "route:min_history=4(known=item_knn; few=ease; session=sequential_rules; none=trending; fallback=popularity)";

TEST(RouteModel, SendsEachQueryToItsSegmentsMember) {
  const TrainedModel m = fit(kRoute);
  const auto& route = dynamic_cast<const Route&>(m.model());
  const auto kind_for = [&](const Query& q) {
    const QueryRoutes r = m.routes(std::span(&q, 1));
    return std::pair{r.names[r.of_query[0]], std::string(route.route_model(r.of_query[0]).kind())};
  };
  Query known{0, {}, {}};  // 8 training items
  Query few{kNoIndex, {1, 3}, {}};
  Query session{kNoIndex, {1, 3}, {}, true};
  Query none;
  EXPECT_EQ(kind_for(known), (std::pair<std::string, std::string>{"known", "item_knn"}));
  EXPECT_EQ(kind_for(few), (std::pair<std::string, std::string>{"few", "ease"}));
  EXPECT_EQ(kind_for(session), (std::pair<std::string, std::string>{"session", "sequential_rules"}));
  EXPECT_EQ(kind_for(none), (std::pair<std::string, std::string>{"none", "trending"}));
  // An unlisted segment goes to the fallback; a known user plus added items counts them all.
  const TrainedModel short_route = fit("route:min_history=10(known=item_knn; fallback=popularity)");
  EXPECT_EQ(short_route.routes(std::span(&known, 1)).of_query[0], Route::kFew);
  EXPECT_EQ(short_route.model().kind(), "route");
  Query more{0, {1, 3}, {}};
  EXPECT_EQ(short_route.routes(std::span(&more, 1)).of_query[0], Route::kKnown);
  EXPECT_EQ(m.routes(std::span(&known, 1)).names.size(), 4u);
  // A plain model has no routes.
  EXPECT_TRUE(fit("popularity").routes(std::span(&known, 1)).names.empty());

  // Each segment's answer is its member's, fitted alone on the same data.
  const TrainedModel ease = fit("ease");
  EXPECT_EQ(m.recommend(std::span(&few, 1), Filter{}, 5, RunContext{}),
            ease.recommend(std::span(&few, 1), Filter{}, 5, RunContext{}));
  const TrainedModel knn = fit("item_knn");
  EXPECT_EQ(m.recommend(std::span(&known, 1), Filter{}, 5, RunContext{}),
            knn.recommend(std::span(&known, 1), Filter{}, 5, RunContext{}));
}

TEST(RouteModel, TheFallbackFillsACandidateMembersListToK) {
  // Item 0 is always followed by item 1, so the session rule from 0 lists item 1 only.
  std::vector<testing::Pair> list;
  for (UserIdx u = 0; u < 10; ++u) {
    list.push_back({u, 0, 1, 100});
    list.push_back({u, 1, 1, 101});
    for (ItemIdx i = 2; i < 8; ++i) {
      if (u < i) list.push_back({u, i, 1, 50});  // item 7 most popular, then 6, ...
    }
  }
  Checkerboard data;
  data.pairs = testing::make_pairs(10, Checkerboard::kItems, list);
  data.users = testing::make_ids("u", 10);
  const TrainedModel m = fit("route(session=sequential_rules; fallback=popularity)", data);
  Query session{kNoIndex, {0}, {}, true};
  Filter f;
  f.exclude = {6};
  const auto top = m.recommend(std::span(&session, 1), f, 5, RunContext{}).front();
  ASSERT_EQ(top.size(), 5u);
  EXPECT_EQ(top[0].item, 1u);  // the candidate
  EXPECT_GT(top[0].score, 0.0f);
  // Then popularity's order without the excluded and the seen: 7, 5, 4, 3 (weights 7, 5, 4, 3; 1 is taken).
  EXPECT_EQ(top[1].item, 7u);
  EXPECT_EQ(top[2].item, 5u);
  EXPECT_EQ(top[3].item, 4u);
  EXPECT_EQ(top[4].item, 3u);
  EXPECT_LT(top[1].score, 0.0f);
}

TEST(RouteModel, BatchPathEqualsTheRoutesOwnRows) {
  const Checkerboard data;
  const TrainedModel m =
      fit("route:min_history=5(known=als:factors=4,iterations=5; few=item_knn; session=session_knn; none=trending; "
          "fallback=popularity)",
          data);
  std::vector<Request> requests;
  for (UserIdx u = 0; u < Checkerboard::kUsers; ++u) requests.push_back({{u, {}, {}}, {}, 6});
  requests.push_back({{kNoIndex, {2, 4}, {}}, {}, 6});
  requests.push_back({{kNoIndex, {2, 4, 7}, {1, 2, 3}, true}, {}, 6});
  requests.push_back({{kNoIndex, {}, {}}, {}, 6});
  Filter even_with_seen;
  even_with_seen.exclude_seen = false;
  even_with_seen.categories = {0};
  requests.push_back({{kNoIndex, {1, 3}, {}, true}, even_with_seen, 4});
  const auto batch = m.recommend(requests, RunContext(2));
  ASSERT_EQ(batch.size(), requests.size());
  for (std::size_t r = 0; r < requests.size(); ++r) {
    // The dense row of the route itself, selected under the same filter.
    std::vector<float> row(m.num_items());
    const std::vector<float> scores = m.score_candidates(requests[r].query, [&] {
      std::vector<ItemIdx> all(m.num_items());
      for (ItemIdx i = 0; i < all.size(); ++i) all[i] = i;
      return all;
    }());
    std::copy(scores.begin(), scores.end(), row.begin());
    const Query& q = requests[r].query;
    std::vector<ItemIdx> seen;
    if (requests[r].filter.exclude_seen) {
      if (q.user != kNoIndex) {
        for (ItemIdx i : m.history().items_of(q.user)) seen.push_back(i);
      }
      seen.insert(seen.end(), q.items.begin(), q.items.end());
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    }
    const auto expected =
        select_top(row, seen, compile_filter(requests[r].filter, m.facts(), m.num_items()), requests[r].k);
    EXPECT_EQ(batch[r], expected) << "request " << r;
  }
}

TEST(RouteModel, SimilarItemsComeFromTheFirstMemberThatHasThem) {
  const TrainedModel knn = fit("item_knn");
  const TrainedModel route = fit("route(none=popularity; known=item_knn; fallback=popularity)");
  EXPECT_EQ(route.similar(3, Filter{}, 5), knn.similar(3, Filter{}, 5));
  const TrainedModel nested = fit("blend(popularity; route(known=item_knn; fallback=popularity))");
  EXPECT_EQ(nested.similar(3, Filter{}, 5), knn.similar(3, Filter{}, 5));
  const TrainedModel none = fit("route(fallback=popularity)");
  EXPECT_THROW(none.similar(3, Filter{}, 5), ConfigError);
}

TEST(RouteModel, PipelinesNest) {
  const TrainedModel m =
      fit("route:min_history=2(known=blend:normalize=rank(item_knn; 2*popularity); "
          "fallback=trending)");
  EXPECT_EQ(m.spec().rfind("route:min_history=2(known=blend:normalize=rank(item_knn:", 0), 0u) << m.spec();
  Query q{3, {}, {}};
  EXPECT_EQ(m.recommend(std::span(&q, 1), Filter{}, 20, RunContext{}).front().size(), 8u);
}

// Identical members anywhere in one pipeline are one model: fitted once, held once, saved once
// (the default route's EASE for known users and inside its one-item blend).
TEST(PipelineTree, IdenticalMembersAreOneModel) {
  const TrainedModel m =
      fit("route:min_history=2(known=ease; few=blend(0.8*ease; 0.2*popularity); fallback=popularity)");
  const auto& route = dynamic_cast<const Pipeline&>(m.model());
  const auto& blend = dynamic_cast<const Pipeline&>(*route.members()[1].model);
  EXPECT_EQ(route.members()[0].model.get(), blend.members()[0].model.get());  // the two EASE
  EXPECT_EQ(route.members()[2].model.get(), blend.members()[1].model.get());  // the two popularity
  const TrainedModel apart = fit("blend(ease:recency=0; ease)");              // different specs stay apart
  const auto& two = dynamic_cast<const Pipeline&>(apart.model()).members();
  EXPECT_NE(two[0].model.get(), two[1].model.get());
  const auto size_of = [](const Recommender& model) {
    BinaryWriter out;
    model.save(out);
    return out.bytes().size();
  };
  const TrainedModel ease = fit("ease");
  EXPECT_LT(size_of(m.model()), size_of(ease.model()) + 1024);  // one EASE payload, not two
  // Saved and loaded, the shared model answers as before.
  BinaryWriter out;
  m.model().save(out);
  const auto again = create_model(m.spec());
  BinaryReader in(out.bytes(), "test payload");
  again->load(in);
  for (UserIdx u = 0; u < Checkerboard::kUsers; ++u) {
    EXPECT_EQ(row_of(*again, user_query(m, u)), row_of(m.model(), user_query(m, u))) << "user " << u;
  }
}

}  // namespace
}  // namespace aisle

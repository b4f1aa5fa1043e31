// Session models on sessions small enough to score by hand: sequential_rules' weights, and
// session_knn's variants where they agree and where they must differ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "aisle/models/sequential_rules/sequential_rules.h"
#include "aisle/models/session_knn/session_knn.h"
#include "model_test_data.h"

namespace aisle {
namespace {

constexpr Timestamp kDay = 86400;

// One training session: its items in order, all at `time` (ties keep the listed order).
struct Session {
  std::vector<ItemIdx> items;
  Timestamp time = 0;
};

struct SessionData {
  Interactions pairs;
  Sequences sequences;
  Catalog catalog;
  ItemFacts facts;
};

SessionData make_sessions(std::uint32_t num_items, const std::vector<Session>& sessions) {
  SessionData d;
  std::vector<testing::Pair> list;
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const auto user = static_cast<UserIdx>(s);
    for (ItemIdx i : sessions[s].items) {
      d.sequences.items.push_back(i);
      d.sequences.times.push_back(sessions[s].time);
      d.sequences.types.push_back(0);
      const bool known =
          std::any_of(list.begin(), list.end(), [&](const testing::Pair& p) { return p.user == user && p.item == i; });
      if (!known) list.push_back({user, i, 1.0f, sessions[s].time});
    }
    d.sequences.offsets.push_back(d.sequences.items.size());
    d.sequences.users.push_back(user);
  }
  d.pairs = testing::make_pairs(static_cast<std::uint32_t>(sessions.size()), num_items, list);
  d.facts = ItemFacts::from_catalog(d.catalog, num_items);
  return d;
}

template <class M>
M fit(const std::string& args, const SessionData& d) {
  using Params = std::remove_cvref_t<decltype(std::declval<const M&>().parameters())>;
  M model(Params::schema().parse(args));
  FitContext c;
  c.run = RunContext(1);
  model.fit(TrainSet{d.pairs, d.facts, d.catalog, &d.sequences}, c);
  return model;
}

// The scores of an anonymous session: items oldest first, one time each.
std::vector<float> scores_of(const Recommender& m, const std::vector<ItemIdx>& items,
                             const std::vector<Timestamp>& times) {
  UserQuery q;
  q.items = items;
  q.times = times;
  std::vector<float> s(m.num_items());
  m.score_one(q, s);
  return s;
}

// Sessions [0 1 2], [0 1], [0 3 2]: from 0, rule 0->1 weighs 1 + 1, 0->2 1/2 + 1/2, 0->3 1.
const std::vector<Session> kRuleSessions = {{{0, 1, 2}, 10}, {{0, 1}, 20}, {{0, 3, 2}, 30}};

TEST(SequentialRules, WeighsFollowersByOneOverDistance) {
  const SessionData d = make_sessions(5, kRuleSessions);
  const auto m = fit<SequentialRules>("", d);
  EXPECT_EQ(scores_of(m, {3, 0}, {1, 2}), (std::vector<float>{0, 2, 1, 1, 0}));
  // The last item by time decides, whatever the order the items come in.
  EXPECT_EQ(scores_of(m, {0, 3}, {2, 1}), (std::vector<float>{0, 2, 1, 1, 0}));
  // From 3: only 3->2 (distance 1); 2 ends every session, so nothing follows it.
  EXPECT_EQ(scores_of(m, {3}, {1}), (std::vector<float>{0, 0, 1, 0, 0}));
  EXPECT_EQ(scores_of(m, {2}, {1}), (std::vector<float>(5, 0.0f)));
  EXPECT_EQ(scores_of(m, {}, {}), (std::vector<float>(5, 0.0f)));
}

TEST(SequentialRules, StepsAndPruningLimitTheRules) {
  const SessionData d = make_sessions(5, kRuleSessions);
  // One step: 0->2 (distance 2 in both sessions) is gone.
  EXPECT_EQ(scores_of(fit<SequentialRules>("steps=1", d), {0}, {1}), (std::vector<float>{0, 2, 0, 1, 0}));
  // The heaviest rule only.
  EXPECT_EQ(scores_of(fit<SequentialRules>("pruning=1", d), {0}, {1}), (std::vector<float>{0, 2, 0, 0, 0}));
}

TEST(SequentialRules, RulesStayWithinASession) {
  // 0 ends the first session and 4 starts the next: no rule 0 -> 4.
  const SessionData d = make_sessions(5, {{{1, 0}, 10}, {{4, 1}, 20}});
  const auto m = fit<SequentialRules>("", d);
  EXPECT_EQ(scores_of(m, {0}, {1}), (std::vector<float>(5, 0.0f)));
  EXPECT_EQ(scores_of(m, {4}, {1}), (std::vector<float>{0, 1, 0, 0, 0}));
}

TEST(SessionKnn, SknnRanksTheItemsOfTheMostSimilarSessionFirst) {
  // Session {0, 1}: Jaccard 2/3 with [0 1 4], 1/5 with [0 5 6 7], 0 with [8 9].
  const SessionData d = make_sessions(10, {{{0, 1, 4}, 10}, {{0, 5, 6, 7}, 20}, {{8, 9}, 30}});
  const auto m = fit<SessionKnn>("variant=sknn", d);
  const auto s = scores_of(m, {0, 1}, {100, 101});
  EXPECT_FLOAT_EQ(s[4], 2.0f / 3);
  EXPECT_FLOAT_EQ(s[5], 0.2f);
  EXPECT_FLOAT_EQ(s[7], 0.2f);
  EXPECT_FLOAT_EQ(s[0], 2.0f / 3 + 0.2f);  // items of the session stay scored
  EXPECT_EQ(s[8], 0.0f);
  EXPECT_EQ(s[2], 0.0f);
  // One neighbour: the most similar session alone.
  const auto one = scores_of(fit<SessionKnn>("variant=sknn,neighbors=1", d), {0, 1}, {100, 101});
  EXPECT_FLOAT_EQ(one[4], 2.0f / 3);
  EXPECT_EQ(one[5], 0.0f);
}

TEST(SessionKnn, SampleKeepsTheMostRecentSessions) {
  // Both share item 0; [0 5] ended later, so a sample of one compares it alone.
  const SessionData d = make_sessions(6, {{{0, 4}, 10}, {{0, 5}, 20}});
  const auto all = scores_of(fit<SessionKnn>("variant=sknn", d), {0}, {100});
  EXPECT_GT(all[4], 0.0f);
  EXPECT_GT(all[5], 0.0f);
  const auto sampled = scores_of(fit<SessionKnn>("variant=sknn,sample_size=1", d), {0}, {100});
  EXPECT_EQ(sampled[4], 0.0f);
  EXPECT_GT(sampled[5], 0.0f);
}

TEST(SessionKnn, VsknnWeighsTheNewerClicksOfTheSession) {
  // Session 0 then 1. [0 4] shares the older click, [1 5] the newer: sknn ties them, vsknn
  // gives [1 5] similarity (2/2)/2 and weight 1, [0 4] (1/2)/2 and weight 1/2 (step 2).
  const SessionData d = make_sessions(6, {{{0, 4}, 10}, {{1, 5}, 20}});
  const auto sknn = scores_of(fit<SessionKnn>("variant=sknn", d), {0, 1}, {100, 101});
  EXPECT_FLOAT_EQ(sknn[4], sknn[5]);
  const auto vsknn = scores_of(fit<SessionKnn>("variant=vsknn", d), {0, 1}, {100, 101});
  EXPECT_FLOAT_EQ(vsknn[5], 0.5f);
  EXPECT_FLOAT_EQ(vsknn[4], 0.125f);
  // The query's items are put in time order: the same session listed newest first.
  EXPECT_EQ(scores_of(fit<SessionKnn>("variant=vsknn", d), {1, 0}, {101, 100}), vsknn);
}

TEST(SessionKnn, StanRecencyOutweighsSimilarity) {
  // [0 4] is more similar to {0} than [0 5 6] but ended ten days earlier.
  const SessionData d = make_sessions(7, {{{0, 4}, 0}, {{0, 5, 6}, 10 * kDay}});
  const std::vector<ItemIdx> session{0};
  const std::vector<Timestamp> at{11 * kDay};
  const auto sknn = scores_of(fit<SessionKnn>("variant=sknn", d), session, at);
  EXPECT_GT(sknn[4], sknn[5]);
  const auto no_recency = scores_of(fit<SessionKnn>("variant=stan,lambda_snh=0", d), session, at);
  EXPECT_GT(no_recency[4], no_recency[5]);
  // Cosine 1/sqrt(2) x exp(-10 / 5) against 1/sqrt(3); both items one step from item 0.
  const auto stan = scores_of(fit<SessionKnn>("variant=stan", d), session, at);
  EXPECT_GT(stan[5], stan[4]);
  EXPECT_NEAR(stan[5] / stan[4], std::sqrt(2.0 / 3.0) * std::exp(2.0), 1e-4);
}

TEST(SessionKnn, StanWeighsNeighbourItemsByTheirDistanceToTheSharedItem) {
  // In [4 7 0 5], 7 and 5 lie next to the shared item 0, 4 two steps away.
  const SessionData d = make_sessions(8, {{{4, 7, 0, 5}, 10}});
  const auto sknn = scores_of(fit<SessionKnn>("variant=sknn", d), {0}, {100});
  EXPECT_FLOAT_EQ(sknn[4], sknn[7]);
  const auto stan = scores_of(fit<SessionKnn>("variant=stan", d), {0}, {100});
  EXPECT_FLOAT_EQ(stan[7], stan[5]);
  EXPECT_NEAR(stan[4] / stan[7], std::exp(-1.0 / 2.05), 1e-5);
  EXPECT_EQ(scores_of(fit<SessionKnn>("variant=stan,lambda_inh=0", d), {0}, {100})[4], stan[0]);
}

TEST(SessionKnn, VstanDiscountsItemsInManySessions) {
  // 1 and 2 both follow 0 once, but 1 also occurs in three other sessions: its IDF is lower.
  const SessionData d = make_sessions(5, {{{0, 1}, 10}, {{0, 2}, 20}, {{1, 3}, 30}, {{1, 3}, 40}, {{1, 4}, 50}});
  const auto stan = scores_of(fit<SessionKnn>("variant=stan,lambda_snh=0", d), {0}, {100});
  EXPECT_FLOAT_EQ(stan[1], stan[2]);
  const auto vstan = scores_of(fit<SessionKnn>("variant=vstan,lambda_snh=0", d), {0}, {100});
  EXPECT_GT(vstan[2], vstan[1]);
  // 1 + 5 log(5 sessions / 4 events) against 1 + 5 log(5 / 1).
  EXPECT_NEAR(vstan[1] / vstan[2], (1 + 5 * std::log(5.0 / 4.0)) / (1 + 5 * std::log(5.0)), 1e-5);
}

TEST(SessionKnn, EveryVariantScoresTheSameAfterSaveAndLoad) {
  // The contract test runs the default variant; the others keep their index through a file too.
  const SessionData d = make_sessions(8, {{{4, 7, 0, 5}, 10}, {{0, 1, 2}, kDay}, {{1, 3, 3, 6}, 2 * kDay}});
  for (const std::string variant : {"sknn", "vsknn", "stan", "vstan"}) {
    const auto m = fit<SessionKnn>("variant=" + variant, d);
    BinaryWriter out;
    m.save(out);
    SessionKnn loaded(SessionKnnParams::schema().parse("variant=" + variant));
    BinaryReader in(out.bytes(), "test");
    loaded.load(in);
    const std::vector<ItemIdx> session{3, 0, 1};
    const std::vector<Timestamp> at{3 * kDay, 3 * kDay + 1, 3 * kDay + 2};
    const auto s = scores_of(m, session, at);
    EXPECT_EQ(scores_of(loaded, session, at), s) << variant;
    EXPECT_GT(s[2], 0.0f) << variant;
  }
}

// CandidateScorer's contract: the candidates are exactly the items the dense row scores above 0.
void expect_candidates_match_the_row(const Recommender& m, const std::vector<ItemIdx>& items,
                                     const std::vector<Timestamp>& times) {
  UserQuery q;
  q.items = items;
  q.times = times;
  std::vector<Scored> listed;
  capability<CandidateScorer>(m)->candidates(q, listed);
  std::sort(listed.begin(), listed.end(), [](const Scored& a, const Scored& b) { return a.item < b.item; });
  std::vector<Scored> positive;
  const auto row = scores_of(m, items, times);
  for (ItemIdx i = 0; i < row.size(); ++i) {
    if (row[i] > 0.0f) positive.push_back({i, row[i]});
  }
  EXPECT_FALSE(positive.empty());
  EXPECT_EQ(listed, positive) << m.params();
}

TEST(SessionModels, CandidatesAreTheItemsScoredAboveZero) {
  const SessionData d = make_sessions(8, {{{4, 7, 0, 5}, 10}, {{0, 1, 2}, kDay}, {{1, 3, 3, 6}, 2 * kDay}});
  for (const std::string variant : {"sknn", "vsknn", "stan", "vstan"}) {
    expect_candidates_match_the_row(fit<SessionKnn>("variant=" + variant, d), {3, 0, 1}, {1, 2, 3});
  }
  expect_candidates_match_the_row(fit<SequentialRules>("", d), {3, 0, 1}, {1, 2, 3});
}

std::vector<Scored> explained(const Recommender& m, const std::vector<ItemIdx>& items,
                              const std::vector<Timestamp>& times, ItemIdx item, std::size_t n = 10) {
  UserQuery q;
  q.items = items;
  q.times = times;
  std::vector<Scored> out = {{99, 1.0f}};  // replaced, not appended to
  capability<Explainer>(m)->explain(q, item, n, out);
  return out;
}

TEST(SequentialRules, ExplainsAnItemByTheNewestItemsRule) {
  const SessionData d = make_sessions(5, kRuleSessions);
  const auto m = fit<SequentialRules>("", d);
  // 0 is the newest by time: its rule 0 -> 1 weighs 2, the whole score.
  EXPECT_EQ(explained(m, {0, 3}, {2, 1}, 1), (std::vector<Scored>{{0, 2.0f}}));
  EXPECT_TRUE(explained(m, {3, 0}, {1, 2}, 4).empty());  // no rule 0 -> 4
  EXPECT_TRUE(explained(m, {3, 0}, {1, 2}, 1, 0).empty());
  EXPECT_TRUE(explained(m, {}, {}, 1).empty());
}

TEST(SessionKnn, EveryVariantExplainsAnItemByTheSessionItemsItsNeighboursShare) {
  // Three sessions hold 0 then 3, one holds 1 then 3 (and 7): from the session [1, 0], item 3 is
  // mostly because of 0, item 7 only because of 1.
  const SessionData d = make_sessions(
      9, {{{0, 3, 5}, 10}, {{0, 3, 6}, 20}, {{0, 3, 8}, 30}, {{1, 3, 7}, 40}, {{1, 4}, 50}, {{2, 6}, 60}});
  const std::vector<ItemIdx> session{1, 0};
  const std::vector<Timestamp> at{100, 101};
  for (const std::string variant : {"sknn", "vsknn", "stan", "vstan"}) {
    const auto m = fit<SessionKnn>("variant=" + variant, d);
    const auto scores = scores_of(m, session, at);
    const auto three = explained(m, session, at, 3);
    ASSERT_EQ(three.size(), 2u) << variant;
    EXPECT_EQ(three[0].item, 0u) << variant;
    EXPECT_EQ(three[1].item, 1u) << variant;
    // Every neighbour's addition is split among the shared items: the parts sum to the score.
    EXPECT_NEAR(three[0].score + three[1].score, scores[3], 1e-5f * scores[3]) << variant;
    const auto seven = explained(m, session, at, 7);
    ASSERT_EQ(seven.size(), 1u) << variant;
    EXPECT_EQ(seven[0].item, 1u) << variant;
    EXPECT_NEAR(seven[0].score, scores[7], 1e-5f * scores[7]) << variant;
    EXPECT_EQ(explained(m, session, at, 3, 1), (std::vector<Scored>{three[0]})) << variant;
    EXPECT_TRUE(explained(m, session, at, 2).empty()) << variant;  // no neighbour holds 2
    // Explaining leaves the per-thread state as it found it: scores do not change.
    EXPECT_EQ(scores_of(m, session, at), scores) << variant;
  }
}

TEST(SessionModels, RefuseAFileOfAnotherFormatVersion) {
  BinaryWriter out;
  out.put<std::uint32_t>(99);
  BinaryReader knn_in(out.bytes(), "test");
  SessionKnn knn(SessionKnnParams{});
  EXPECT_THROW(knn.load(knn_in), InputError);
  BinaryReader rules_in(out.bytes(), "test");
  SequentialRules rules(SequentialRulesParams{});
  EXPECT_THROW(rules.load(rules_in), InputError);
}

}  // namespace
}  // namespace aisle

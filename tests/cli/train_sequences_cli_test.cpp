// `aisle train` gives models that learn from order (sequential_rules, session_knn) the events as
// sequences: sessions by id, else split at interactions.session_gap_seconds. Session gap 0 makes
// one sequence per user in time order, which is what the pairs fallback (sequences_from_pairs)
// sees, so it stands for the behaviour before.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

// Users u0-u9: a session [a, b], a day later a session [c, d]; users u10-u14: one session [b, e].
// In sessions, b is followed by e only; in each user's history as one sequence, b is followed by
// c (ten times) far more than by e (five).
std::string events_csv(bool session_column) {
  std::string csv = session_column ? "user,item,timestamp,session\n" : "user,item,timestamp\n";
  const auto row = [&](int u, const char* item, long long t, int session) {
    csv += "u" + std::to_string(u) + "," + item + "," + std::to_string(t);
    if (session_column) csv += ",s" + std::to_string(u) + "-" + std::to_string(session);
    csv += "\n";
  };
  for (int u = 0; u < 15; ++u) {
    const long long t = 1'700'000'000LL + u * 1000;
    if (u < 10) {
      row(u, "a", t, 1);
      row(u, "b", t + 60, 1);
      row(u, "c", t + 86'400, 2);
      row(u, "d", t + 86'460, 2);
    } else {
      row(u, "b", t, 1);
      row(u, "e", t + 60, 1);
    }
  }
  return csv;
}

class TrainSequencesCli : public ::testing::Test {
 protected:
  // Trains `model` on `events` and returns the train output; the model file is model_.
  std::string train(const std::string& model, const std::string& events, const std::string& config = "") {
    std::string args = "train --model " + model + " --events " + events + " --out " + model_ + " --threads 1";
    if (!config.empty()) args = "--config " + config + " " + args;
    const Result r = test::run_aisle(args);
    EXPECT_EQ(r.code, 0) << r.output;
    return r.output;
  }
  // item id -> score for the anonymous history `items`.
  std::map<std::string, double> recommend(const std::string& items, int k) {
    const Result r =
        test::run_aisle("recommend --model " + model_ + " --items " + items + " --k " + std::to_string(k) + " --json");
    EXPECT_EQ(r.code, 0) << r.output;
    std::map<std::string, double> out;
    const auto answer = nlohmann::json::parse(r.output);
    for (const auto& e : answer["items"]) {
      out[e["item_id"].get<std::string>()] = e["score"].get<double>();
    }
    EXPECT_EQ(out.size(), static_cast<std::size_t>(k)) << r.output;
    return out;
  }
  std::string top(const std::string& items) {
    const Result r = test::run_aisle("recommend --model " + model_ + " --items " + items + " --k 1 --json");
    EXPECT_EQ(r.code, 0) << r.output;
    return nlohmann::json::parse(r.output)["items"].at(0)["item_id"];
  }

  test::TempDir dir_;
  const std::string model_ = dir_.file("m.bin");
  const std::string with_sessions_ = dir_.write("sessions.csv", events_csv(true));
  const std::string without_sessions_ = dir_.write("events.csv", events_csv(false));
  const std::string no_gap_ = dir_.write("aisle.toml", "[interactions]\nsession_gap_seconds = 0\n");
};

TEST_F(TrainSequencesCli, SequentialRulesLearnWhatFollowsWithinASession) {
  std::string out = train("sequential_rules", with_sessions_);
  EXPECT_TRUE(contains(out, "sequences: 25 sessions of 50 events")) << out;
  EXPECT_EQ(top("b"), "e");
  // Without session ids the day between a user's sessions splits them (default gap 30 min).
  out = train("sequential_rules", without_sessions_);
  EXPECT_TRUE(contains(out, "sequences: 25 sessions of 50 events")) << out;
  EXPECT_EQ(top("b"), "e");
  // Gap 0: one sequence per user, as the pairs fallback has it: b -> c across sessions.
  out = train("sequential_rules", without_sessions_, no_gap_);
  EXPECT_TRUE(contains(out, "sequences: 15 sessions of 50 events")) << out;
  EXPECT_EQ(top("b"), "c");
}

TEST_F(TrainSequencesCli, SessionKnnFindsNeighboursAmongSessions) {
  train("session_knn:variant=sknn", with_sessions_);
  // The sessions holding c are [c, d]: d scores, a and b (another session of those users) do not.
  std::map<std::string, double> scores = recommend("c", 4);
  EXPECT_GT(scores.at("d"), 0) << "d";
  EXPECT_EQ(scores.at("a"), 0);
  EXPECT_EQ(scores.at("b"), 0);
  // One sequence per user (the pairs fallback's view): a and b are neighbours' items too.
  train("session_knn:variant=sknn", with_sessions_, no_gap_);  // session ids still split
  EXPECT_EQ(recommend("c", 4).at("a"), 0);
  train("session_knn:variant=sknn", without_sessions_, no_gap_);
  scores = recommend("c", 4);
  EXPECT_GT(scores.at("a"), 0);
  EXPECT_GT(scores.at("b"), 0);
}

// model.spec in aisle.toml names the default recommender, pipelines included; a route's session
// member answers --session queries, its fallback the others.
TEST_F(TrainSequencesCli, TheConfiguredSpecIsWhatTrainFitsByDefault) {
  const std::string config =
      dir_.write("route.toml", "[model]\nspec = \"route(session=sequential_rules; fallback=popularity)\"\n");
  const Result r =
      test::run_aisle("--config " + config + " train --events " + with_sessions_ + " --out " + model_ + " --threads 1");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "training route(session=sequential_rules; fallback=popularity)")) << r.output;
  EXPECT_TRUE(contains(r.output, "sequences: 25 sessions")) << r.output;  // a member learns from order
  const Result session = test::run_aisle("recommend --model " + model_ + " --items b --session --k 1 --json");
  ASSERT_EQ(session.code, 0) << session.output;
  EXPECT_EQ(nlohmann::json::parse(session.output)["items"].at(0)["item_id"], "e");
  // Not a session: popularity, whose top item after b is c or d (weight 2 each) before e.
  const Result few = test::run_aisle("recommend --model " + model_ + " --items b --k 1 --json");
  ASSERT_EQ(few.code, 0) << few.output;
  EXPECT_NE(nlohmann::json::parse(few.output)["items"].at(0)["item_id"], "e");

  const std::string bad = dir_.write("bad.toml", "[model]\nspec = \"route(known=ease)\"\n");
  const Result refused = test::run_aisle("--config " + bad + " train --events " + with_sessions_ + " --out " + model_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_TRUE(contains(refused.output, "model.spec: route: needs a fallback member")) << refused.output;
}

TEST_F(TrainSequencesCli, ModelsThatFitOnPairsBuildNoSequences) {
  const std::string out = train("item_knn", with_sessions_);
  EXPECT_FALSE(contains(out, "sequences:")) << out;
}

}  // namespace
}  // namespace aisle

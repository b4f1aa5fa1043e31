// split -> evaluate -> tune through the real binary, on a slice of the Online Retail reference
// split (tests/fixtures/eval).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

const std::string kTrain = test::fixture("eval/or-train.csv.zst");
const std::string kTest = test::fixture("eval/or-test.csv.zst");

std::size_t line_count(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST(EvalCli, NextItemReadsSessionFilesAndScoresEveryLaterClick) {
  test::TempDir dir;
  // Training: "x" is followed by "y" in most sessions; popularity ranks "p" first.
  std::string train = "SessionId\tItemId\tTime\n";
  for (int s = 0; s < 6; ++s) {
    const std::string id = std::to_string(s);
    train += id + "\tp\t100." + id + "\n" + id + "\tp\t101\n" + id + "\tq\t102\n";
  }
  const std::string test = "SessionId\tItemId\tTime\n1\tp\t200.5\n1\tp\t200.7\n1\tz\t201\n2\tq\t300\n";
  const Result r =
      test::run_aisle("evaluate --protocol next-item --format sessions --train " + dir.write("train.tsv", train) +
                      " --test " + dir.write("test.tsv", test) + " --models popularity --k 1 --threads 1");
  ASSERT_EQ(r.code, 0) << r.output;
  // Session 1 gives two predictions (p after p: a hit at 1; z: unknown, a miss); session 2 none.
  EXPECT_TRUE(contains(r.output, "1 test sessions, 2 predictions, 1 targets unknown to training")) << r.output;
  EXPECT_TRUE(contains(r.output, "| 0.5000 [")) << r.output;
  const Result missing =
      test::run_aisle("evaluate --protocol next-item --format sessions --train " + dir.file("train.tsv"));
  EXPECT_NE(missing.code, 0);
  EXPECT_TRUE(contains(missing.output, "needs --train and --test")) << missing.output;
}

TEST(EvalCli, NewUsersHoldsOutUsersAndReportsEveryHistoryLength) {
  test::TempDir dir;
  const Result r = test::run_aisle("evaluate --events " + kTrain +
                                   " --protocol new-users --first 1,3 --holdout-share 0.2 --models popularity,ease "
                                   "--threads 1 --resamples 50 --out " +
                                   dir.file("report"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "users held out whole (share 0.20, seed 42), first-1")) << r.output;
  EXPECT_TRUE(contains(r.output, "first-3")) << r.output;
  for (const char* n : {"first-1", "first-3"}) {
    const auto j = nlohmann::json::parse(test::read_file(dir.file(std::string("report/") + n + "/report.json")));
    EXPECT_GT(j["dataset"]["evaluated_users"].get<int>(), 0);
    ASSERT_EQ(j["models"].size(), 2u);
  }
  const Result bad = test::run_aisle("evaluate --events " + kTrain + " --protocol new-users --holdout-share 1");
  EXPECT_NE(bad.code, 0);
  EXPECT_TRUE(contains(bad.output, "between 0 and 1")) << bad.output;
}

TEST(EvalCli, EvaluateWritesReportsWithIntervalsAndComparisons) {
  test::TempDir dir;
  const Result r = test::run_aisle("evaluate --train " + kTrain + " --test " + kTest +
                                   " --models popularity,als:factors=8,iterations=3,ease --k 5,10 --threads 1 --out " +
                                   dir.file("report"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "80 users evaluated")) << r.output;
  EXPECT_TRUE(contains(r.output, "als:factors=8,")) << r.output;  // the comma-separated spec stayed whole
  const auto j = nlohmann::json::parse(test::read_file(dir.file("report/report.json")));
  EXPECT_EQ(j["ranking"], "full ranking");
  EXPECT_EQ(j["dataset"]["evaluated_users"], 80);
  EXPECT_EQ(j["dataset"]["sha256"].size(), 2u);
  ASSERT_EQ(j["models"].size(), 3u);
  EXPECT_EQ(j["baseline"], j["models"][0]["spec"]);
  for (const auto& m : j["models"]) {
    for (const char* name : {"hr@5", "ndcg@10", "recall@10", "map@10", "mrr@5", "f1@10", "precision@5"}) {
      ASSERT_TRUE(m["metrics"].contains(name)) << name;
      const double v = m["metrics"][name]["value"], lo = m["metrics"][name]["ci95"][0],
                   hi = m["metrics"][name]["ci95"][1];
      EXPECT_LE(lo, v);
      EXPECT_LE(v, hi);
    }
    EXPECT_TRUE(m["metrics"].contains("coverage@10"));
    EXPECT_GT(m["fit_seconds"].get<double>(), 0.0);
    EXPECT_GT(m["users_per_second"].get<double>(), 0.0);
    EXPECT_TRUE(m["segments"].contains("10+"));
  }
  EXPECT_FALSE(j["models"][0].contains("vs_baseline"));
  const auto& ease = j["models"][2];
  EXPECT_GE(ease["vs_baseline"]["ndcg@10"]["p_value"].get<double>(), 0.0);
  EXPECT_LE(ease["vs_baseline"]["ndcg@10"]["p_value"].get<double>(), 1.0);
  EXPECT_TRUE(ease["ab"].contains("extra_hits_per_10k_users"));
  EXPECT_TRUE(contains(test::read_file(dir.file("report/report.html")), "<svg"));
  EXPECT_TRUE(contains(test::read_file(dir.file("report/report.md")), "## A/B view"));
}

// A route is evaluated like any model, with its results per segment: users with 1-9 training
// pairs are its `few` (popularity's answers), the others its `known` (EASE's answers).
TEST(EvalCli, ARouteReportsItsSegmentsAndEachAnswersAsItsMember) {
  test::TempDir dir;
  const Result r = test::run_aisle(
      "evaluate --train " + kTrain + " --test " + kTest +
      " --models 'popularity,ease,route:min_history=10(known=ease; few=popularity; fallback=popularity)' --k 10 "
      "--segments 10 --threads 1 --resamples 20 --out " +
      dir.file("report"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "routes of route")) << r.output;
  const auto j = nlohmann::json::parse(test::read_file(dir.file("report/report.json")));
  ASSERT_EQ(j["models"].size(), 3u);
  const auto &popularity = j["models"][0], ease = j["models"][1], route = j["models"][2];
  EXPECT_FALSE(ease.contains("routes"));
  const auto& routes = route["routes"];
  const auto& segments = j["segments"];  // "1-9", "10+"
  EXPECT_EQ(routes["few"]["users"], segments[0]["users"]);
  EXPECT_EQ(routes["known"]["users"], segments[1]["users"]);
  EXPECT_EQ(routes["session"]["users"], 0);
  EXPECT_NEAR(routes["few"]["ndcg@10"].get<double>(), popularity["segments"]["1-9"]["ndcg@10"].get<double>(), 1e-12);
  EXPECT_NEAR(routes["known"]["ndcg@10"].get<double>(), ease["segments"]["10+"]["ndcg@10"].get<double>(), 1e-12);
  EXPECT_TRUE(contains(test::read_file(dir.file("report/report.md")), "## Routes of"));
}

// A model that learns from order is fitted on the training events' sessions in every protocol,
// not on pairs: b is followed by e within sessions (10 users), by c only a day later (12 users).
TEST(EvalCli, SessionModelsLearnFromTheTrainingSessionsOfAPairSplit) {
  test::TempDir dir;
  std::string train = "user,item,weight,timestamp\n", test_pairs = "user,item,weight,timestamp\n";
  for (int u = 0; u < 12; ++u) {
    const std::string id = "s" + std::to_string(u), t = std::to_string(1'000'000 + u * 1000);
    train += id + ",a,1," + t + "\n" + id + ",b,1," + std::to_string(1'000'000 + u * 1000 + 60) + "\n";
    train += id + ",c,1," + std::to_string(1'100'000 + u * 1000) + "\n";
  }
  for (int u = 0; u < 10; ++u) {
    const std::string id = "e" + std::to_string(u), t = std::to_string(2'000'000 + u * 1000);
    train += id + ",b,1," + t + "\n" + id + ",e,1," + std::to_string(2'000'000 + u * 1000 + 60) + "\n";
  }
  train += "x,a,1,3000000\nx,b,1,3000060\n";
  test_pairs += "x,e,1,3000120\n";
  const Result r = test::run_aisle(
      "evaluate --train " + dir.write("train.csv", train) + " --test " + dir.write("test.csv", test_pairs) +
      " --models sequential_rules --k 1 --threads 1 --resamples 20 --out " + dir.file("r"));
  ASSERT_EQ(r.code, 0) << r.output;
  const auto j = nlohmann::json::parse(test::read_file(dir.file("r/report.json")));
  // From pairs alone (each user's items by time, one sequence), b -> c (12 users) beats b -> e.
  EXPECT_EQ(j["models"][0]["metrics"]["hr@1"]["value"], 1.0) << r.output;
}

TEST(EvalCli, SplitThenEvaluateEqualsEvaluatingTheSource) {
  test::TempDir dir;
  // Split the training file itself (leave-last-out), then evaluate on the written files and
  // directly: the written split is exactly the one used.
  const Result s = test::run_aisle("split --events " + kTrain + " --out " + dir.file("split"));
  ASSERT_EQ(s.code, 0) << s.output;
  EXPECT_TRUE(contains(s.output, "leave-last-out")) << s.output;
  EXPECT_GT(line_count(dir.file("split/train.csv")), line_count(dir.file("split/test.csv")));
  const std::string models = " --models popularity,item_knn --threads 1 --resamples 50 --out ";
  const Result direct = test::run_aisle("evaluate --events " + kTrain + models + dir.file("direct"));
  const Result given = test::run_aisle("evaluate --train " + dir.file("split/train.csv") + " --test " +
                                       dir.file("split/test.csv") + models + dir.file("given"));
  ASSERT_EQ(direct.code, 0) << direct.output;
  ASSERT_EQ(given.code, 0) << given.output;
  const auto a = nlohmann::json::parse(test::read_file(dir.file("direct/report.json")));
  const auto b = nlohmann::json::parse(test::read_file(dir.file("given/report.json")));
  EXPECT_EQ(a["dataset"]["evaluated_users"], b["dataset"]["evaluated_users"]);
  EXPECT_EQ(a["dataset"]["test_pairs"], b["dataset"]["test_pairs"]);
  EXPECT_EQ(a["dataset"]["ranked_items"], b["dataset"]["ranked_items"]);
  // Hits do not depend on the order ids were first seen in (which breaks exact ties).
  for (std::size_t m = 0; m < 2; ++m) {
    for (const char* name : {"hr@10", "recall@10", "ndcg@10"}) {
      EXPECT_DOUBLE_EQ(a["models"][m]["metrics"][name]["value"].get<double>(),
                       b["models"][m]["metrics"][name]["value"].get<double>())
          << name;
    }
  }
}

// The "N users not evaluated: ..." clause of a command's output, up to the end of its line.
std::string left_out_clause(const std::string& output) {
  const std::size_t at = output.find(" not evaluated");
  if (at == std::string::npos) return "(none)";
  const std::size_t line = output.rfind('\n', at), clause = output.rfind("; ", at);
  const std::size_t begin = clause != std::string::npos && (line == std::string::npos || clause > line)
                                ? clause + 2
                                : (line == std::string::npos ? 0 : line + 1);
  return output.substr(begin, output.find('\n', at) - begin);
}

TEST(EvalCli, SplitAndEvaluateCountTheSameUsersLeftOut) {
  test::TempDir dir;
  const std::string events = dir.write("events.csv",
                                       "user,item,weight,timestamp\n"
                                       "u1,a,1,100\nu1,b,1,100\nu1,c,1,200\n"  // evaluated on c
                                       "u2,a,1,100\nu2,c,1,300\n"
                                       "u3,b,1,100\nu3,c,1,100\n"  // one basket
                                       "u4,a,1,100\n"              // one pair
                                       "u5,b,1,100\nu5,a,1,150\n"
                                       "u6,c,1,100\nu6,b,1,400\n");
  const std::pair<std::string, std::string> cases[] = {
      {"--protocol leave-last-out",
       "2 users not evaluated: 1 with a single pair, 1 with all pairs at one time (nothing before the last basket)"},
      {"--protocol random --seed 7", "1 user not evaluated: 1 with a single pair"},
  };
  for (const auto& [protocol, expected] : cases) {
    const Result s = test::run_aisle("split --events " + events + " " + protocol + " --out " + dir.file("split"));
    ASSERT_EQ(s.code, 0) << s.output;
    const Result e = test::run_aisle("evaluate --events " + events + " " + protocol +
                                     " --models popularity --threads 1 --resamples 20 --out " + dir.file("report"));
    ASSERT_EQ(e.code, 0) << e.output;
    EXPECT_EQ(left_out_clause(s.output), expected) << s.output;
    EXPECT_EQ(left_out_clause(e.output), expected) << e.output;
    const auto j = nlohmann::json::parse(test::read_file(dir.file("report/report.json")));
    std::uint64_t total = 0;
    for (const auto& [reason, users] : j["dataset"]["users_not_evaluated"].items()) total += users.get<std::uint64_t>();
    EXPECT_EQ(total, protocol.find("random") != std::string::npos ? 1u : 2u);
    EXPECT_EQ(j["dataset"]["users_not_evaluated"]["single_pair"], 1);
    for (const char* file : {"report/report.md", "report/report.html"}) {
      EXPECT_TRUE(contains(test::read_file(dir.file(file)), expected)) << file;
    }
  }
}

TEST(EvalCli, WithoutModelsEvaluatesPopularityAndTheDefault) {
  const Result r = test::run_aisle("evaluate --train " + kTrain + " --test " + kTest + " --threads 1 --resamples 20");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "\npopularity ")) << r.output;  // labels: the specs less their defaults
  EXPECT_TRUE(contains(r.output, "\nroute:min_history=2(known=ease;")) << r.output;  // the default route
}

TEST(EvalCli, SampledProtocolIsLabelled) {
  const Result r = test::run_aisle("evaluate --train " + kTrain + " --test " + kTest +
                                   " --models popularity --sampled --resamples 20");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "sampled-100")) << r.output;
}

TEST(EvalCli, BadInputIsAClearError) {
  test::TempDir dir;
  Result r = test::run_aisle("evaluate --train " + kTrain + " --test " + kTest + " --models alss");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "unknown model 'alss'")) << r.output;
  r = test::run_aisle("evaluate --test " + kTest);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "--test needs --train")) << r.output;
  const std::string bad =
      dir.write("test.csv", "user,item,weight,timestamp\n12347,20719,4,1323273120\n12347,x,oops,1\n");
  r = test::run_aisle("evaluate --train " + kTrain + " --test " + bad + " --models popularity");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.output, "test.csv:3")) << r.output;
  r = test::run_aisle("evaluate --train " + kTrain + " --test " + kTest + " --k 10,zero");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "--k")) << r.output;
  r = test::run_aisle("split --events " + kTrain + " --protocol last --out " + dir.file("s"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "known: leave-last-out, temporal, random")) << r.output;
}

TEST(EvalCli, TuneFindsASpecAndResumesItsStudy) {
  test::TempDir dir;
  const std::string study = dir.file("als.jsonl");
  const std::string base = "tune --model als --train " + kTrain + " --threads 1 --startup 3 --study " + study;
  Result r = test::run_aisle(base + " --trials 5");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "best: als:factors=")) << r.output;
  EXPECT_EQ(line_count(study), 6u);  // header + 5 trials
  r = test::run_aisle(base + " --trials 7");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "resuming")) << r.output;
  EXPECT_EQ(line_count(study), 8u);
  // The same data under another name is the same study (journals check content, not paths).
  const std::string copy = dir.file("renamed.csv.zst");
  std::filesystem::copy_file(kTrain, copy);
  r = test::run_aisle("tune --model als --train " + copy + " --threads 1 --startup 3 --study " + study + " --trials 8");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "resuming")) << r.output;
  EXPECT_EQ(line_count(study), 9u);
  // Another model's study in the same journal is refused, and the journal is left as it was.
  r = test::run_aisle("tune --model ease --train " + kTrain + " --trials 2 --study " + study);
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.output, "give another --study file")) << r.output;
  EXPECT_EQ(line_count(study), 9u);
  r = test::run_aisle("tune --model als --train " + kTrain + " --test " + kTest);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, "never reads a test split")) << r.output;
}

}  // namespace
}  // namespace aisle

// train -> recommend -> similar through the real binary, on the bundled tiny exchange-format file.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

Result run(const std::string& args) {
  return test::run_aisle(args);
}

TEST(ModelsCli, TrainRecommendSimilar) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  const Result train = run("train --model als:factors=4,iterations=3 --events " +
                           test::fixture("models/tiny-events.csv") + " --out " + model + " --threads 1");
  ASSERT_EQ(train.code, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "training als:factors=4,iterations=3 on 12 users, 15 items, 60 pairs"))
      << train.output;
  EXPECT_FALSE(contains(train.output, "step  loss")) << train.output;  // the loss only when asked for

  const Result rec = run("recommend --model " + model + " --user c0 --k 4 --json");
  ASSERT_EQ(rec.code, 0) << rec.output;
  const auto answer = nlohmann::json::parse(rec.output);
  EXPECT_EQ(answer["user"], "c0");
  EXPECT_EQ(answer["served_as"], "model");
  EXPECT_TRUE(answer["model"].get<std::string>().starts_with("als:factors=4,")) << rec.output;
  const auto& list = answer["items"];
  ASSERT_EQ(list.size(), 4u);
  for (const auto& e : list) {
    EXPECT_TRUE(e.contains("item_id") && e.contains("score") && e.contains("name") && e.contains("category") &&
                e.contains("price"));
  }

  const Result anon = run("recommend --model " + model + " --items sku1,sku2 --k 20 --json --exclude sku3");
  ASSERT_EQ(anon.code, 0) << anon.output;
  const auto anon_answer = nlohmann::json::parse(anon.output);
  const auto& anon_list = anon_answer["items"];
  EXPECT_EQ(anon_list.size(), 12u);  // 15 items - 2 in the history - 1 excluded
  for (const auto& e : anon_list) {
    EXPECT_TRUE(e["item_id"] != "sku1" && e["item_id"] != "sku2" && e["item_id"] != "sku3");
  }
  EXPECT_TRUE(contains(anon_answer["notes"].dump(), "only 12 of the 20")) << anon.output;

  const Result sim = run("similar --model " + model + " --item sku1 --k 3");
  ASSERT_EQ(sim.code, 0) << sim.output;
  EXPECT_FALSE(contains(sim.output, "sku1 ")) << sim.output;
}

// --explain: each recommendation names the history items behind it, in every output format.
TEST(ModelsCli, TrainPrintsTheLossOnlyWithTheLossFlag) {
  test::TempDir dir;
  const Result train = run("train --model als:factors=4,iterations=3 --loss --events " +
                           test::fixture("models/tiny-events.csv") + " --out " + dir.file("m.bin") + " --threads 1");
  ASSERT_EQ(train.code, 0) << train.output;
  const std::size_t table = train.output.find("step  loss");
  ASSERT_NE(table, std::string::npos) << train.output;
  // Three rows, "   1  <loss>", each loss a finite positive number, non-increasing.
  std::istringstream rows(train.output.substr(table));
  std::string header;
  std::getline(rows, header);
  double previous = 1e300;
  for (int step = 1; step <= 3; ++step) {
    int shown = 0;
    double loss = 0;
    ASSERT_TRUE(rows >> shown >> loss) << train.output;
    std::string rest;
    std::getline(rows, rest);
    EXPECT_EQ(shown, step);
    EXPECT_TRUE(std::isfinite(loss) && loss > 0.0) << loss;
    EXPECT_LE(loss, previous * (1.0 + 1e-6));
    previous = loss;
  }
}

TEST(ModelsCli, RecommendExplainsFromTheHistory) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  ASSERT_EQ(run("train --model ease --events " + test::fixture("models/tiny-events.csv") + " --out " + model).code, 0);
  const std::set<std::string> history = {"sku3", "sku9", "sku8", "sku2", "sku5"};  // c0's

  const Result json = run("recommend --model " + model + " --user c0 --k 3 --explain --json");
  ASSERT_EQ(json.code, 0) << json.output;
  const auto answer = nlohmann::json::parse(json.output);
  ASSERT_EQ(answer["items"].size(), 3u);
  for (const auto& e : answer["items"]) {
    ASSERT_TRUE(e.contains("because")) << json.output;
    const auto& because = e["because"];
    ASSERT_FALSE(because.empty()) << json.output;
    EXPECT_LE(because.size(), 3u);
    float sum = 0, previous = 1e30f;
    for (const auto& c : because) {
      EXPECT_TRUE(history.count(c["item"].get<std::string>())) << json.output;
      const float contribution = c["contribution"].get<float>();
      EXPECT_GT(contribution, 0.0f);
      EXPECT_LE(contribution, previous);
      previous = contribution;
      sum += contribution;
    }
    EXPECT_GT(sum, 0.0f);
  }
  const Result plain_json = run("recommend --model " + model + " --user c0 --k 3 --json");
  EXPECT_FALSE(contains(plain_json.output, "because")) << plain_json.output;

  const Result text = run("recommend --model " + model + " --user c0 --k 3 --explain");
  ASSERT_EQ(text.code, 0) << text.output;
  std::size_t lines = 0;
  for (std::size_t at = text.output.find("because: "); at != std::string::npos;
       at = text.output.find("because: ", at + 1)) {
    ++lines;
    const std::string first = text.output.substr(at + 9, text.output.find(' ', at + 9) - at - 9);
    EXPECT_TRUE(history.count(first)) << text.output;
  }
  EXPECT_EQ(lines, 3u) << text.output;
  EXPECT_TRUE(contains(text.output, "%)")) << text.output;
  EXPECT_FALSE(contains(run("recommend --model " + model + " --user c0 --k 3").output, "because"));

  const std::string users = dir.write("users.txt", "c0\nnobody\n");
  const Result batch = run("recommend --model " + model + " --users " + users + " --k 2 --explain");
  ASSERT_EQ(batch.code, 0) << batch.output;
  EXPECT_TRUE(contains(batch.output, "user,rank,item_id,name,category,price,score,served_as,because\n"))
      << batch.output;
  EXPECT_TRUE(contains(batch.output, ",model,\"sku") || contains(batch.output, ",model,sku")) << batch.output;
  EXPECT_TRUE(contains(batch.output, ",cold_start,\n")) << batch.output;  // nothing to explain a cold start by
}

TEST(ModelsCli, ClearErrors) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  const std::string events = test::fixture("models/tiny-events.csv");
  EXPECT_EQ(run("train --model alss --events " + events + " --out " + model).code, 2);
  EXPECT_TRUE(contains(run("train --model alss --events " + events + " --out " + model).output,
                       "unknown model 'alss'; known: popularity, trending, als"));
  ASSERT_EQ(run("train --model popularity --events " + events + " --out " + model).code, 0);
  const Result user = run("recommend --model " + model + " --user nobody --strict-ids");
  EXPECT_EQ(user.code, 3);
  EXPECT_TRUE(contains(user.output, "user: 'nobody' is not in the model's training data")) << user.output;
  const Result item = run("recommend --model " + model + " --items nope,nada");
  EXPECT_EQ(item.code, 3);
  EXPECT_TRUE(contains(item.output, "items: none of 'nope', 'nada' is in the model")) << item.output;
  const Result similar = run("similar --model " + model + " --item sku1");
  EXPECT_EQ(similar.code, 2);
  EXPECT_TRUE(contains(similar.output, "model 'popularity' cannot find similar items; models that can: als, bpr"))
      << similar.output;
  const Result missing = run("recommend --model " + dir.file("none.bin") + " --user c0");
  EXPECT_EQ(missing.code, 3);
  EXPECT_TRUE(contains(missing.output, "none.bin: cannot open the model file")) << missing.output;
}

TEST(ModelsCli, ModelsReferenceMatchesDocs) {
  const Result models = run("models --markdown");
  ASSERT_EQ(models.code, 0);
  EXPECT_EQ(models.output, test::read_file(std::string(AISLE_FIXTURES) + "/../../docs/MODELS.md"))
      << "regenerate docs/MODELS.md with: aisle models --markdown > docs/MODELS.md";
}

TEST(ModelsCli, EarlyStoppingChoosesTheIterationsOnValidation) {
  test::TempDir dir;
  const Result r = run("train --model als:factors=8,iterations=25 --events " + test::fixture("eval/or-train.csv.zst") +
                       " --early-stop ndcg@10 --patience 2 --threads 1 --out " + dir.file("m.bin"));
  ASSERT_EQ(r.code, 0) << r.output;
  // The best step is the iteration count of the model fitted on all the training pairs, and its
  // value is the curve's highest.
  const auto best = r.output.find("best: step ");
  ASSERT_NE(best, std::string::npos) << r.output;
  const int step = std::stoi(r.output.substr(best + 11));
  const auto line = r.output.find("\n" + std::string(step < 10 ? "   " : "  ") + std::to_string(step) + "  ");
  ASSERT_NE(line, std::string::npos) << r.output;
  const double value = std::stod(r.output.substr(line + 7));
  EXPECT_TRUE(contains(r.output.substr(best), std::to_string(value).substr(0, 6))) << r.output;
  EXPECT_TRUE(contains(r.output, ",iterations=" + std::to_string(step) + ",")) << r.output;
  const Result ease = run("train --model ease --events " + test::fixture("eval/or-train.csv.zst") +
                          " --early-stop ndcg@10 --out " + dir.file("e.bin"));
  EXPECT_EQ(ease.code, 2);
  EXPECT_TRUE(contains(ease.output, "models that do: als, bpr, mf")) << ease.output;
}

}  // namespace
}  // namespace aisle

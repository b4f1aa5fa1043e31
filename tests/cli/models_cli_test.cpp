// train -> recommend -> similar through the real binary, on the bundled tiny exchange-format file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  EXPECT_TRUE(contains(train.output, "   3  ")) << train.output;  // the per-iteration log

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
  // The step marked best is the iteration count of the model fitted on all the training pairs.
  const auto best = r.output.find("  best\n");
  ASSERT_NE(best, std::string::npos) << r.output;
  const auto line = r.output.rfind('\n', best) + 1;
  const int step = std::stoi(r.output.substr(line, best - line));
  EXPECT_TRUE(contains(r.output, ",iterations=" + std::to_string(step) + ",")) << r.output;
  const Result ease = run("train --model ease --events " + test::fixture("eval/or-train.csv.zst") +
                          " --early-stop ndcg@10 --out " + dir.file("e.bin"));
  EXPECT_EQ(ease.code, 2);
  EXPECT_TRUE(contains(ease.output, "models that do: als, bpr, mf")) << ease.output;
}

}  // namespace
}  // namespace aisle

// train -> recommend -> similar through the real binary, on the bundled tiny exchange-format file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace aisle {
namespace {

struct Result {
  int code = -1;
  std::string out;
};

Result run(const std::string& args) {
  const std::string cmd = std::string(AISLE_BINARY) + " " + args + " 2>&1";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(ModelsCli, TrainRecommendSimilar) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  const Result train = run("train --model als:factors=4,iterations=3 --events " +
                           test::fixture("models/tiny-events.csv") + " --out " + model + " --threads 1");
  ASSERT_EQ(train.code, 0) << train.out;
  EXPECT_TRUE(contains(train.out, "training als:factors=4,iterations=3 on 12 users, 15 items, 60 pairs")) << train.out;
  EXPECT_TRUE(contains(train.out, "   3  ")) << train.out;  // the per-iteration log

  const Result rec = run("recommend --model " + model + " --user c0 --k 4 --json");
  ASSERT_EQ(rec.code, 0) << rec.out;
  const auto list = nlohmann::json::parse(rec.out);
  ASSERT_EQ(list.size(), 4u);
  for (const auto& e : list) EXPECT_TRUE(e.contains("item") && e.contains("score"));

  const Result anon = run("recommend --model " + model + " --items sku1,sku2 --k 20 --json --exclude sku3");
  ASSERT_EQ(anon.code, 0) << anon.out;
  const auto anon_list = nlohmann::json::parse(anon.out);
  EXPECT_EQ(anon_list.size(), 12u);  // 15 items - 2 in the history - 1 excluded
  for (const auto& e : anon_list) EXPECT_TRUE(e["item"] != "sku1" && e["item"] != "sku2" && e["item"] != "sku3");

  const Result sim = run("similar --model " + model + " --item sku1 --k 3");
  ASSERT_EQ(sim.code, 0) << sim.out;
  EXPECT_FALSE(contains(sim.out, "sku1 ")) << sim.out;
}

TEST(ModelsCli, ClearErrors) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  const std::string events = test::fixture("models/tiny-events.csv");
  EXPECT_EQ(run("train --model alss --events " + events + " --out " + model).code, 2);
  EXPECT_TRUE(contains(run("train --model alss --events " + events + " --out " + model).out,
                       "unknown model 'alss'; known: popularity, trending, als"));
  ASSERT_EQ(run("train --model popularity --events " + events + " --out " + model).code, 0);
  const Result user = run("recommend --model " + model + " --user nobody");
  EXPECT_EQ(user.code, 3);
  EXPECT_TRUE(contains(user.out, "--user: user 'nobody' is not in the model's training data")) << user.out;
  const Result item = run("recommend --model " + model + " --items sku1,nope");
  EXPECT_EQ(item.code, 3);
  EXPECT_TRUE(contains(item.out, "--items: item 'nope' is not in the model")) << item.out;
  const Result similar = run("similar --model " + model + " --item sku1");
  EXPECT_EQ(similar.code, 2);
  EXPECT_TRUE(contains(similar.out, "model 'popularity' cannot find similar items; models that can: als, bpr"))
      << similar.out;
  const Result missing = run("recommend --model " + dir.file("none.bin") + " --user c0");
  EXPECT_EQ(missing.code, 3);
  EXPECT_TRUE(contains(missing.out, "none.bin: cannot open the model file")) << missing.out;
}

TEST(ModelsCli, ModelsReferenceMatchesDocs) {
  const Result models = run("models --markdown");
  ASSERT_EQ(models.code, 0);
  EXPECT_EQ(models.out, test::read_file(std::string(AISLE_FIXTURES) + "/../../docs/MODELS.md"))
      << "regenerate docs/MODELS.md with: aisle models --markdown > docs/MODELS.md";
}

}  // namespace
}  // namespace aisle

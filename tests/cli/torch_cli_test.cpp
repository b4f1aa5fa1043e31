// The torch plugin through the real binary: `aisle` loads libaisle_torch.so only when a torch
// model is asked for, trains and serves sasrec from it, and without it refuses a sasrec model
// file with a message that says what is missing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

#if AISLE_WITH_TORCH

TEST(TorchCli, TrainsAndRecommendsSasrecThroughThePlugin) {
  const Result models = test::run_aisle("models");
  ASSERT_EQ(models.code, 0) << models.output;
  EXPECT_TRUE(contains(models.output, "available: libtorch ")) << models.output;
  EXPECT_TRUE(contains(test::run_aisle("--version").output, "torch plugin (sasrec)"));

  test::TempDir dir;
  const std::string model = dir.file("sasrec.aislemodel");
  const Result train = test::run_aisle("train --model sasrec:max_length=8,hidden=8,epochs=3 --events " +
                                       test::fixture("models/tiny-events.csv") + " --out " + model + " --threads 1");
  ASSERT_EQ(train.code, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "training sasrec:max_length=8,hidden=8,epochs=3 on 12 users")) << train.output;
  const Result rec = test::run_aisle("recommend --model " + model + " --items sku1,sku2 --k 4 --json");
  ASSERT_EQ(rec.code, 0) << rec.output;
  const auto answer = nlohmann::json::parse(rec.output);
  EXPECT_EQ(answer["items"].size(), 4u);
  EXPECT_TRUE(answer["model"].get<std::string>().starts_with("sasrec:max_length=8,")) << rec.output;

  // The same file where the plugin cannot be found: refused, naming the file and what it needs.
  const Result refused = test::run_aisle("recommend --model " + model + " --user c0 --k 4",
                                         "AISLE_TORCH_PLUGIN=" + dir.file("no-such-plugin.so"));
  EXPECT_NE(refused.code, 0);
  EXPECT_TRUE(contains(refused.output, model)) << refused.output;
  EXPECT_TRUE(contains(refused.output, "model 'sasrec' needs aisle with libtorch")) << refused.output;
  EXPECT_TRUE(contains(refused.output, "no-such-plugin.so")) << refused.output;
}

#else

TEST(TorchCli, WithoutLibtorchSasrecIsListedButRefused) {
  const Result models = test::run_aisle("models");
  EXPECT_TRUE(contains(models.output, "not available here: not built")) << models.output;
  const Result train = test::run_aisle("train --model sasrec --events " + test::fixture("models/tiny-events.csv") +
                                       " --out /dev/null --threads 1");
  EXPECT_NE(train.code, 0);
  EXPECT_TRUE(contains(train.output, "model 'sasrec' needs aisle with libtorch")) << train.output;
}

#endif

}  // namespace
}  // namespace aisle

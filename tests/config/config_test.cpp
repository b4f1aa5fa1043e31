#include "aisle/config/config.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "test_util.h"

namespace aisle {
namespace {

TEST(Config, SeedConfigurationInOneLine) {
  test::TempDir dir;
  const Config c = load_config(dir.write("aisle.toml",
                                         "[interactions]\nweights = \"cart=1,purchase=5,transform=log1p\"\n"
                                         "[store]\nurl = \"postgresql://u@h:5432/db\"\n"
                                         "[online_retail]\ninclude_codes = [\"DCGS0003\"]\n"));
  EXPECT_EQ(c.weighting.find("cart")->weight, 1.0f);
  EXPECT_EQ(c.weighting.transform(), Transform::kLog1p);
  EXPECT_EQ(c.store_url, "postgresql://u@h:5432/db");
  EXPECT_EQ(c.read_options().online_retail.include_codes, (std::vector<std::string>{"DCGS0003"}));
}

std::string error_of(const std::string& toml) {
  test::TempDir dir;
  const std::string path = dir.write("aisle.toml", toml);
  try {
    load_config(path);
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    return msg.substr(msg.find("aisle.toml"));
  }
  return "no error";
}

TEST(Config, UnknownKeysAndSectionsAreRejectedWithFileAndLine) {
  EXPECT_EQ(error_of("[store]\nurl = \"sqlite:x.db\"\nuri = \"y\"\n"),
            "aisle.toml:3: unknown key 'store.uri'; known in [store]: url");
  EXPECT_NE(error_of("\n[stor]\nurl = \"x\"\n").find("aisle.toml:2: unknown section 'stor'"), std::string::npos);
}

TEST(Config, BadValuesNameTheKeyAndLine) {
  EXPECT_EQ(error_of("[ingest]\nstrict = \"yes\"\n"), "aisle.toml:2: ingest.strict must be true or false");
  EXPECT_NE(error_of("[interactions]\nweights = \"cart=lots\"\n").find("aisle.toml:2: weights spec"),
            std::string::npos);
  EXPECT_NE(error_of("[run]\nthreads = -1\n").find("aisle.toml:2: run.threads must be an integer in [0, 256]"),
            std::string::npos);
  EXPECT_NE(error_of("[store\n").find("aisle.toml:1"), std::string::npos);  // TOML syntax error
}

TEST(Config, TheApproximateIndexIsOffUnlessAskedFor) {
  EXPECT_EQ(Config{}.serve.ann, "off");
  test::TempDir dir;
  const Config c = load_config(
      dir.write("aisle.toml", "[serve]\nann = \"hnsw\"\nann_m = 8\nann_ef_construction = 50\nann_ef_search = 40\n"));
  EXPECT_EQ(c.serve.ann, "hnsw");
  EXPECT_EQ(c.serve.ann_m, 8u);
  EXPECT_EQ(c.serve.ann_ef_construction, 50u);
  EXPECT_EQ(c.serve.ann_ef_search, 40u);
  EXPECT_EQ(error_of("[serve]\nann = \"faiss\"\n"),
            "aisle.toml:2: serve.ann must be \"off\" or \"hnsw\", found 'faiss'");
  EXPECT_NE(error_of("[serve]\nann_m = 1\n").find("aisle.toml:2: serve.ann_m must be an integer in [2, 256]"),
            std::string::npos);
}

TEST(Config, CompanionModelsKeepTheirOrderAndNeedNames) {
  test::TempDir dir;
  const Config c = load_config(dir.write("aisle.toml",
                                         "[serve]\ncompanions = { session_knn = \"session_knn\", "
                                         "als = \"als:factors=8\" }\nreports = \"out/reports\"\n"));
  EXPECT_EQ(c.serve.companions, (std::vector<std::pair<std::string, std::string>>{{"session_knn", "session_knn"},
                                                                                  {"als", "als:factors=8"}}));
  EXPECT_EQ(c.serve.reports, "out/reports");
  EXPECT_NE(error_of("[serve]\ncompanions = { serving = \"als\" }\n").find("aisle.toml:2: serve.companions: 'serving'"),
            std::string::npos);
  EXPECT_NE(error_of("[serve]\ncompanions = { als = 3 }\n").find("serve.companions.als must be a string"),
            std::string::npos);
  EXPECT_NE(error_of("[serve]\ncompanions = \"als\"\n").find("serve.companions must be a table"), std::string::npos);
}

TEST(Config, ReferenceDocumentsEveryKey) {
  const std::string ref = config_reference();
  for (const char* key : {"store.url", "interactions.weights", "ingest.map", "ingest.strict",
                          "online_retail.exclude_codes", "run.threads", "run.seed"}) {
    EXPECT_NE(ref.find(std::string("`") + key + "`"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace aisle

namespace aisle {
namespace {

TEST(Config, DocsTableIsTheGeneratedReference) {
  const std::string docs = test::read_file(std::string(AISLE_FIXTURES) + "/../../docs/CONFIG.md");
  EXPECT_NE(docs.find(config_reference()), std::string::npos)
      << "docs/CONFIG.md is out of date: paste the table printed by `aisle config`";
}

}  // namespace
}  // namespace aisle

namespace aisle {
namespace {

constexpr const char* kTwoArms =
    "[experiments.home]\n"
    "traffic = 0.5\n"
    "start = \"2026-12-01T00:00:00Z\"\n"
    "[[experiments.home.arms]]\n"
    "name = \"control\"\n"
    "model = \"serving\"\n"
    "[[experiments.home.arms]]\n"
    "name = \"ease\"\n"
    "model = \"ease:lambda=200\"\n"
    "share = 3\n";

TEST(Config, ExperimentsAreReadWithTheirDefaults) {
  test::TempDir dir;
  const Config c = load_config(dir.write("aisle.toml", kTwoArms));
  ASSERT_EQ(c.experiments.size(), 1u);
  const ExperimentSpec& e = c.experiments[0];
  EXPECT_EQ(e.name, "home");
  EXPECT_EQ(e.salt, "home");
  EXPECT_EQ(e.layer, "home");
  EXPECT_EQ(e.control, "control");
  EXPECT_EQ(e.mode, ExperimentMode::kAb);
  EXPECT_DOUBLE_EQ(e.traffic, 0.5);
  EXPECT_EQ(e.start, 1796083200);  // date -u -d 2026-12-01 +%s
  EXPECT_FALSE(e.stop.has_value());
  EXPECT_EQ(e.attribution_seconds, 86400);
  ASSERT_EQ(e.arms.size(), 2u);
  EXPECT_EQ(e.arms[1].model, "ease:lambda=200");
  EXPECT_DOUBLE_EQ(e.arms[0].share, 1.0);
  EXPECT_DOUBLE_EQ(e.arms[1].share, 3.0);
}

TEST(Config, BadExperimentsNameTheFieldAndLine) {
  std::string coloured = kTwoArms;
  coloured.insert(coloured.find("start"), "colour = \"red\"\n");
  EXPECT_EQ(error_of(coloured),
            "aisle.toml:3: unknown key 'experiments.home.colour'; known: arms, traffic, layer, salt, mode, start, "
            "stop, attribution_seconds, control");
  EXPECT_EQ(error_of("[experiments.home]\nmode = \"bandit\"\n"),
            "aisle.toml:2: experiments.home.mode must be \"ab\" or \"interleave\", found 'bandit'");
  EXPECT_NE(error_of("[experiments.home]\ntraffic = 0.5\n").find("experiments.home.arms: an experiment needs two arms"),
            std::string::npos);
  EXPECT_EQ(error_of("[[experiments.x.arms]]\nname = \"a\"\nmodel = \"ease\"\nshare = 0\n"),
            "aisle.toml:4: experiments.x.arms[0].share must be a number above 0");
  std::string same_name = kTwoArms;
  same_name.replace(same_name.find("\"ease\"\n"), 6, "\"control\"");
  EXPECT_NE(error_of(same_name).find("experiments.home.arms[1].name: 'control' names two arms"), std::string::npos);
  std::string interleave_three = kTwoArms;
  interleave_three.insert(interleave_three.find("traffic"), "mode = \"interleave\"\n");
  interleave_three += "[[experiments.home.arms]]\nname = \"c\"\nmodel = \"als\"\n";
  EXPECT_NE(error_of(interleave_three).find("interleaving merges exactly two arms, found 3"), std::string::npos);
  EXPECT_NE(error_of("[experiments.home]\nstart = \"2026-12-02T00:00:00Z\"\nstop = \"2026-12-01T00:00:00Z\"\n")
                .find("experiments.home.stop (2026-12-01"),
            std::string::npos);
  EXPECT_NE(error_of("[experiments.home]\ncontrol = \"b\"\n[[experiments.home.arms]]\nname = \"a\"\nmodel = "
                     "\"ease\"\n[[experiments.home.arms]]\nname = \"c\"\nmodel = \"als\"\n")
                .find("experiments.home.control: 'b' is not one of the arms"),
            std::string::npos);
}

TEST(Config, ExperimentsOfOneLayerCannotTakeMoreThanAllItsVisitors) {
  std::string two = kTwoArms;
  std::string other = kTwoArms;
  other.replace(other.find("home]"), 4, "menu");
  other.replace(other.find("home.arms"), 4, "menu");
  other.replace(other.find("home.arms"), 4, "menu");
  // Each in its own layer: both take half of their own.
  test::TempDir dir;
  EXPECT_EQ(load_config(dir.write("a.toml", two + other)).experiments.size(), 2u);
  other.insert(other.find("traffic"), "layer = \"home\"\ntraffic = 0.6\n");
  other.erase(other.find("traffic = 0.5\n"), 14);
  EXPECT_NE(error_of(two + other).find("the experiments of layer 'home' would take more than all of its visitors"),
            std::string::npos);
}

}  // namespace
}  // namespace aisle

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

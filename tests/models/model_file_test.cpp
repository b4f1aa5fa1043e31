// Model files: round trip, and a clear error for every way a file can be wrong. A file written
// by format 1 (tests/fixtures/models) must stay readable and give the same recommendations as
// a fresh fit on the same data.
#include "aisle/models/model_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "model_test_data.h"

namespace aisle {
namespace {

// Per process: test binaries of two checkouts (or ctest -j) must not share a file.
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (std::to_string(getpid()) + "-" + name)).string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string load_error(const std::string& path, std::string_view kind = {}) {
  try {
    load_model(path, kind);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

class ModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::Checkerboard data;
    FitContext c;
    c.run = RunContext(1);
    save_model(train_model("item_knn", data.pairs, data.catalog, data.users, data.items, c), path_);
    bytes_ = read_bytes(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  const std::string path_ = temp_path("model-file-test.bin");
  std::string bytes_;
};

TEST_F(ModelFile, TruncatedFileIsRefused) {
  for (std::size_t keep : {bytes_.size() - 1, bytes_.size() / 2, std::size_t{12}}) {
    write_bytes(path_, bytes_.substr(0, keep));
    EXPECT_NE(load_error(path_).find(path_ + ": corrupt model file"), std::string::npos) << load_error(path_);
  }
}

TEST_F(ModelFile, DamagedByteIsRefused) {
  std::string damaged = bytes_;
  damaged[damaged.size() / 2] ^= 0x5a;
  write_bytes(path_, damaged);
  EXPECT_EQ(load_error(path_), path_ + ": corrupt model file: checksum mismatch (the file is damaged or truncated)");
}

TEST_F(ModelFile, OtherKindNewerFormatAndOtherFilesAreRefused) {
  EXPECT_EQ(load_error(path_, "als"), path_ + ": is a 'item_knn' model, expected 'als'");
  std::string newer = bytes_;
  newer[8] = 99;  // the format version follows the 8-byte magic
  write_bytes(path_, newer);
  EXPECT_EQ(load_error(path_), path_ + ": model format version 99 is not one this aisle reads (1.." +
                                   std::to_string(kModelFormatVersion) + "); it was written by a newer aisle");
  write_bytes(path_, "user,item\n1,2\n");
  EXPECT_EQ(load_error(path_), path_ + ": not an aisle model file (no AISLEMDL header)");
  EXPECT_EQ(load_error(temp_path("no-such-model.bin")),
            temp_path("no-such-model.bin") + ": cannot open the model file");
}

// Files written by earlier formats (1: ids, history, categories; 2: + names and prices; 3: +
// provenance, image URLs; a format-4 route whose pipeline payload predates shared members, with
// EASE and popularity saved twice) load and recommend exactly as a fresh fit on the same events.
class OldModelFile : public ::testing::TestWithParam<const char*> {};

TEST_P(OldModelFile, StaysReadable) {
  const std::string fixtures = AISLE_FIXTURES;
  const TrainedModel old = load_model(fixtures + "/models/" + GetParam());
  // Formats 1 and 2 do not record when; data_as_of is trained_at before format 4.
  const std::string_view name = GetParam();
  if (name.find("format1") != std::string_view::npos || name.find("format2") != std::string_view::npos) {
    EXPECT_EQ(old.provenance().trained_at, 0);
  }
  if (name.find("format4") == std::string_view::npos) {
    EXPECT_EQ(old.provenance().data_as_of, old.provenance().trained_at);
  }
  ReadOptions options;
  EventLog log;
  const std::string events = fixtures + "/models/tiny-events.csv";
  read_files("csv", std::span<const std::string>(&events, 1), options, log);
  const Interactions pairs =
      aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
  FitContext c;
  c.run = RunContext(1);
  const TrainedModel fresh = train_model(std::string(old.model().kind()) + ":" + old.model().params(), pairs,
                                         log.catalog, std::move(log.users), std::move(log.items), c);
  ASSERT_EQ(old.users(), fresh.users());
  ASSERT_EQ(old.items(), fresh.items());
  std::vector<Query> qs(old.users().size());
  for (UserIdx u = 0; u < qs.size(); ++u) qs[u].user = u;
  const auto expected = fresh.recommend(qs, Filter{}, 3, RunContext{});
  EXPECT_EQ(old.recommend(qs, Filter{}, 3, RunContext{}), expected);
  EXPECT_FALSE(expected.front().empty());
}

// This binary does not link the torch code and has no plugin beside it: a sasrec model file is
// refused with what it needs, naming the file, whatever else is installed.
TEST(ModelFileWithoutTorch, ASasrecFileIsRefusedWithWhatItNeeds) {
  const std::string path = std::string(AISLE_FIXTURES) + "/models/sasrec-format1.aislemodel";
  try {
    load_model(path);
    FAIL() << "loaded a sasrec model without the torch code";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find("model 'sasrec' needs aisle with libtorch"), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, OldModelFile,
                         ::testing::Values("item_knn-format1.aislemodel", "item_knn-format2.aislemodel",
                                           "item_knn-format3.aislemodel", "route-shared-members-format4.aislemodel"));

TEST(ModelFileFormat, RecordsProvenanceAndImageUrls) {
  const std::string fixtures = AISLE_FIXTURES;
  ReadOptions options;
  EventLog log;
  const std::string events = fixtures + "/models/tiny-events.csv";
  read_files("csv", std::span<const std::string>(&events, 1), options, log);
  log.catalog.item(0).image_url = "https://shop.example/0.jpg";
  const Interactions pairs =
      aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
  FitContext c;
  c.run = RunContext(1);
  const TrainedModel m =
      train_model("popularity", pairs, log.catalog, std::move(log.users), std::move(log.items), c, 1'750'000'000);
  EXPECT_GT(m.provenance().trained_at, 1'750'000'000);
  EXPECT_EQ(m.provenance().data_as_of, 1'750'000'000);
  EXPECT_EQ(m.provenance().data_fingerprint, fingerprint_pairs(pairs));
  EXPECT_EQ(m.provenance().data_fingerprint.size(), 16u);
  const std::string path = ::testing::TempDir() + "/provenance.aislemodel";
  save_model(m, path);
  const TrainedModel loaded = load_model(path);
  EXPECT_EQ(loaded.provenance().trained_at, m.provenance().trained_at);
  EXPECT_EQ(loaded.provenance().data_as_of, 1'750'000'000);
  EXPECT_EQ(loaded.provenance().data_fingerprint, m.provenance().data_fingerprint);
  EXPECT_EQ(loaded.provenance().aisle_version, m.provenance().aisle_version);
  EXPECT_FALSE(loaded.provenance().aisle_version.empty());
  EXPECT_EQ(loaded.facts().image_url.at(0), "https://shop.example/0.jpg");
  EXPECT_EQ(loaded.facts().image_url.at(1), "");
}

}  // namespace
}  // namespace aisle

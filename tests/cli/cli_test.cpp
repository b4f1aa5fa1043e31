// Runs the real `aisle` binary: exit codes, messages and what ends up in the store.
#include <gtest/gtest.h>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

Result run(const std::string& args) {
  return test::run_aisle(args);
}

TEST(Cli, IngestStatsAndExportOnTheOnlineRetailSlice) {
  test::TempDir dir;
  const std::string store = "--store sqlite:" + dir.file("s.db");
  const Result ingest = run("ingest online-retail " + test::fixture("online-retail-slice.csv") + " " + store);
  ASSERT_EQ(ingest.code, 0) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "read     28 rows")) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "skipped  6 rows: no_customer")) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "stored   19 new events")) << ingest.output;

  const Result stats = run("stats --json " + store);
  ASSERT_EQ(stats.code, 0) << stats.output;
  EXPECT_TRUE(contains(stats.output, "\"users\": 8")) << stats.output;
  EXPECT_TRUE(contains(stats.output, "\"events\": 19")) << stats.output;
  EXPECT_TRUE(contains(stats.output, "\"cancel\": 1")) << stats.output;

  const Result exp = run("export " + store + " --out " + dir.file("pairs.csv"));
  ASSERT_EQ(exp.code, 0) << exp.output;
  const std::string csv = test::read_file(dir.file("pairs.csv"));
  EXPECT_TRUE(csv.starts_with("user,item,weight,timestamp\n17850,85123A,5,1291191960\n")) << csv;
  EXPECT_TRUE(contains(csv, "\n17908,21866,10,1291203900\n")) << csv;  // the duplicated row counts twice
  EXPECT_FALSE(contains(csv, "15311,35004C"));                         // only a cancellation: weight < 0
}

// aisle train --publish and aisle publish store model files as versions 1, 2, ...; a file that is
// not a sound model is refused (exit 3) and publishes nothing.
TEST(Cli, TrainPublishAndPublishGiveTheNextVersions) {
  test::TempDir dir;
  const std::string store = "--store sqlite:" + dir.file("s.db");
  ASSERT_EQ(run("ingest online-retail " + test::fixture("online-retail-slice.csv") + " " + store).code, 0);
  const Result train = run("train --model popularity --out " + dir.file("m.bin") + " --publish " + store);
  ASSERT_EQ(train.code, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "published as version 1")) << train.output;
  const Result again = run("publish " + dir.file("m.bin") + " " + store);
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "2\n")) << again.output;
  std::ofstream(dir.file("junk.bin")) << "not a model";
  const Result junk = run("publish " + dir.file("junk.bin") + " " + store);
  EXPECT_EQ(junk.code, 3) << junk.output;
  const Result third = run("publish " + dir.file("m.bin") + " " + store);
  EXPECT_TRUE(contains(third.output, "as version 3")) << third.output;
}

TEST(Cli, StrictRejectionFailsAndStoresNothing) {
  test::TempDir dir;
  const std::string db = dir.file("s.db");
  const std::string good = dir.write("good.csv", "user,item,timestamp\nu1,i1,100\n");
  ASSERT_EQ(run("ingest csv " + good + " --store sqlite:" + db).code, 0);
  const std::string bad = dir.write("bad.csv", "user,item,timestamp\nu2,i2,200\nu3,,300\n");
  const Result r = run("ingest csv " + bad + " --strict --store sqlite:" + db);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_TRUE(contains(r.output, "bad.csv:3: column 'item'")) << r.output;
  const Result stats = run("stats --json --store sqlite:" + db);
  EXPECT_TRUE(contains(stats.output, "\"events\": 1")) << stats.output;
  // Without --strict the good row goes in and the bad one is reported.
  const Result lenient = run("ingest csv " + bad + " --store sqlite:" + db);
  EXPECT_EQ(lenient.code, 0);
  EXPECT_TRUE(contains(lenient.output, "rejected 1 rows: empty_item")) << lenient.output;
}

TEST(Cli, UsageAndConfigErrorsExitTwoWithAClearMessage) {
  test::TempDir dir;
  const Result fmt = run("ingest parquet x.parquet --store sqlite:" + dir.file("s.db"));
  EXPECT_EQ(fmt.code, 2);
  EXPECT_TRUE(contains(fmt.output, "unknown format 'parquet'; known: retailrocket, rees46, online-retail"))
      << fmt.output;
  const std::string cfg = dir.write("aisle.toml", "[store]\nurl = \"sqlite:x.db\"\ncolour = 1\n");
  const Result bad_cfg = run("--config " + cfg + " stats");
  EXPECT_EQ(bad_cfg.code, 2);
  EXPECT_TRUE(contains(bad_cfg.output, "aisle.toml:3: unknown key 'store.colour'")) << bad_cfg.output;
  const Result no_store = run("stats --store sqlite:" + dir.file("typo.db"));
  EXPECT_EQ(no_store.code, 4);
  EXPECT_TRUE(contains(no_store.output, "typo.db: no store there")) << no_store.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("typo.db")));
  const Result missing = run("ingest csv " + dir.file("nope.csv") + " --store sqlite:" + dir.file("s.db"));
  EXPECT_EQ(missing.code, 3);
  EXPECT_TRUE(contains(missing.output, "nope.csv: cannot open")) << missing.output;
}

TEST(Cli, CustomEventTypesNeedTheirWeightEverywhere) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  const std::string log = dir.write("log.csv", "user,item,event\nu1,i1,wishlist\nu1,i2,view\n");
  const Result refused = run("ingest csv " + log + store);
  EXPECT_TRUE(contains(refused.output, "rejected 1 rows: unknown_event_type")) << refused.output;
  ASSERT_EQ(run("ingest csv " + log + store + " --weights wishlist=2").code, 0);
  const Result no_weight = run("stats --json" + store);
  EXPECT_EQ(no_weight.code, 2);
  EXPECT_TRUE(contains(no_weight.output, "event type 'wishlist' has no weight")) << no_weight.output;
  const Result stats = run("stats --json --weights wishlist=2" + store);
  EXPECT_EQ(stats.code, 0) << stats.output;
  EXPECT_TRUE(contains(stats.output, "\"wishlist\": 1")) << stats.output;
}

TEST(Cli, SynthThenIngestRetailRocket) {
  test::TempDir dir;
  const Result s = run("synth --users 300 --items 50 --events 3000 --seed 3 --out " + dir.file("syn"));
  ASSERT_EQ(s.code, 0) << s.output;
  const Result i =
      run("ingest retailrocket " + dir.file("syn/category_tree.csv") + " " + dir.file("syn/item_properties.csv") + " " +
          dir.file("syn/events.csv") + " --store sqlite:" + dir.file("s.db"));
  ASSERT_EQ(i.code, 0) << i.output;
  EXPECT_TRUE(contains(i.output, "3,000 events, 300 users, 50 items")) << i.output;
}

}  // namespace
}  // namespace aisle

// Issue 9's regressions, through the real binary: what a new user and a few bad files broke.
// Each test failed (crash, wrong exit code or silent wrong result) before its fix.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "run_aisle.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::contains;
using test::Result;

Result run(const std::string& args) {
  return test::run_aisle(args);
}

// Parses what a --json command printed; fails the test (not the process) on invalid JSON.
nlohmann::json parse_json(const Result& r) {
  nlohmann::json j = nlohmann::json::parse(r.output, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not valid JSON: " << r.output;
  return j;
}

// Item 1: bytes that are not UTF-8.
TEST(Hardening, Latin1IdsAreDecodedAndEveryJsonOutputIsValidUtf8) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  // "caf\xE9" is Latin-1 (a Windows export); the same item appears in UTF-8 as "caf\xC3\xA9".
  const std::string csv = dir.write("latin1.csv",
                                    "user,item,timestamp\nu1,caf\xE9,100\nu1,tea,101\nu2,caf\xC3\xA9,102\n"
                                    "u2,tea,103\nu3,tea,104\nu3,bun,105\n");
  const Result ingest = run("ingest csv " + csv + store);
  ASSERT_EQ(ingest.code, 0) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "3 items")) << ingest.output;  // café, tea, bun: both spellings are one

  const Result stats = run("stats --json" + store);
  ASSERT_EQ(stats.code, 0) << stats.output;
  const nlohmann::json s = parse_json(stats);
  EXPECT_EQ(s["items"], 3);

  ASSERT_EQ(run("train --model popularity --out " + dir.file("m.bin") + store).code, 0);
  const Result rec = run("recommend --model " + dir.file("m.bin") + " --user u3 --k 2 --json");
  ASSERT_EQ(rec.code, 0) << rec.output;
  const nlohmann::json r = parse_json(rec);
  ASSERT_TRUE(r.contains("items")) << rec.output;
  EXPECT_EQ(r["items"][0]["item_id"], "caf\xC3\xA9") << rec.output;
}

TEST(Hardening, JsonlLineThatIsNotUtf8IsRejectedWithItsLine) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  const std::string jsonl = dir.write("e.jsonl",
                                      "{\"user\":\"u1\",\"item\":\"a\"}\n{\"user\":\"u2\",\"item\":\"caf\xE9\"}\n"
                                      "{\"user\":\"u3\",\"item\":\"b\"}\n");
  const Result ingest = run("ingest jsonl " + jsonl + store);
  ASSERT_EQ(ingest.code, 0) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "rejected 1 rows: bad_utf8")) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "e.jsonl:2:")) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "caf\\xE9")) << ingest.output;  // shown escaped, not raw
  EXPECT_FALSE(contains(ingest.output, "caf\xE9")) << ingest.output;
  const nlohmann::json s = parse_json(run("stats --json" + store));
  EXPECT_EQ(s["events"], 2);
}

// Item 2: one rule for k.
TEST(Hardening, KOutsideItsRangeIsAUsageErrorInEveryCommand) {
  test::TempDir dir;
  const std::string model = dir.file("m.bin");
  ASSERT_EQ(
      run("train --model popularity --events " + test::fixture("models/tiny-events.csv") + " --out " + model).code, 0);
  for (const std::string& k : {"-5", "0", "99999999999999999999", "abc", "10001"}) {
    for (const std::string& cmd : {"recommend --user c0", "similar --item sku3"}) {
      const Result r = run(cmd + " --model " + model + " --k " + k);
      EXPECT_EQ(r.code, 2) << cmd << " --k " << k << ": " << r.output;
      EXPECT_TRUE(contains(r.output, "--k")) << r.output;
      EXPECT_TRUE(contains(r.output, "1 to 10000")) << r.output;
    }
  }
  const Result eval =
      run("evaluate --events " + test::fixture("models/tiny-events.csv") + " --models popularity --k 10,0");
  EXPECT_EQ(eval.code, 2) << eval.output;
  EXPECT_TRUE(contains(eval.output, "1 to 10000")) << eval.output;
  EXPECT_EQ(run("recommend --user c0 --model " + model + " --k 10000").code, 0);
}

// Item 3: one event dated 2100.
TEST(Hardening, EventsFarInTheFutureOrPastAreRejectedAndDoNotBecomeNow) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  std::string csv = "user,item,timestamp\n";
  for (int u = 0; u < 20; ++u) {
    csv += "u" + std::to_string(u) + ",old,2010-01-01T00:00:00Z\n";
    csv += "u" + std::to_string(u) + ",new" + std::to_string(u % 2) + ",2011-06-01T00:00:00Z\n";
  }
  csv += "u0,future,2100-01-01T00:00:00Z\nu1,ancient,0001-01-01T00:00:00Z\n";
  const Result ingest = run("ingest csv " + dir.write("e.csv", csv) + store);
  ASSERT_EQ(ingest.code, 0) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "rejected 2 rows: time_out_of_range")) << ingest.output;
  const nlohmann::json s = parse_json(run("stats --json" + store));
  EXPECT_EQ(s["first_event"], "2010-01-01 00:00:00");
  EXPECT_EQ(s["last_event"], "2011-06-01 00:00:00");
  EXPECT_EQ(s["items"], 3);
}

// Item 4: mf on heavy-tailed play counts.
TEST(Hardening, MfConvergesOnHeavyTailedCountsAndADivergentFitFails) {
  test::TempDir dir;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::string csv = "user,item,weight,timestamp\n";
  for (int u = 0; u < 120; ++u) {
    for (int i = 0; i < 60; ++i) {
      if (unit(rng) > 0.3) continue;
      // Log-uniform counts from 1 to ~352,698, as Last.fm play counts.
      const auto plays = static_cast<long long>(std::exp(unit(rng) * std::log(352698.0)));
      csv += "u" + std::to_string(u) + ",a" + std::to_string(i) + "," + std::to_string(plays) + ",1600000000\n";
    }
  }
  csv += "u0,a0,352698,1600000001\n";
  const std::string events = dir.write("plays.csv", csv);
  const Result fit = run("train --model mf --events " + events + " --out " + dir.file("mf.bin"));
  ASSERT_EQ(fit.code, 0) << fit.output;
  EXPECT_TRUE(contains(fit.output, "target=log1p")) << fit.output;
  EXPECT_FALSE(contains(fit.output, "nan")) << fit.output;
  const Result rec = run("recommend --model " + dir.file("mf.bin") + " --user u1 --k 5 --json");
  ASSERT_EQ(rec.code, 0) << rec.output;
  EXPECT_EQ(parse_json(rec)["items"].size(), 5u) << rec.output;

  const Result raw = run("train --model mf:target=raw --events " + events + " --out " + dir.file("raw.bin"));
  EXPECT_EQ(raw.code, 5) << raw.output;
  EXPECT_TRUE(contains(raw.output, "diverged")) << raw.output;
  EXPECT_TRUE(contains(raw.output, "learning_rate")) << raw.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("raw.bin")));
}

// Item 5: only kept rows create ids.
TEST(Hardening, RejectedRowsCreateNoUsersAndNoItems) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  const std::string csv = dir.write("six.csv",
                                    "user,item,timestamp\nu1,i1,100\nu2,i2,not-a-time\nu3,i3,2100-01-01\n"
                                    "u4,,100\nu5,i5,yesterday\nu6,i6,100\n");
  const Result ingest = run("ingest csv " + csv + store);
  ASSERT_EQ(ingest.code, 0) << ingest.output;
  EXPECT_TRUE(contains(ingest.output, "2 events, 2 users, 2 items")) << ingest.output;
  const nlohmann::json s = parse_json(run("stats --json" + store));
  EXPECT_EQ(s["users"], 2);
  EXPECT_EQ(s["items"], 2);
  ASSERT_EQ(run("train --model popularity --out " + dir.file("m.bin") + store).code, 0);
  const Result rec = run("recommend --model " + dir.file("m.bin") + " --items i2");
  EXPECT_EQ(rec.code, 3) << rec.output;  // i2 exists only in a rejected row
}

// Item 6: empty and odd files.
TEST(Hardening, FilesThatKeepNoRowsFailAlikeInEveryFormat) {
  test::TempDir dir;
  const std::string db = dir.file("s.db");
  const std::string store = " --store sqlite:" + db;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"jsonl", dir.write("empty.jsonl", "")},
      {"csv", dir.write("header.csv", "user,item,timestamp\n")},
      {"csv", dir.write("bad.csv", "user,item,timestamp\nu1,i1,never\nu2,,100\n")},
      {"csv", dir.write("empty.csv", "")},
      {"online-retail", dir.write("or.csv",
                                  "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
                                  "Country\n")},
  };
  for (const auto& [format, file] : cases) {
    const Result r = run("ingest " + format + " " + file + store);
    EXPECT_EQ(r.code, 3) << file << ": " << r.output;
    EXPECT_TRUE(contains(r.output, file + ": nothing to load")) << r.output;
    const Result allowed = run("ingest " + format + " " + file + " --allow-empty" + store);
    EXPECT_EQ(allowed.code, 0) << allowed.output;
    EXPECT_TRUE(contains(allowed.output, "no ingestion run recorded")) << allowed.output;
  }
  const Result bad = run("ingest csv " + cases[2].second + store);
  EXPECT_TRUE(contains(bad.output, "bad_time 1")) << bad.output;
  EXPECT_TRUE(contains(bad.output, "bad.csv:2:")) << bad.output;
}

TEST(Hardening, DuplicateColumnsSeparatorHintsAndBinaryInput) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  const Result dup = run("ingest csv " + dir.write("dup.csv", "user,item,Item\nu1,a,b\n") + store);
  EXPECT_EQ(dup.code, 3) << dup.output;
  EXPECT_TRUE(contains(dup.output, "columns 2 and 3 are both named 'Item'")) << dup.output;

  const Result semi = run("ingest csv " + dir.write("semi.csv", "user;item;timestamp\nu1;a;100\n") + store);
  EXPECT_EQ(semi.code, 3) << semi.output;
  EXPECT_TRUE(contains(semi.output, "give --sep ';'")) << semi.output;

  std::string binary = "SQLite format 3";
  binary.push_back('\0');
  binary += "\x01\x02\xFF\xFE garbage";
  const Result bin = run("ingest csv " + dir.write("data.bin", binary) + store);
  EXPECT_EQ(bin.code, 3) << bin.output;
  EXPECT_TRUE(contains(bin.output, "data.bin: not a text file")) << bin.output;
  EXPECT_FALSE(contains(bin.output, "\xFF")) << bin.output;
}

// Item 7: the store is checked before the input is parsed.
TEST(Hardening, ABadStoreFailsBeforeAnyParsing) {
  test::TempDir dir;
  const std::string events = test::fixture("models/tiny-events.csv");
  const std::string not_sqlite = dir.write("notes.txt", "these are my notes, not a database\n");
  const Result sqlite = run("ingest csv " + events + " --store sqlite:" + not_sqlite);
  EXPECT_EQ(sqlite.code, 4) << sqlite.output;
  EXPECT_TRUE(contains(sqlite.output, "not a database")) << sqlite.output;
  EXPECT_FALSE(contains(sqlite.output, "read ")) << sqlite.output;
  EXPECT_EQ(test::read_file(not_sqlite), "these are my notes, not a database\n");

  const Result pg = run("ingest csv " + events + " --store postgresql://nobody@127.0.0.1:1/none");
  EXPECT_EQ(pg.code, 4) << pg.output;
  EXPECT_TRUE(contains(pg.output, "cannot connect")) << pg.output;
  EXPECT_FALSE(contains(pg.output, "read ")) << pg.output;
}

// Item 8: recommendations show what they are; many users at once.
TEST(Hardening, RecommendationsCarryNamesPricesAndRunForManyUsers) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  ASSERT_EQ(run("ingest online-retail " + test::fixture("online-retail-slice.csv") + store).code, 0);
  const std::string model = dir.file("m.bin");
  ASSERT_EQ(run("train --model popularity --out " + model + store).code, 0);
  const Result text = run("recommend --model " + model + " --user 17850 --k 50 --keep-seen");
  ASSERT_EQ(text.code, 0) << text.output;
  EXPECT_TRUE(contains(text.output, "WHITE HANGING HEART T-LIGHT HOLDER")) << text.output;
  EXPECT_TRUE(contains(text.output, "2.55")) << text.output;
  const nlohmann::json j = parse_json(run("recommend --model " + model + " --user 17850 --k 50 --keep-seen --json"));
  EXPECT_EQ(j["user"], "17850");
  EXPECT_TRUE(j["model"].get<std::string>().starts_with("popularity:")) << j;
  bool found = false;
  for (const auto& item : j["items"]) {
    if (item["item_id"] != "85123A") continue;
    found = true;
    EXPECT_EQ(item["name"], "WHITE HANGING HEART T-LIGHT HOLDER") << item;
    EXPECT_FLOAT_EQ(item["price"].get<float>(), 2.55f) << item;
  }
  EXPECT_TRUE(found) << j;

  const std::string users = dir.write("users.txt", "user\n17850\nnobody\n17908\n");
  const Result batch = run("recommend --model " + model + " --users " + users + " --k 2 --out " + dir.file("r.csv"));
  ASSERT_EQ(batch.code, 0) << batch.output;
  EXPECT_TRUE(contains(batch.output, "recommended for 3 users (1 unknown to the model: cold start)")) << batch.output;
  const std::string csv = test::read_file(dir.file("r.csv"));
  EXPECT_TRUE(csv.starts_with("user,rank,item_id,name,category,price,score,served_as\n")) << csv;
  EXPECT_TRUE(contains(csv, "\nnobody,1,")) << csv;
  EXPECT_TRUE(contains(csv, ",cold_start\n")) << csv;
  EXPECT_TRUE(contains(csv, "\n17908,2,")) << csv;
  const Result jsonl = run("recommend --model " + model + " --users " + users + " --k 2 --out " + dir.file("r.jsonl"));
  ASSERT_EQ(jsonl.code, 0) << jsonl.output;
  const std::string lines = test::read_file(dir.file("r.jsonl"));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3) << lines;
  EXPECT_EQ(nlohmann::json::parse(lines.substr(0, lines.find('\n')))["user"], "17850");
}

// Item 9: unknown ids.
TEST(Hardening, UnknownUsersGetTheColdStartPathAndUnknownIdsAreLeftOut) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  const std::string csv =
      dir.write("e.csv",
                "user,item,timestamp,category\nu1,pan,100,Kitchen\nu2,pan,101,Kitchen\n"
                "u3,pan,102,Kitchen\nu1,pot,103,Kitchen\nu2,lamp,104,Lighting\nu3,lamp,105,Lighting\n"
                "u4,lamp,106,Lighting\nu4,bulb,107,Lighting\n");
  ASSERT_EQ(run("ingest csv " + csv + store).code, 0);
  const std::string model = dir.file("m.bin");
  ASSERT_EQ(run("train --model item_knn --out " + model + store).code, 0);
  const Result cold = run("recommend --model " + model + " --user stranger --category kitchen --k 5 --json");
  ASSERT_EQ(cold.code, 0) << cold.output;
  const nlohmann::json c = parse_json(cold);
  EXPECT_EQ(c["served_as"], "cold_start");
  ASSERT_EQ(c["items"].size(), 2u) << cold.output;
  EXPECT_EQ(c["items"][0]["item_id"], "pan");  // three users, the most popular in Kitchen
  EXPECT_EQ(c["items"][0]["category"], "Kitchen");
  EXPECT_EQ(run("recommend --model " + model + " --user stranger --strict-ids").code, 3);

  const Result partial = run("recommend --model " + model + " --items lamp,ghost --exclude phantom,bulb --k 3 --json");
  ASSERT_EQ(partial.code, 0) << partial.output;
  const nlohmann::json p = parse_json(partial);
  EXPECT_EQ(p["served_as"], "model");
  EXPECT_TRUE(contains(p["notes"].dump(), "ghost")) << partial.output;
  EXPECT_FALSE(contains(p["notes"].dump(), "phantom")) << partial.output;
  for (const auto& item : p["items"]) EXPECT_NE(item["item_id"], "bulb");
}

// Item 10: categories by name.
TEST(Hardening, CategoriesByNameInAnyCaseWithSuggestionsAndAListing) {
  test::TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  ASSERT_EQ(run("ingest rees46 " + test::fixture("rees46/2019-Oct-slice.csv") + store).code, 0);
  const nlohmann::json cats = parse_json(run("categories --json" + store));
  bool notebooks = false;
  for (const auto& c : cats) {
    if (c["label"] == "computers.notebook") {
      notebooks = true;
      EXPECT_GT(c["events"], 0) << c;
      EXPECT_GT(c["items"], 0) << c;
    }
  }
  EXPECT_TRUE(notebooks) << cats;
  const std::string model = dir.file("m.bin");
  ASSERT_EQ(run("train --model popularity --out " + model + store).code, 0);
  for (const std::string& name : {"COMPUTERS", "computers.notebook", "Notebook"}) {
    const Result r = run("recommend --model " + model + " --user nobody --category " + name + " --json");
    ASSERT_EQ(r.code, 0) << name << ": " << r.output;
    const nlohmann::json j = parse_json(r);
    ASSERT_FALSE(j["items"].empty()) << r.output;
    for (const auto& item : j["items"]) EXPECT_EQ(item["category"], "computers.notebook") << r.output;
  }
  const Result typo = run("recommend --model " + model + " --user nobody --category notebok");
  EXPECT_EQ(typo.code, 3) << typo.output;
  EXPECT_TRUE(contains(typo.output, "closest: computers.notebook")) << typo.output;
}

// Item 12: --version, and --config after the subcommand.
TEST(Hardening, VersionAndConfigAfterTheSubcommand) {
  const Result version = run("--version");
  EXPECT_EQ(version.code, 0) << version.output;
  EXPECT_TRUE(contains(version.output, "aisle 0.1.0 (commit ")) << version.output;
  EXPECT_TRUE(contains(version.output, "build; features: sqlite, postgresql")) << version.output;
  test::TempDir dir;
  const std::string cfg = dir.write("a.toml", "[store]\nurl = \"sqlite:" + dir.file("elsewhere.db") + "\"\n");
  const Result after = run("stats --config " + cfg);
  EXPECT_EQ(after.code, 4) << after.output;
  EXPECT_TRUE(contains(after.output, "elsewhere.db: no store there")) << after.output;
}

}  // namespace
}  // namespace aisle

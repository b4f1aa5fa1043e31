// The sessions format: session-rec's prepared files and the raw YooChoose clicks, told apart per
// file by the first line (fixtures/yoochoose).
#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/sequences.h"
#include "test_util.h"

namespace aisle {
namespace {

ReadReport read_sessions_files(const std::vector<std::string>& files, EventLog& log, ReadOptions o = {}) {
  o.allow_empty = true;
  return read_files("sessions", files, o, log);
}

std::string category_of(const EventLog& log, const std::string& item) {
  const ItemInfo* info = log.catalog.find_item(log.items.find(item));
  if (info == nullptr || info->categories.empty()) return "";
  return std::string(log.catalog.category_ids().name(info->categories.front()));
}

TEST(SessionsReader, ReadsRawYooChooseClicksWithoutHeader) {
  EventLog log;
  const std::string path = test::fixture("yoochoose/clicks-slice.dat");
  const ReadReport r = read_sessions_files({path}, log);
  EXPECT_EQ(r.rows_read, 22u);
  EXPECT_EQ(r.rows_kept, 17u);
  ASSERT_EQ(log.events.size(), 17u);
  // Anonymous sessions: the session id is the user and the session.
  EXPECT_EQ(log.users.name(log.events[0].user), "1");
  EXPECT_EQ(log.sessions.name(log.events[0].session), "1");
  EXPECT_EQ(log.items.name(log.events[0].item), "214536502");
  EXPECT_EQ(log.events[0].time, 1396867869);                    // 2014-04-07T10:51:09.277Z, the fraction dropped
  EXPECT_EQ(log.event_types.name(log.events[0].type), "view");  // the default event type
  EXPECT_EQ(log.users.size(), 7u);                              // session 7 has no good row
  EXPECT_EQ(log.sessions.size(), 7u);
}

TEST(SessionsReader, BadClickRowsAreRejectedWithFileLineAndColumn) {
  EventLog log;
  const std::string path = test::fixture("yoochoose/clicks-slice.dat");
  const ReadReport r = read_sessions_files({path}, log);
  const auto& rejected = r.issues.rejected();
  EXPECT_EQ(r.issues.rejected_rows(), 5u);
  EXPECT_EQ(rejected.at("empty_item").examples.at(0).line, 16u);
  EXPECT_EQ(rejected.at("empty_item").examples.at(0).column, "ItemID");
  EXPECT_EQ(rejected.at("bad_category").examples.at(0).line, 17u);
  EXPECT_EQ(rejected.at("bad_category").examples.at(0).found, "X");
  EXPECT_EQ(rejected.at("bad_time").count, 2u);  // "yesterday" and April 31st
  EXPECT_EQ(rejected.at("bad_time").examples.at(0).line, 18u);
  EXPECT_EQ(rejected.at("bad_time").examples.at(0).column, "Timestamp");
  EXPECT_EQ(rejected.at("bad_field_count").examples.at(0).line, 19u);
  EXPECT_EQ(rejected.at("bad_field_count").examples.at(0).file, path);
  // A rejected row creates no item.
  EXPECT_EQ(log.items.find("214821275"), kNoIndex);
  EXPECT_EQ(log.items.find("214821290"), kNoIndex);
  // Strict mode: the first bad row fails the load, naming it.
  ReadOptions strict;
  strict.strict = true;
  EventLog log2;
  try {
    read_sessions_files({path}, log2, strict);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("clicks-slice.dat:16"), std::string::npos) << e.what();
  }
}

TEST(SessionsReader, ClickCategoriesAndBrandsFillTheCatalogLatestClickWins) {
  EventLog log;
  read_sessions_files({test::fixture("yoochoose/clicks-slice.dat")}, log);
  // Category 3 at 12:09; a later special-offer click ("S") leaves it.
  EXPECT_EQ(category_of(log, "214826715"), "3");
  // Category 4 on April 6th; the later "0" (unknown) click leaves it; a brand id is the brand.
  EXPECT_EQ(category_of(log, "214536502"), "4");
  EXPECT_EQ(log.catalog.find_item(log.items.find("214536502"))->brand, "2053839051");
  // Category 11 on April 6th wins over category 2 of April 1st, read after it.
  EXPECT_EQ(category_of(log, "214536500"), "11");
  EXPECT_EQ(category_of(log, "214532190"), "7");  // "07"
  // Only "0" clicks: no catalog entry at all.
  EXPECT_NE(log.items.find("214662742"), kNoIndex);
  EXPECT_EQ(log.catalog.find_item(log.items.find("214662742")), nullptr);
}

TEST(SessionsReader, PreparedAndRawFilesAreToldApartPerFile) {
  EventLog log;
  const ReadReport r = read_sessions_files(
      {test::fixture("yoochoose/prepared-slice.tsv"), test::fixture("yoochoose/clicks-slice.dat")}, log);
  ASSERT_EQ(r.file_rows.size(), 2u);
  EXPECT_EQ(r.file_rows[0].read, 4u);
  EXPECT_EQ(r.file_rows[0].kept, 4u);
  EXPECT_EQ(r.file_rows[1].kept, 17u);
  EXPECT_EQ(log.events[0].time, 1396839069);  // prepared: unix seconds, fraction truncated
  // Session "1" of both files is one user, one session id.
  EXPECT_EQ(log.users.name(log.events[4].user), "1");
  EXPECT_EQ(log.events[4].user, log.events[0].user);
  EXPECT_EQ(log.events[4].session, log.events[0].session);
}

TEST(SessionsReader, RawClicksMakeOneSequencePerSessionInFileOrder) {
  EventLog log;
  read_sessions_files({test::fixture("yoochoose/clicks-slice.dat")}, log);
  SequenceOptions o;
  o.ties_in_log_order = true;
  const Sequences s = build_sequences(log, o);
  ASSERT_EQ(s.size(), 7u);
  // Sequences by first time: session 8 (April 1st) first.
  EXPECT_EQ(log.users.name(s.users[0]), "8");
  const auto first = s.items_of(s.size() - 1);  // session 2, the latest to begin
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(log.items.name(first[0]), "214662742");
  EXPECT_EQ(log.items.name(first[2]), "214825110");
}

TEST(SessionsReader, AHeaderLineOnRawClicksIsSkipped) {
  test::TempDir dir;
  EventLog log;
  const ReadReport r = read_sessions_files(
      {dir.write("clicks.csv", "SessionID,Timestamp,ItemID,Category\r\n1,2014-04-07T10:51:09.277Z,214536502,0\r\n")},
      log);
  EXPECT_EQ(r.rows_read, 1u);
  EXPECT_EQ(r.rows_kept, 1u);
  EXPECT_TRUE(r.issues.rejected().empty());
}

TEST(SessionsReader, AnUnknownShapeIsAnErrorNamingBoth) {
  test::TempDir dir;
  EventLog log;
  try {
    read_sessions_files({dir.write("buys.dat", "420374,2014-04-06T18:44:58.314Z,214537888,12462,1\n")}, log);
    FAIL();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("buys.dat:1: not a sessions file"), std::string::npos) << what;
    EXPECT_NE(what.find("SessionId<TAB>ItemId<TAB>Time"), std::string::npos) << what;
    EXPECT_NE(what.find("SessionID,Timestamp,ItemID,Category"), std::string::npos) << what;
  }
  // An empty file is still the empty-file rule's.
  EventLog log2;
  EXPECT_THROW(read_files("sessions", std::vector<std::string>{dir.write("empty.tsv", "")}, ReadOptions{}, log2),
               InputError);
}

}  // namespace
}  // namespace aisle

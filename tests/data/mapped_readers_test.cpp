#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

ReadReport read(const std::string& format, const std::string& path, const ReadOptions& o, EventLog& log) {
  const std::vector<std::string> files = {path};
  return read_files(format, files, o, log);
}

TEST(ColumnMapping, ParsesTheIssueExample) {
  const ColumnMapping m = ColumnMapping::parse("user=customer_id,item=sku,time=ts:iso8601,event=action,weight=qty");
  EXPECT_EQ(m[Field::kUser], "customer_id");
  EXPECT_EQ(m[Field::kTime], "ts");
  EXPECT_EQ(m.time_format, TimeFormat::kIso8601);
  EXPECT_EQ(m[Field::kWeight], "qty");
  EXPECT_THROW(ColumnMapping::parse("usr=x"), ConfigError);
  EXPECT_THROW(ColumnMapping::parse("time=ts:julian"), ConfigError);
  EXPECT_EQ(ColumnMapping::parse(m.to_string()).to_string(), m.to_string());
}

TEST(CsvReader, MappedColumnsWithQuotingAndCatalog) {
  test::TempDir dir;
  const std::string path = dir.write("orders.csv",
                                     "customer_id,sku,ts,action,qty,title\n"
                                     "c1,A-1,2024-01-02T10:00:00Z,purchase,2,\"Mug, large\"\n"
                                     "c2,A-1,2024-01-02T11:00:00Z,view,,Mug\n"
                                     "c2,B-7,2024-01-03T11:00:00Z,teleport,1,Bowl\n"
                                     "c3,B-7,yesterday,view,1,Bowl\n");
  ReadOptions o;
  o.mapping = ColumnMapping::parse("user=customer_id,item=sku,time=ts:iso8601,event=action,weight=qty,name=title");
  EventLog log;
  const ReadReport r = read("csv", path, o, log);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0].weight, 2.0f);
  EXPECT_FALSE(is_present(log.events[1].weight));
  EXPECT_EQ(log.catalog.find_item(log.items.find("A-1"))->name, "Mug");  // the later row wins
  EXPECT_EQ(r.issues.rejected().at("unknown_event_type").count, 1u);
  EXPECT_EQ(r.issues.rejected().at("bad_time").examples.at(0).line, 5u);
}

TEST(CsvReader, ExchangeFormatNeedsNoMappingAndTsvWorks) {
  test::TempDir dir;
  EventLog log;
  read("csv", dir.write("train.csv", "user,item,weight,timestamp\n17850,85123A,85,1291303560\n"), ReadOptions{}, log);
  ASSERT_EQ(log.events.size(), 1u);
  EXPECT_EQ(log.events[0].weight, 85.0f);
  EXPECT_EQ(log.events[0].time, 1291303560);
  ReadOptions tsv;
  tsv.separator = "\t";
  EventLog log2;
  read(
      "csv", dir.write("x.tsv", "SessionId\tItemId\tTime\n1\t214536502\t1396839069.277\n"),
      [&] {
        tsv.mapping = ColumnMapping::parse("user=SessionId,item=ItemId,time=Time:unix,session=SessionId");
        return tsv;
      }(),
      log2);
  ASSERT_EQ(log2.events.size(), 1u);
  EXPECT_EQ(log2.events[0].time, 1396839069);
  EXPECT_EQ(log2.sessions.size(), 1u);
}

TEST(CsvReader, MissingMappedColumnIsAnErrorNamingIt) {
  test::TempDir dir;
  ReadOptions o;
  o.mapping = ColumnMapping::parse("user=customer,item=sku");
  EventLog log;
  try {
    read("csv", dir.write("x.csv", "customer_id,sku\n1,2\n"), o, log);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'customer'"), std::string::npos) << e.what();
  }
  EventLog log2;
  EXPECT_THROW(read("csv", dir.write("y.csv", "a,b\n1,2\n"), ReadOptions{}, log2), InputError);
}

TEST(CsvReader, CatalogFileWithoutUsersFillsTheCatalogOnly) {
  test::TempDir dir;
  const std::string path = dir.write("catalog.csv",
                                     "sku,title,category_id,brand,price,image_url,in_stock\n"
                                     "A-1,\"Mug, large\",kitchen,Acme,4.50,https://img.example/a1.jpg,yes\n"
                                     "B-7,Bowl,kitchen,,0,,0\n"
                                     "C-3,Plate,kitchen,,2.00,,maybe\n");
  EventLog log;
  const ReadReport r = read("csv", path, ReadOptions{}, log);
  EXPECT_TRUE(log.events.empty());
  EXPECT_EQ(r.rows_kept, 2u);
  EXPECT_EQ(r.issues.rejected().at("bad_available").examples.at(0).line, 4u);
  const ItemInfo* mug = log.catalog.find_item(log.items.find("A-1"));
  ASSERT_NE(mug, nullptr);
  EXPECT_EQ(mug->name, "Mug, large");
  EXPECT_EQ(mug->brand, "Acme");
  EXPECT_EQ(mug->price, 4.5f);
  EXPECT_EQ(mug->image_url, "https://img.example/a1.jpg");
  EXPECT_EQ(mug->available, Availability::kYes);
  EXPECT_EQ(log.catalog.category_ids().name(mug->categories.at(0)), "kitchen");
  const ItemInfo* bowl = log.catalog.find_item(log.items.find("B-7"));
  ASSERT_NE(bowl, nullptr);
  EXPECT_EQ(bowl->available, Availability::kNo);
  EXPECT_FALSE(is_present(bowl->price));  // 0 is no price
}

TEST(JsonlReader, StringsNumbersNullsAndBadLines) {
  test::TempDir dir;
  const std::string path = dir.write(
      "events.jsonl",
      "{\"uid\": 17850, \"sku\": \"85123A\", \"ts\": 1291191960, \"type\": \"addtocart\", \"price\": 2.55}\n"
      "{\"uid\": \"u2\", \"sku\": \"22423\", \"ts\": \"2010-12-01 08:26:00\", \"type\": \"view\", \"price\": null}\n"
      "not json\n"
      "\n"
      "{\"uid\": \"u3\", \"ts\": 1291191960, \"type\": \"view\"}\n");
  ReadOptions o;
  o.mapping = ColumnMapping::parse("user=uid,item=sku,time=ts,event=type,value=price");
  EventLog log;
  const ReadReport r = read("jsonl", path, o, log);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.users.name(0), "17850");
  EXPECT_EQ(log.event_types.name(log.events[0].type), "cart");
  EXPECT_FLOAT_EQ(log.events[0].value, 2.55f);
  EXPECT_FALSE(is_present(log.events[1].value));
  EXPECT_EQ(log.events[1].time, 1291191960);
  EXPECT_EQ(r.issues.rejected().at("bad_json").examples.at(0).line, 3u);
  EXPECT_EQ(r.issues.rejected().at("empty_item").examples.at(0).line, 5u);
}

}  // namespace
}  // namespace aisle

#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/interactions.h"
#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

struct Loaded {
  EventLog log;
  ReadReport report{ReadOptions{}};
};

Loaded load_slice(const ReadOptions& options = ReadOptions{}) {
  Loaded l;
  const std::vector<std::string> files = {test::fixture("online-retail-slice.csv")};
  l.report = read_files("online-retail", files, options, l.log);
  return l;
}

const ItemInfo& item_info(const EventLog& log, std::string_view code) {
  const ItemIdx i = log.items.find(code);
  EXPECT_NE(i, kNoIndex) << code;
  const ItemInfo* info = log.catalog.find_item(i);
  EXPECT_NE(info, nullptr) << code;
  return *info;
}

TEST(OnlineRetail, CountsEveryRowByFate) {
  const Loaded l = load_slice();
  EXPECT_EQ(l.report.rows_read, 28u);
  EXPECT_EQ(l.report.issues.skipped().at("no_customer"), 6u);       // incl. gift voucher, bad debt
  EXPECT_EQ(l.report.issues.skipped().at("non_product_code"), 3u);  // POST, D, M
  EXPECT_EQ(l.report.issues.rejected_rows(), 0u);
  EXPECT_EQ(l.report.rows_kept, 19u);
  EXPECT_EQ(l.report.rows_read, l.report.rows_kept + l.report.issues.skipped_rows() + l.report.issues.rejected_rows());
  EXPECT_EQ(l.log.events.size(), 19u);
  EXPECT_EQ(l.log.users.size(), 8u);
  EXPECT_EQ(l.log.items.size(), 17u);
}

TEST(OnlineRetail, FloatFormattedCustomerIdsBecomeIntegers) {
  const Loaded l = load_slice();
  EXPECT_EQ(l.log.users.name(0), "17850");
  EXPECT_EQ(l.log.users.find("17850.0"), kNoIndex);
}

TEST(OnlineRetail, CancellationsAreNegativeEvents) {
  const Loaded l = load_slice();
  const EventTypeIdx cancel = l.log.event_types.find("cancel");
  ASSERT_NE(cancel, kNoIndex);
  int cancels = 0;
  for (const Event& e : l.log.events) {
    if (e.type != cancel) continue;
    ++cancels;
    EXPECT_EQ(l.log.items.name(e.item), "35004C");
    EXPECT_EQ(e.quantity, -1.0f);
    EXPECT_EQ(l.log.users.name(e.user), "15311");
  }
  EXPECT_EQ(cancels, 1);
  const auto pairs =
      aggregate(l.log.events, Weighting().resolve(l.log.event_types), l.log.users.size(), l.log.items.size());
  const UserIdx u = l.log.users.find("15311");
  ASSERT_EQ(pairs.row_ptr[u + 1] - pairs.row_ptr[u], 1u);
  EXPECT_LT(pairs.weight[pairs.row_ptr[u]], 0.0f);
}

TEST(OnlineRetail, DoubledQuotesAndStraySpacesInDescriptions) {
  const Loaded l = load_slice();
  EXPECT_EQ(item_info(l.log, "22041").name, "RECORD FRAME 7\" SINGLE SIZE");
  EXPECT_EQ(item_info(l.log, "85071C").name, "CHARLIE+LOLA\"EXTREMELY BUSY\" SIGN");
  EXPECT_EQ(item_info(l.log, "22900").name, "SET 2 TEA TOWELS I LOVE LONDON");
}

TEST(OnlineRetail, ZeroPricesStayOnTheEventButNeverBecomeTheCatalogPrice) {
  const Loaded l = load_slice();
  EXPECT_FALSE(is_present(item_info(l.log, "22841").price));
  const ItemIdx tin = l.log.items.find("22841");
  for (const Event& e : l.log.events) {
    if (e.item == tin) {
      EXPECT_EQ(e.value, 0.0f);
    }
  }
  EXPECT_FLOAT_EQ(item_info(l.log, "85123A").price, 2.55f);
}

TEST(OnlineRetail, NegativePricesOfTheRealDataNeverReachTheCatalog) {
  // The slice's negative prices ("Adjust bad debt", -11062.06) are on rows without customer.
  const Loaded l = load_slice();
  EXPECT_EQ(l.log.items.find("B"), kNoIndex);
  for (const Event& e : l.log.events) EXPECT_GE(e.value, 0.0f);
  for (ItemIdx i = 0; i < l.log.items.size(); ++i) {
    const ItemInfo* info = l.log.catalog.find_item(i);
    if (info != nullptr && is_present(info->price)) {
      EXPECT_GT(info->price, 0.0f);
    }
  }
}

TEST(OnlineRetail, ExactDuplicateRowsAreAllKept) {
  const Loaded l = load_slice();
  const UserIdx u = l.log.users.find("17908");
  const ItemIdx i = l.log.items.find("21866");
  EXPECT_EQ(std::count_if(l.log.events.begin(), l.log.events.end(),
                          [&](const Event& e) { return e.user == u && e.item == i; }),
            2);
}

TEST(OnlineRetail, ProductRuleIsConfigurable) {
  ReadOptions o;
  o.online_retail.include_codes = {"POST", "M"};
  o.online_retail.exclude_codes = {"85123A"};
  const Loaded l = load_slice(o);
  EXPECT_NE(l.log.items.find("POST"), kNoIndex);
  EXPECT_NE(l.log.items.find("M"), kNoIndex);
  EXPECT_EQ(l.log.items.find("85123A"), kNoIndex);
  EXPECT_EQ(l.report.issues.skipped().at("non_product_code"), 2u);  // D and 85123A
}

TEST(OnlineRetail, MissingColumnNamesItAndTheFormat) {
  test::TempDir dir;
  const std::string path =
      dir.write("bad.csv", "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,Country\n1,2,3,4,5,6,7\n");
  EventLog log;
  try {
    const std::vector<std::string> files = {path};
    read_files("online-retail", files, ReadOptions{}, log);
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("missing column 'CustomerID'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("online-retail"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad.csv:1"), std::string::npos) << msg;
  }
}

TEST(OnlineRetail, BadRowsAreRejectedWithLocationAndStrictFails) {
  test::TempDir dir;
  const std::string path =
      dir.write("rows.csv",
                "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
                "536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n"
                "536367,22634,HAND WARMER,6,2010-13-01 08:28:00,1.85,17850.0,United Kingdom\n"
                "536368,22635,HAND WARMER,6\n");
  const std::vector<std::string> files = {path};
  EventLog log;
  const ReadReport r = read_files("online-retail", files, ReadOptions{}, log);
  EXPECT_EQ(r.rows_kept, 1u);
  ASSERT_EQ(r.issues.rejected_rows(), 3u);
  const RejectExample& qty = r.issues.rejected().at("bad_number").examples.at(0);
  EXPECT_EQ(qty.line, 3u);
  EXPECT_EQ(qty.column, "Quantity");
  EXPECT_EQ(qty.found, "six");
  EXPECT_EQ(r.issues.rejected().at("bad_time").examples.at(0).to_string(),
            path + ":4: column 'InvoiceDate': expected a date like 2010-12-01 08:26:00, found '2010-13-01 08:28:00'");
  EXPECT_EQ(r.issues.rejected().at("short_row").count, 1u);

  ReadOptions strict;
  strict.strict = true;
  EventLog log2;
  try {
    read_files("online-retail", files, strict, log2);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3: column 'Quantity'"), std::string::npos) << e.what();
  }
}

TEST(OnlineRetail, FullFileMatchesPublishedCounts) {
  const std::string path = test::shared_data("online-retail-uci/online-retail-by-day-concat.csv.zst");
  if (path.empty()) GTEST_SKIP() << "../shared/data not present";
  EventLog log;
  const std::vector<std::string> files = {path};
  const ReadReport r = read_files("online-retail", files, ReadOptions{}, log);
  EXPECT_EQ(r.rows_read, 541909u);
  EXPECT_EQ(r.issues.skipped().at("no_customer"), 135080u);  // published figure
  EXPECT_EQ(r.issues.rejected_rows(), 0u);
  // Purchases equal the reference split's raw rows (product codes, customer, not cancelled).
  const EventTypeIdx purchase = log.event_types.find("purchase");
  EXPECT_EQ(std::count_if(log.events.begin(), log.events.end(), [&](const Event& e) { return e.type == purchase; }),
            396370);
}

}  // namespace
}  // namespace aisle

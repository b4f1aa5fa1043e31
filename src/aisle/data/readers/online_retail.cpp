// UCI Online Retail (Chen, Sain & Guo 2012; CC BY 4.0):
//   InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
// - InvoiceDate is "2010-12-01 08:26:00" (UTC assumed); the UCI spreadsheet's "12/1/2010 8:26"
//   is read too.
// - A row without CustomerID is skipped and counted ("no_customer").
// - StockCodes are upper-cased; a code that is not a product (OnlineRetailRules: POST, M, D, C2,
//   DOT, BANK CHARGES, AMAZONFEE, CRUK, ...) is skipped and counted ("non_product_code").
// - An invoice starting with C, or a negative Quantity, is a "cancel" event; others "purchase".
//   quantity keeps its sign, value is the unit price (zero and negative prices are kept on the
//   event; they never become the catalog price).
// - The catalog gets the item's latest non-empty description and latest positive unit price.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/row_builder.h"

namespace aisle {

namespace {

constexpr std::string_view kColumns =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

// "12/1/2010 8:26" (month/day/year hour:minute), as in the original spreadsheet export.
std::optional<Timestamp> parse_us_datetime(std::string_view s) {
  int parts[5] = {0, 0, 0, 0, 0};
  const char seps[4] = {'/', '/', ' ', ':'};
  const char* p = s.data();
  const char* end = s.data() + s.size();
  for (int i = 0; i < 5; ++i) {
    auto [next, ec] = std::from_chars(p, end, parts[i]);
    if (ec != std::errc() || next == p) return std::nullopt;
    p = next;
    if (i < 4) {
      if (p == end || *p != seps[i]) return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d %02d:%02d", parts[2], parts[0], parts[1], parts[3], parts[4]);
  return parse_timestamp(iso, TimeFormat::kIso8601);
}

}  // namespace

bool OnlineRetailRules::is_product(std::string_view code) const {
  const auto listed = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), code) != list.end();
  };
  if (listed(exclude_codes)) return false;
  if (listed(include_codes)) return true;
  if (!five_digit_codes || code.size() < 5) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool ok = i < 5 ? (c >= '0' && c <= '9') : (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

void read_online_retail(std::span<const std::string> files, const ReadOptions& options, EventLog& log,
                        ReadReport& report) {
  LatestByItem latest_name, latest_price;
  std::string code_buf;
  for (const std::string& path : files) {
    FileRows rows(path, ",", options, report);
    Record header_record;
    if (!rows.read_header(header_record)) continue;  // no rows: read_files' empty-file rule
    const Header h(header_record, path, "online-retail");
    const std::size_t c_invoice = h.require("InvoiceNo", kColumns);
    const std::size_t c_code = h.require("StockCode", kColumns);
    const std::size_t c_desc = h.require("Description", kColumns);
    const std::size_t c_qty = h.require("Quantity", kColumns);
    const std::size_t c_date = h.require("InvoiceDate", kColumns);
    const std::size_t c_price = h.require("UnitPrice", kColumns);
    const std::size_t c_customer = h.require("CustomerID", kColumns);
    const std::size_t width = std::max({c_invoice, c_code, c_desc, c_qty, c_date, c_price, c_customer}) + 1;
    rows.prepare_for_events(log, c_customer, c_code);
    EventRow row(log, report, options);
    const EventTypeIdx purchase = log.event_types.intern("purchase");
    const EventTypeIdx cancel = log.event_types.intern("cancel");
    while (rows.next()) {
      row.begin(rows.where());
      if (!row.has_width(rows.width(), width)) continue;
      if (clean_id(rows.field(c_customer)).empty()) {
        report.issues.skip("no_customer");
        continue;
      }
      code_buf = to_upper(trim(rows.field(c_code)));
      if (code_buf.empty()) {
        row.reject("empty_item", "StockCode", "a non-empty id", rows.field(c_code));
        continue;
      }
      Event& e = row.event();
      const std::string_view date = trim(rows.field(c_date));
      auto t = parse_timestamp(date, TimeFormat::kIso8601);
      if (!t) t = parse_us_datetime(date);
      if (!t) {
        row.reject("bad_time", "InvoiceDate", "a date like 2010-12-01 08:26:00", date);
        continue;
      }
      if (!row.time_value(*t, "InvoiceDate", date)) continue;
      if (!row.number(rows.field(c_qty), "Quantity", e.quantity) ||
          !row.number(rows.field(c_price), "UnitPrice", e.value)) {
        continue;
      }
      if (!is_present(e.quantity)) {
        row.reject("bad_number", "Quantity", "a quantity", rows.field(c_qty));
        continue;
      }
      if (!options.online_retail.is_product(code_buf)) {
        report.issues.skip("non_product_code");
        continue;
      }
      if (!row.user(rows.field(c_customer), "CustomerID") || !row.item(code_buf, "StockCode")) continue;
      const std::string_view invoice = trim(rows.field(c_invoice));
      const bool cancelled = (!invoice.empty() && (invoice[0] == 'C' || invoice[0] == 'c')) || e.quantity < 0;
      row.type_index(cancelled ? cancel : purchase);

      const std::string_view desc = trim(rows.field(c_desc));
      const ItemIdx item = row.item_index();
      if (!desc.empty() && latest_name.newer(item, e.time)) assign_utf8_or_latin1(log.catalog.item(item).name, desc);
      if (is_present(e.value) && e.value > 0 && latest_price.newer(item, e.time)) {
        log.catalog.item(item).price = e.value;
      }
      row.commit();
    }
  }
}

}  // namespace aisle

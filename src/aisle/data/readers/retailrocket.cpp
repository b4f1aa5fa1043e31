// RetailRocket (Kaggle "Retailrocket recommender system dataset"). Files are told apart by header:
//   events.csv             timestamp(ms),visitorid,event(view|addtocart|transaction),itemid,transactionid
//   item_properties*.csv   timestamp(ms),itemid,property,value   (categoryid, available, 790 = price)
//   category_tree.csv      categoryid,parentid
// For item properties the value with the latest timestamp wins; other properties (hashed text)
// are skipped and counted. Numeric property values carry an 'n' prefix ("n5280.000").
#include <optional>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/row_builder.h"

namespace aisle {

namespace {

constexpr std::string_view kEventColumns = "timestamp,visitorid,event,itemid,transactionid";
constexpr std::string_view kPropertyColumns = "timestamp,itemid,property,value";
constexpr std::string_view kTreeColumns = "categoryid,parentid";

void read_events(FileRows& rows, const Header& h, const ReadOptions& options, EventLog& log, ReadReport& report) {
  const std::size_t c_time = h.require("timestamp", kEventColumns);
  const std::size_t c_user = h.require("visitorid", kEventColumns);
  const std::size_t c_event = h.require("event", kEventColumns);
  const std::size_t c_item = h.require("itemid", kEventColumns);
  const std::size_t width = h.size();
  rows.prepare_for_events(log, c_user, c_item);
  EventRow row(log, report, options);
  while (rows.next()) {
    row.begin(rows.where());
    if (!row.has_width(rows.width(), width)) continue;
    if (!row.time(rows.field(c_time), "timestamp", TimeFormat::kUnixMillis) ||
        !row.user(rows.field(c_user), "visitorid") || !row.type(rows.field(c_event), "event") ||
        !row.item(rows.field(c_item), "itemid")) {
      continue;
    }
    row.commit();
  }
}

std::optional<float> property_number(std::string_view v) {
  v = trim(v);
  if (!v.empty() && v.front() == 'n') v.remove_prefix(1);
  return parse_float(v);
}

void read_properties(FileRows& rows, const Header& h, const ReadOptions& options, EventLog& log, ReadReport& report) {
  const std::size_t c_time = h.require("timestamp", kPropertyColumns);
  const std::size_t c_item = h.require("itemid", kPropertyColumns);
  const std::size_t c_prop = h.require("property", kPropertyColumns);
  const std::size_t c_value = h.require("value", kPropertyColumns);
  const std::size_t width = h.size();
  LatestByItem latest_category, latest_available, latest_price;
  EventRow row(log, report, options);
  while (rows.next()) {
    row.begin(rows.where());
    if (!row.has_width(rows.width(), width)) continue;
    const std::string_view prop = trim(rows.field(c_prop));
    const bool wanted = prop == "categoryid" || prop == "available" || prop == "790";
    if (!wanted) {
      report.issues.skip("unused_property");
      continue;
    }
    if (!row.time(rows.field(c_time), "timestamp", TimeFormat::kUnixMillis) ||
        !row.item(rows.field(c_item), "itemid")) {
      continue;
    }
    const Timestamp t = row.event().time;
    const std::string_view value = trim(rows.field(c_value));
    // The value is checked before the item is added: a rejected row creates no item.
    if (prop == "categoryid") {
      const std::string_view cat = clean_id(value);
      if (cat.empty()) {
        row.reject("bad_property_value", "value", "a category id", value);
        continue;
      }
      const ItemIdx item = row.item_index();
      if (latest_category.newer(item, t)) {
        const CategoryIdx c = log.catalog.add_category(cat);
        log.catalog.item(item).categories = {c};
      }
    } else if (prop == "available") {
      if (value != "0" && value != "1") {
        row.reject("bad_property_value", "value", "0 or 1 for 'available'", value);
        continue;
      }
      const ItemIdx item = row.item_index();
      if (latest_available.newer(item, t)) {
        log.catalog.item(item).available = value == "1" ? Availability::kYes : Availability::kNo;
      }
    } else {
      const auto price = property_number(value);
      if (!price) {
        row.reject("bad_property_value", "value", "a number like n5280.000 for property 790", value);
        continue;
      }
      const ItemIdx item = row.item_index();
      if (latest_price.newer(item, t)) log.catalog.item(item).price = *price;
    }
    ++report.rows_kept;
  }
}

void read_tree(FileRows& rows, const Header& h, const ReadOptions& options, EventLog& log, ReadReport& report) {
  const std::size_t c_cat = h.require("categoryid", kTreeColumns);
  const std::size_t c_parent = h.require("parentid", kTreeColumns);
  EventRow row(log, report, options);
  while (rows.next()) {
    row.begin(rows.where());
    const std::string_view cat = rows.width() > c_cat ? clean_id(rows.field(c_cat)) : "";
    if (cat.empty()) {
      row.reject("empty_category", "categoryid", "a category id", cat);
      continue;
    }
    const std::string_view parent = rows.width() > c_parent ? clean_id(rows.field(c_parent)) : "";
    const CategoryIdx c = log.catalog.add_category(cat);
    if (!parent.empty()) log.catalog.set_parent(c, log.catalog.add_category(parent));
    ++report.rows_kept;
  }
}

}  // namespace

void read_retailrocket(std::span<const std::string> files, const ReadOptions& options, EventLog& log,
                       ReadReport& report) {
  for (const std::string& path : files) {
    FileRows rows(path, ",", options, report);
    Record header_record;
    if (!rows.read_header(header_record)) continue;  // no rows: read_files' empty-file rule
    const Header h(header_record, path, "retailrocket");
    if (h.find("visitorid") != Header::npos) {
      read_events(rows, h, options, log, report);
    } else if (h.find("property") != Header::npos) {
      read_properties(rows, h, options, log, report);
    } else if (h.find("parentid") != Header::npos) {
      read_tree(rows, h, options, log, report);
    } else {
      throw InputError(path + ":1: not a RetailRocket file: expected the header of events.csv (" +
                       std::string(kEventColumns) + "), item_properties*.csv (" + std::string(kPropertyColumns) +
                       ") or category_tree.csv (" + std::string(kTreeColumns) + ")");
    }
  }
}

}  // namespace aisle

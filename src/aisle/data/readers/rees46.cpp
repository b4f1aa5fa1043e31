// REES46 "eCommerce behavior data from multi category store" (one CSV per month):
//   event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
// event_time is "2019-10-01 00:00:04 UTC"; event_type is view|cart|remove_from_cart|purchase.
// The catalog takes the latest price, brand and category of each product. category_code is a
// dotted path ("electronics.smartphone"): the product's category_id is named by its last segment
// and hangs under a node per proper prefix ("code:electronics").
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/row_builder.h"

namespace aisle {

namespace {

constexpr std::string_view kColumns =
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";

// The category node of category_id. Its name is the last segment of the dotted code and its
// parents are nodes for the code's proper prefixes ("code:computers" for "computers.notebook").
// Without category_id the full code path is the leaf; without a code, category_id is a root.
CategoryIdx category_of(Catalog& catalog, std::string_view category_id, std::string_view code) {
  CategoryIdx parent = kNoIndex;
  std::string_view leaf_name;
  std::size_t start = 0;
  while (!code.empty()) {
    const std::size_t dot = code.find('.', start);
    leaf_name = code.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (dot == std::string_view::npos && !category_id.empty()) break;  // the leaf is category_id
    const CategoryIdx node = catalog.add_category("code:" + std::string(code.substr(0, dot)), leaf_name);
    if (parent != kNoIndex) catalog.set_parent(node, parent);
    parent = node;
    if (dot == std::string_view::npos) return node;
    start = dot + 1;
  }
  if (category_id.empty()) return parent;
  const CategoryIdx c = catalog.add_category(category_id, leaf_name);
  if (parent != kNoIndex) catalog.set_parent(c, parent);
  return c;
}

}  // namespace

void read_rees46(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  LatestByItem latest;
  for (const std::string& path : files) {
    FileRows rows(path, ",", options, report);
    Record header_record;
    if (!rows.read_header(header_record)) continue;  // no rows: read_files' empty-file rule
    const Header h(header_record, path, "rees46");
    const std::size_t c_time = h.require("event_time", kColumns);
    const std::size_t c_type = h.require("event_type", kColumns);
    const std::size_t c_item = h.require("product_id", kColumns);
    const std::size_t c_cat = h.require("category_id", kColumns);
    const std::size_t c_code = h.require("category_code", kColumns);
    const std::size_t c_brand = h.require("brand", kColumns);
    const std::size_t c_price = h.require("price", kColumns);
    const std::size_t c_user = h.require("user_id", kColumns);
    const std::size_t c_session = h.require("user_session", kColumns);
    const std::size_t width = h.size();
    rows.prepare_for_events(log, c_user, c_item);
    EventRow row(log, report, options);
    while (rows.next()) {
      row.begin(rows.where());
      if (!row.has_width(rows.width(), width)) continue;
      Event& e = row.event();
      if (!row.time(rows.field(c_time), "event_time", TimeFormat::kIso8601) ||
          !row.type(rows.field(c_type), "event_type") || !row.item(rows.field(c_item), "product_id") ||
          !row.user(rows.field(c_user), "user_id") || !row.number(rows.field(c_price), "price", e.value)) {
        continue;
      }
      row.session(rows.field(c_session));
      const ItemIdx item = row.item_index();
      if (latest.newer(item, e.time)) {
        ItemInfo& info = log.catalog.item(item);
        if (is_present(e.value) && e.value > 0) info.price = e.value;
        const std::string_view brand = trim(rows.field(c_brand));
        if (!brand.empty()) assign_utf8_or_latin1(info.brand, brand);
        const CategoryIdx c = category_of(log.catalog, clean_id(rows.field(c_cat)), trim(rows.field(c_code)));
        if (c != kNoIndex) info.categories = {c};
      }
      row.commit();
    }
  }
}

}  // namespace aisle

#include "aisle/data/readers/mapped_row.h"

#include "aisle/core/text.h"

namespace aisle {

namespace {
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "user",    "item", "time",     "event", "weight", "quantity",  "value",
    "session", "name", "category", "brand", "price",  "image_url", "available"};
}  // namespace

std::string_view field_name(Field f) {
  return kFieldNames[static_cast<std::size_t>(f)];
}

ColumnMapping ColumnMapping::parse(std::string_view spec) {
  ColumnMapping m;
  spec = trim(spec);
  if (spec.empty()) return m;
  for (std::string_view part : split(spec, ",")) {
    part = trim(part);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      throw ConfigError("column mapping '" + std::string(spec) + "': '" + std::string(part) + "' is not FIELD=COLUMN");
    }
    const std::string field = to_lower(trim(part.substr(0, eq)));
    std::string_view column = trim(part.substr(eq + 1));
    std::size_t i = 0;
    while (i < kFieldCount && kFieldNames[i] != field) ++i;
    if (i == kFieldCount) {
      std::string known;
      for (std::string_view n : kFieldNames) known += (known.empty() ? "" : ", ") + std::string(n);
      throw ConfigError("column mapping: unknown field '" + field + "'; known: " + known);
    }
    if (static_cast<Field>(i) == Field::kTime) {
      const std::size_t colon = column.rfind(':');
      if (colon != std::string_view::npos) {
        const auto fmt = parse_time_format(trim(column.substr(colon + 1)));
        if (!fmt) {
          throw ConfigError("column mapping: unknown time format '" + std::string(column.substr(colon + 1)) +
                            "'; known: unix, unix_ms, iso8601, auto");
        }
        m.time_format = *fmt;
        column = trim(column.substr(0, colon));
      }
    }
    if (column.empty()) throw ConfigError("column mapping: field '" + field + "' has an empty column name");
    m.source[i] = column;
  }
  return m;
}

std::string ColumnMapping::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (source[i].empty()) continue;
    if (!out.empty()) out += ',';
    out.append(kFieldNames[i]).append("=").append(source[i]);
    if (static_cast<Field>(i) == Field::kTime) out += std::string(":") + time_format_name(time_format);
  }
  return out;
}

const std::vector<std::string_view>& usual_names(Field f) {
  static const std::array<std::vector<std::string_view>, kFieldCount> kUsual = {{
      {"user", "user_id", "userid", "visitorid", "customer_id", "customerid"},
      {"item", "item_id", "itemid", "product_id", "productid", "sku"},
      {"time", "timestamp", "ts", "event_time", "datetime"},
      {"event", "event_type", "type", "action"},
      {"weight"},
      {"quantity", "qty"},
      {"value", "rating"},
      {"session", "session_id", "sessionid", "user_session"},
      {"name", "title"},
      {"category", "category_id"},
      {"brand"},
      {"price"},
      {"image_url", "image", "image_link"},
      {"available", "availability", "in_stock"},
  }};
  return kUsual[static_cast<std::size_t>(f)];
}

MappedRowBuilder::MappedRowBuilder(EventLog& log, ReadReport& report, const ReadOptions& options)
    : row_(log, report, options), options_(options), log_(log) {}

namespace {
// "1", "true", "yes", "in stock" and their opposites; nullopt for anything else.
std::optional<Availability> parse_available(std::string_view v) {
  const std::string t = to_lower(trim(v));
  if (t == "1" || t == "true" || t == "yes" || t == "in stock" || t == "in_stock") return Availability::kYes;
  if (t == "0" || t == "false" || t == "no" || t == "out of stock" || t == "out_of_stock") return Availability::kNo;
  return std::nullopt;
}
}  // namespace

void MappedRowBuilder::add(RowLocation where, const MappedValues& values,
                           const std::array<std::string, kFieldCount>& columns) {
  const auto get = [&](Field f) { return values[static_cast<std::size_t>(f)]; };
  const auto col = [&](Field f) -> std::string_view { return columns[static_cast<std::size_t>(f)]; };
  const bool catalog_only = col(Field::kUser).empty();
  row_.begin(where);
  Event& e = row_.event();
  if (!catalog_only && !row_.user(get(Field::kUser).value_or(""), col(Field::kUser))) return;
  if (!row_.item(get(Field::kItem).value_or(""), col(Field::kItem))) return;
  if (get(Field::kTime) && !row_.time(*get(Field::kTime), col(Field::kTime), options_.mapping.time_format)) return;
  if (!catalog_only) {
    if (get(Field::kEvent)) {
      if (!row_.type(*get(Field::kEvent), col(Field::kEvent))) return;
    } else {
      if (default_type_ == kNoIndex && !row_.type(options_.default_event, "(default event)")) return;
      if (default_type_ == kNoIndex) default_type_ = e.type;
      row_.type_index(default_type_);
    }
  }
  if ((get(Field::kWeight) && !row_.number(*get(Field::kWeight), col(Field::kWeight), e.weight)) ||
      (get(Field::kQuantity) && !row_.number(*get(Field::kQuantity), col(Field::kQuantity), e.quantity)) ||
      (get(Field::kValue) && !row_.number(*get(Field::kValue), col(Field::kValue), e.value))) {
    return;
  }
  float price = kAbsent;
  if (get(Field::kPrice) && !row_.number(*get(Field::kPrice), col(Field::kPrice), price)) return;
  std::optional<Availability> available;
  if (get(Field::kAvailable) && !trim(*get(Field::kAvailable)).empty()) {
    available = parse_available(*get(Field::kAvailable));
    if (!available) {
      row_.reject("bad_available", col(Field::kAvailable), "1/0, true/false, yes/no or in/out of stock",
                  *get(Field::kAvailable));
      return;
    }
  }
  if (get(Field::kSession)) row_.session(*get(Field::kSession));

  const auto text = [&](Field f) { return get(f) ? trim(*get(f)) : std::string_view(); };
  const bool has_catalog = !text(Field::kName).empty() || !text(Field::kCategory).empty() ||
                           !text(Field::kBrand).empty() || is_present(price) || !text(Field::kImageUrl).empty() ||
                           available.has_value();
  if (has_catalog && latest_.newer(row_.item_index(), e.time)) {
    ItemInfo& info = log_.catalog.item(e.item);
    if (!text(Field::kName).empty()) assign_utf8_or_latin1(info.name, text(Field::kName));
    if (!text(Field::kBrand).empty()) assign_utf8_or_latin1(info.brand, text(Field::kBrand));
    if (!text(Field::kImageUrl).empty()) assign_utf8_or_latin1(info.image_url, text(Field::kImageUrl));
    if (available) info.available = *available;
    if (is_present(price) && price > 0) info.price = price;
    const std::string_view cat = get(Field::kCategory) ? clean_id(*get(Field::kCategory)) : std::string_view();
    if (!cat.empty()) info.categories = {log_.catalog.add_category(cat)};
  }
  if (catalog_only) {
    row_.keep_without_event();
    return;
  }
  row_.commit();
}

}  // namespace aisle

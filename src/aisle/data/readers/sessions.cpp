// Session click logs, anonymous sessions (each session id is both the event's session and its
// user, so pair-based models see one "user" per session). Rows are clicks: events of the
// default event type. Each file is recognised by its first line:
//   - a tab in it: session-rec's prepared files (e.g. rsc15 train_full / test), with the header
//     SessionId, ItemId, Time (unix seconds with a fraction, truncated to seconds). Read by the
//     csv reader with that mapping; a --map given by the caller wins field by field.
//   - otherwise four comma-separated fields: the raw YooChoose clicks of the RecSys Challenge
//     2015 (yoochoose-clicks.dat), no header: SessionID,Timestamp,ItemID,Category with ISO 8601
//     times (2014-04-07T10:51:09.277Z; the fraction is dropped). A first line whose second field
//     is "Timestamp" is taken as a header. Category is the click's context: 1-12 a category, a
//     longer number a brand, "S" a special offer, "0" unknown; the latest click of an item in a
//     category (in a brand) sets its catalog category (brand), "S" and "0" change nothing.
//   - anything else is an InputError naming both shapes.
#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/row_builder.h"

namespace aisle {

namespace {

enum class SessionFile { kPrepared, kClicks, kClicksWithHeader };

SessionFile classify(const std::string& path) {
  const std::string line = first_line(path);
  if (line.empty() || line.find('\t') != std::string::npos) return SessionFile::kPrepared;
  const std::vector<std::string_view> fields = split(line, ",");
  if (fields.size() == 4) {
    return to_lower(trim(fields[1])) == "timestamp" ? SessionFile::kClicksWithHeader : SessionFile::kClicks;
  }
  throw InputError(printable(path, 4096) +
                   ":1: not a sessions file: expected session-rec's prepared files (tab-separated, header "
                   "SessionId<TAB>ItemId<TAB>Time) or YooChoose clicks (no header, "
                   "SessionID,Timestamp,ItemID,Category); the first line is '" +
                   printable(line, 200) + "'");
}

void read_prepared(const std::string& path, const ReadOptions& options, EventLog& log, ReadReport& report) {
  ReadOptions o = options;
  o.separator = "\t";
  const ColumnMapping preset = ColumnMapping::parse("user=SessionId,item=ItemId,time=Time:unix,session=SessionId");
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (o.mapping.source[f].empty()) o.mapping.source[f] = preset.source[f];
  }
  if (options.mapping.time_format == TimeFormat::kAuto) o.mapping.time_format = TimeFormat::kUnixSeconds;
  read_csv(std::span<const std::string>(&path, 1), o, log, report);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The catalog facts of a click's Category field, recorded when the click is the item's latest.
class ClickContext {
 public:
  // False, after rejecting the row, when the value is neither "S" nor a number.
  bool check(EventRow& row, std::string_view raw) {
    value_ = trim(raw);
    if (value_ == "S" || all_digits(value_)) return true;
    row.reject("bad_category", "Category", "0, S, a category 1-12 or a brand id (digits)", raw);
    return false;
  }
  // Call once the row will be kept (it adds the item).
  void record(EventRow& row, Catalog& catalog) {
    if (value_ == "S") return;
    std::string_view number = value_;
    while (number.size() > 1 && number.front() == '0') number.remove_prefix(1);  // "07" is "7"
    if (number == "0") return;
    const bool category = number.size() <= 2 && std::stoi(std::string(number)) <= 12;
    const ItemIdx item = row.item_index();
    const Timestamp t = row.event().time;
    if (category) {
      if (latest_category_.newer(item, t)) catalog.item(item).categories = {catalog.add_category(number)};
    } else if (latest_brand_.newer(item, t)) {
      catalog.item(item).brand = std::string(number);
    }
  }

 private:
  std::string_view value_;  // of the current row
  LatestByItem latest_category_, latest_brand_;
};

void read_clicks(const std::string& path, bool header, const ReadOptions& options, EventLog& log, ReadReport& report) {
  FileRows rows(path, ",", options, report);
  Record header_record;
  if (header && !rows.read_header(header_record)) return;
  rows.prepare_for_events(log, 0, 2);
  EventRow row(log, report, options);
  ClickContext context;
  EventTypeIdx click = kNoIndex;
  while (rows.next()) {
    row.begin(rows.where());
    if (rows.width() != 4) {
      row.reject("bad_field_count", "", "4 fields (SessionID,Timestamp,ItemID,Category)",
                 std::to_string(rows.width()) + " fields");
      continue;
    }
    if (!row.user(rows.field(0), "SessionID") || !row.time(rows.field(1), "Timestamp", TimeFormat::kIso8601) ||
        !row.item(rows.field(2), "ItemID") || !context.check(row, rows.field(3))) {
      continue;
    }
    if (click == kNoIndex) {
      if (!row.type(options.default_event, "(default event)")) continue;
      click = row.event().type;
    }
    row.type_index(click);
    row.session(rows.field(0));
    context.record(row, log.catalog);
    row.commit();
  }
}

}  // namespace

void read_sessions(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  for (const std::string& path : files) {
    const SessionFile kind = classify(path);
    if (kind == SessionFile::kPrepared) {
      read_prepared(path, options, log, report);
    } else {
      read_clicks(path, kind == SessionFile::kClicksWithHeader, options, log, report);
    }
  }
}

}  // namespace aisle

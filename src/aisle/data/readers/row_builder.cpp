#include "aisle/data/readers/row_builder.h"

#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/huge_pages.h"
#include "aisle/core/text.h"
#include "aisle/core/timestamp.h"
#include "aisle/data/readers/file_part.h"

namespace aisle {

namespace {
// With a thread budget of two or more, the file is read and decompressed on a thread of its own.
// A part of a file (options.part) is its header line and its rows' byte range.
std::unique_ptr<InputStream> open_for_reading(const std::string& path, const ReadOptions& options) {
  auto in = options.part != nullptr && options.part->path == path ? open_part(*options.part) : open_input(path);
  return options.context.threads() >= 2 ? read_ahead(std::move(in)) : std::move(in);
}
}  // namespace

FileRows::FileRows(const std::string& path, std::string separator, const ReadOptions& options, ReadReport& report,
                   bool quoted)
    : path_(path),
      reader_(open_for_reading(path, options), std::move(separator), quoted),
      file_index_(report.files.size()),
      read_before_(report.rows_read),
      kept_before_(report.rows_kept),
      options_(options),
      report_(report) {
  report_.files.push_back(path);
  report_.file_rows.emplace_back();
}

FileRows::~FileRows() {
  report_.bytes_read += reader_.bytes_read();
  report_.file_rows[file_index_] = {report_.rows_read - read_before_, report_.rows_kept - kept_before_};
}

void FileRows::prepare_for_events(EventLog& log, std::size_t user_column, std::size_t item_column) {
  std::vector<Event>& events = log.events;
  constexpr std::uint64_t kMinRowBytes = 24;       // shorter rows are rare in event logs
  constexpr std::uint64_t kCompressionRatio = 10;  // CSV under gzip/zstd: typically 5-15x
  const InputStream& in = reader_.input();
  const std::uint64_t rows = in.total_bytes() * (in.compressed() ? kCompressionRatio : 1) / kMinRowBytes;
  events.reserve(events.size() + static_cast<std::size_t>(rows));
  advise_huge_pages(events.data(), events.capacity() * sizeof(Event));
  prefetch_ids(user_column, log.users);
  prefetch_ids(item_column, log.items);
}

bool FileRows::read_header(Record& header) {
  if (!reader_.next(header)) return false;
  // A UTF-8 byte-order mark before the first column name is not part of it.
  if (!header.fields.empty() && header.fields[0].starts_with("\xEF\xBB\xBF")) {
    header.fields[0].remove_prefix(3);
  }
  if (options_.part != nullptr && options_.part->path == path_) reader_.set_next_line(options_.part->first_line);
  return true;
}

bool FileRows::next() {
  constexpr std::size_t kBatchRows = 64;
  if (++pos_ >= count_) {
    pos_ = 0;
    count_ = reader_.next_batch(batch_, kBatchRows);
    if (count_ == 0) {
      report_progress();
      return false;
    }
    prefetch_batch();
  }
  ++report_.rows_read;
  if ((++rows_ & 0xFFFF) == 0) report_progress();
  return true;
}

void FileRows::report_progress() const {
  if (options_.context.progress == nullptr) return;
  options_.context.progress->update(path_, report_.rows_read, reader_.input().consumed_bytes(),
                                    reader_.input().total_bytes());
}

void FileRows::prefetch_batch() const {
  for (const auto& [column, map] : hints_) {
    for (std::size_t k = 0; k < count_; ++k) {
      if (column < batch_[k].fields.size()) map->prefetch(clean_id(batch_[k].fields[column]));
    }
  }
}

Header::Header(const Record& header, std::string path, std::string format)
    : path_(std::move(path)), format_(std::move(format)) {
  for (std::string_view f : header.fields) {
    names_.push_back(to_lower(trim(f)));
    if (names_.back().empty()) continue;
    for (std::size_t i = 0; i + 1 < names_.size(); ++i) {
      if (names_[i] == names_.back()) {
        throw InputError(printable(path_, 4096) + ":" + std::to_string(header.line) + ": columns " +
                         std::to_string(i + 1) + " and " + std::to_string(names_.size()) + " are both named '" +
                         printable(trim(f)) + "'; rename one of them");
      }
    }
  }
}

std::size_t Header::find(std::string_view name) const {
  const std::string wanted = to_lower(trim(name));
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == wanted) return i;
  }
  return npos;
}

std::size_t Header::require(std::string_view name, std::string_view expected_columns) const {
  const std::size_t i = find(name);
  if (i != npos) return i;
  std::string have;
  for (const std::string& n : names_) have += (have.empty() ? "" : ",") + n;
  throw InputError(path_ + ":1: missing column '" + std::string(name) + "': format '" + format_ + "' expects columns " +
                   std::string(expected_columns) + "; the header has " + have);
}

EventRow::EventRow(EventLog& log, ReadReport& report, const ReadOptions& options)
    : log_(log), report_(report), options_(options) {}

void EventRow::begin(RowLocation where) {
  where_ = where;
  event_ = Event{};
  user_.set = false;
  item_.set = false;
  item_interned_ = false;
  session_.set = false;
}

bool EventRow::has_width(std::size_t have, std::size_t need) {
  if (have >= need) return true;
  reject("short_row", "", std::to_string(need) + " fields", std::to_string(have) + " fields");
  return false;
}

void EventRow::reject(std::string_view reason, std::string_view column, std::string_view expected,
                      std::string_view found) {
  report_.issues.reject(reason, where_, column, expected, found);
}

bool EventRow::id(std::string_view raw, std::string_view column, std::string_view reason, PendingId& out) {
  const std::string_view id = clean_id(raw);
  if (id.empty()) {
    reject(reason, column, "a non-empty id", raw);
    return false;
  }
  out.text = id;
  out.set = true;
  return true;
}

std::uint32_t EventRow::intern(PendingId& id, IdMap& map) {
  AISLE_CHECK_MSG(id.set, "a row is kept before its id was read");
  // Every stored id is valid UTF-8, so text that is found needs no check: only a new id is
  // checked (and decoded from Latin-1 when it is not UTF-8). Most rows name known ids.
  const std::uint32_t known = map.find(id.text);
  if (known != kNoIndex) return known;
  return map.intern(utf8_or_latin1(id.text, id.decoded));
}

bool EventRow::user(std::string_view raw, std::string_view column) {
  return id(raw, column, "empty_user", user_);
}

bool EventRow::item(std::string_view raw, std::string_view column) {
  return id(raw, column, "empty_item", item_);
}

ItemIdx EventRow::item_index() {
  if (!item_interned_) {
    event_.item = intern(item_, log_.items);
    item_interned_ = true;
  }
  return event_.item;
}

bool EventRow::time(std::string_view raw, std::string_view column, TimeFormat format) {
  // An empty time is unknown and reads as 0 (files without timestamps, such as the exchange
  // format of data that has none); the evaluator then splits at random.
  if (trim(raw).empty()) {
    event_.time = 0;
    return true;
  }
  const auto t = parse_timestamp(trim(raw), format);
  if (!t) {
    reject("bad_time", column, std::string("a time in format ") + time_format_name(format), raw);
    return false;
  }
  return time_value(*t, column, raw);
}

bool EventRow::time_value(Timestamp t, std::string_view column, std::string_view raw) {
  if (t < options_.earliest_time || t > options_.latest_time) {
    reject("time_out_of_range", column,
           "a time from " + format_timestamp(options_.earliest_time) + " to " + format_timestamp(options_.latest_time) +
               " (ingest.earliest_time, ingest.future_tolerance_days)",
           raw);
    return false;
  }
  event_.time = t;
  return true;
}

bool EventRow::type(std::string_view raw, std::string_view column) {
  auto it = type_cache_.find(raw);
  if (it == type_cache_.end()) {
    const std::string canonical = canonical_event_type(raw);
    EventTypeIdx t = kNoIndex;
    if (!canonical.empty() && options_.weighting.find(canonical) != nullptr) {
      t = log_.event_types.intern(canonical);
    }
    it = type_cache_.emplace(std::string(raw), t).first;
  }
  if (it->second == kNoIndex) {
    std::string known;
    for (const TypeWeight& tw : options_.weighting.types()) known += (known.empty() ? "" : ", ") + tw.name;
    reject("unknown_event_type", column, "an event type with a weight (" + known + ")", raw);
    return false;
  }
  event_.type = it->second;
  return true;
}

bool EventRow::number(std::string_view raw, std::string_view column, float& out) {
  const std::string_view v = trim(raw);
  if (v.empty()) {
    out = kAbsent;
    return true;
  }
  const auto f = parse_float(v);
  if (!f) {
    reject("bad_number", column, "a number", raw);
    return false;
  }
  // -0 is read as 0: stores keep zero without its sign, and "-0" means no amount either way.
  out = *f == 0.0f ? 0.0f : *f;
  return true;
}

void EventRow::session(std::string_view raw) {
  const std::string_view s = trim(raw);
  session_.text = s;
  session_.set = !s.empty();
}

void EventRow::commit() {
  event_.user = intern(user_, log_.users);
  item_index();
  event_.session = session_.set ? intern(session_, log_.sessions) : kNoIndex;
  log_.events.push_back(event_);
  ++report_.rows_kept;
}

void EventRow::keep_without_event() {
  if (item_.set) item_index();
  ++report_.rows_kept;
}

bool LatestByItem::newer(ItemIdx item, Timestamp t) {
  if (item >= time_.size()) time_.resize(static_cast<std::size_t>(item) + 1, std::numeric_limits<Timestamp>::min());
  if (t < time_[item]) return false;
  time_[item] = t;
  return true;
}

}  // namespace aisle

// Building blocks every reader shares: iterating a file's rows with counting and progress,
// finding columns by header name, and turning a row's text fields into an Event while
// rejecting bad values with their location.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/readers/record_reader.h"

namespace aisle {

// The data rows of one file. Counts rows_read and bytes in the report and reports progress.
class FileRows {
 public:
  FileRows(const std::string& path, std::string separator, const ReadOptions& options, ReadReport& report,
           bool quoted = true);
  ~FileRows();
  FileRows(const FileRows&) = delete;
  FileRows& operator=(const FileRows&) = delete;

  // The first record, read as a header (not counted as a row). False when the file is empty.
  bool read_header(Record& header);
  // The next data row; false at the end.
  bool next();
  const Record& row() const { return batch_[pos_]; }
  std::string_view field(std::size_t i) const { return row().fields[i]; }
  std::size_t width() const { return row().fields.size(); }
  RowLocation where() const { return {path_, row().line}; }
  const std::string& path() const { return path_; }
  // Readies an event-producing pass over this file: reserves room in log.events for the rows
  // the file probably holds (from its size; reserved pages cost nothing until written), and
  // prefetches the id-map slots of the user and item columns (see prefetch_ids).
  void prepare_for_events(EventLog& log, std::size_t user_column, std::size_t item_column);

 private:
  std::string path_;
  RecordReader reader_;
  std::size_t file_index_;                   // in report_.files
  std::uint64_t read_before_, kept_before_;  // the report's counts when this file began
  void prefetch_batch() const;
  void report_progress() const;
  // Rows are read in small batches; before a batch is handed out, the id-map slots of this
  // column's (cleaned) ids are prefetched, so the lookups of a batch overlap their cache misses
  // instead of waiting for each in turn. Only a hint: results do not depend on it.
  void prefetch_ids(std::size_t column, const IdMap& map) { hints_.push_back({column, &map}); }

  const ReadOptions& options_;
  ReadReport& report_;
  std::vector<Record> batch_;
  std::size_t pos_ = 0;
  std::size_t count_ = 0;
  std::vector<std::pair<std::size_t, const IdMap*>> hints_;
  std::uint64_t rows_ = 0;
};

// Column positions by header name. Lookups ignore case and surrounding spaces.
class Header {
 public:
  Header(const Record& header, std::string path, std::string format);
  // The index of column name; throws InputError naming the file, the missing column, the
  // columns the format expects and the ones the file has.
  std::size_t require(std::string_view name, std::string_view expected_columns) const;
  // The index of column name, or npos.
  std::size_t find(std::string_view name) const;
  std::size_t size() const { return names_.size(); }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::vector<std::string> names_;
  std::string path_;
  std::string format_;
};

// Assembles one event from text fields. Each setter returns false after it has rejected the
// row (or skipped it, by rule); the caller then moves on to the next row.
class EventRow {
 public:
  EventRow(EventLog& log, ReadReport& report, const ReadOptions& options);

  void begin(RowLocation where);
  // False, after rejecting the row as short_row, when it has fewer than `need` fields.
  bool has_width(std::size_t have, std::size_t need);
  // Check an id (non-empty; text that is not UTF-8 is decoded as Latin-1) and hold it for the
  // row. Ids enter the log's id maps only when the row is kept (commit, keep_without_event or
  // item_index), so a rejected row creates no user and no item.
  bool user(std::string_view raw, std::string_view column);
  bool item(std::string_view raw, std::string_view column);
  // The index of the row's item, adding it to the item map: call once the row will be kept
  // (a catalog fact is about to be recorded). Idempotent within a row.
  ItemIdx item_index();
  // Empty -> unknown (0). Otherwise a time in options.earliest_time..options.latest_time, else the
  // row is rejected as time_out_of_range.
  bool time(std::string_view raw, std::string_view column, TimeFormat format);
  // A time the reader parsed itself, checked like time(); `raw` is shown when it is rejected.
  bool time_value(Timestamp t, std::string_view column, std::string_view raw);
  // The raw type name is canonicalised (weighting.h); a type the weighting lacks is rejected.
  bool type(std::string_view raw, std::string_view column);
  void type_index(EventTypeIdx t) { event_.type = t; }
  // Empty -> absent; otherwise must be a finite number.
  bool number(std::string_view raw, std::string_view column, float& out);
  void session(std::string_view raw);
  // The event being built. Its user and item are set when the row is kept (see user/item).
  Event& event() { return event_; }
  // Interns the row's ids, appends the event and counts the row as kept.
  void commit();
  // Counts the row as kept for what it told the catalog (interning its item); no event.
  void keep_without_event();
  // Rejects the current row for a reason of the caller's.
  void reject(std::string_view reason, std::string_view column, std::string_view expected, std::string_view found);
  RowLocation where() const { return where_; }
  EventLog& log() { return log_; }

 private:
  // An id waiting for the row to be kept: its text in the row (valid until the next row).
  struct PendingId {
    std::string_view text;
    std::string decoded;  // scratch for Latin-1 text decoded to UTF-8 when it is interned
    bool set = false;
  };
  bool id(std::string_view raw, std::string_view column, std::string_view reason, PendingId& out);
  static std::uint32_t intern(PendingId& id, IdMap& map);

  PendingId user_, item_, session_;  // session_ not set: the row has none
  bool item_interned_ = false;

  EventLog& log_;
  ReadReport& report_;
  const ReadOptions& options_;
  RowLocation where_;
  Event event_;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Raw type spelling -> index (kNoIndex: not a known type). A handful of entries.
  std::unordered_map<std::string, EventTypeIdx, TextHash, std::equal_to<>> type_cache_;
};

// "Latest value wins" for catalog facts that arrive over time: remembers per item the time of
// the value it holds. newer() is true (and records t) when t is at least that time, so of
// equal times the later row wins.
class LatestByItem {
 public:
  bool newer(ItemIdx item, Timestamp t);

 private:
  std::vector<Timestamp> time_;
};

// An id as a reader keeps it: trimmed, integer-as-float normalised ("17850.0" -> "17850").
inline std::string_view clean_id(std::string_view raw) {
  return normalize_integer_id(trim(raw));
}

}  // namespace aisle

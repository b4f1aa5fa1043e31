// Splits an InputStream into records of fields.
// - A one-character separator gets RFC 4180 quoting: "a ""b"", c" is one field `a "b", c`, and a
//   quoted field may hold the separator and newlines. A quote inside an unquoted field is kept.
// - A longer separator ("::" in MovieLens 1M) splits each line as it is, without quoting.
// CR LF and LF line ends are both accepted; blank lines are skipped. A quote left open at the end
// of the data is an InputError naming the line where it opened. Input whose first bytes are not
// text (a NUL byte, mostly control bytes) is an InputError "not a text file".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/data/readers/input_stream.h"

namespace aisle {

struct Record {
  std::vector<std::string_view> fields;  // valid until the next call to next()
  std::uint64_t line = 0;                // 1-based physical line where the record starts
};

class RecordReader {
 public:
  // quoted = false splits lines as they are, whatever the separator (MovieLens files).
  RecordReader(std::unique_ptr<InputStream> input, std::string separator, bool quoted = true);

  // False at the end of the data. The record's views are valid until the next call.
  bool next(Record& record);
  // Up to `max` records into batch[0..n), n returned (0 at the end of the data). All views of
  // the batch stay valid until the next call to next() or next_batch(): a batch ends early
  // rather than refill the buffer under it. Lets callers look ahead (prefetch) over a batch.
  std::size_t next_batch(std::vector<Record>& batch, std::size_t max);
  const InputStream& input() const { return *input_; }
  // Numbers the next record `line` (a part of a file that starts further in: file_part.h).
  void set_next_line(std::uint64_t line) { line_ = line; }
  // Decompressed bytes handed out as records so far.
  std::uint64_t bytes_read() const { return bytes_done_; }

 private:
  enum class Parse { kDone, kNeedMore };
  Parse parse_quoted(Record& record);
  Parse parse_quoted_fields(Record& record);
  Parse parse_plain_lines(Record& record);
  bool refill();
  // Throws InputError when the first bytes read are not text (NUL bytes, many control bytes).
  void check_text(std::size_t got);

  std::unique_ptr<InputStream> input_;
  std::string sep_;
  bool quoted_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // start of unparsed data in buf_
  std::size_t end_ = 0;    // end of valid data in buf_
  bool eof_ = false;
  std::size_t text_checked_ = 0, control_bytes_ = 0;  // check_text's progress
  std::string scratch_;         // unescaped quoted fields; capacity >= buf_.size(), so never moves
  std::vector<Record> single_;  // next() is a batch of one
  std::uint64_t line_ = 1;
  std::uint64_t bytes_done_ = 0;
};

}  // namespace aisle

#include "aisle/data/readers/record_reader.h"

#include <algorithm>
#include <cstring>

#include "aisle/core/error.h"

namespace aisle {

namespace {
constexpr std::size_t kMaxInitialBuffer = 1 << 20;
constexpr std::size_t kMinInitialBuffer = 1 << 12;

// Small inputs get a small buffer (cheap to set up); the buffer grows only for a record longer
// than itself, so the size never limits what can be read.
std::size_t initial_buffer(const InputStream& in) {
  const std::uint64_t total = in.total_bytes();
  if (total == 0 || total >= kMaxInitialBuffer) return kMaxInitialBuffer;
  return std::max<std::size_t>(kMinInitialBuffer, static_cast<std::size_t>(total) * 2);
}
constexpr std::size_t kMaxRecord = std::size_t{256} << 20;
// The first bytes read are checked to be text (check_text).
constexpr std::size_t kTextCheckBytes = 8192;
}  // namespace

RecordReader::RecordReader(std::unique_ptr<InputStream> input, std::string separator, bool quoted)
    : input_(std::move(input)),
      sep_(std::move(separator)),
      quoted_(quoted && sep_.size() == 1),
      buf_(initial_buffer(*input_)) {
  if (sep_.empty()) throw ConfigError("empty field separator");
  scratch_.reserve(buf_.size());
}

bool RecordReader::refill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxRecord) {
      throw InputError(input_->name() + ":" + std::to_string(line_) +
                       ": a record longer than 256 MiB (a quote that is never closed?)");
    }
    buf_.resize(buf_.size() * 2);
    scratch_.reserve(buf_.size());
  }
  const std::size_t got = input_->read(buf_.data() + end_, buf_.size() - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  if (text_checked_ < kTextCheckBytes) check_text(got);
  return true;
}

void RecordReader::check_text(std::size_t got) {
  // Text has no NUL bytes and few control characters; a binary file (a database, an image, an
  // archive of another kind) is refused before any of its bytes reach a message. The first
  // kTextCheckBytes are checked, over as many reads as they take.
  const std::size_t first = end_ - got;
  const std::size_t n = std::min(got, kTextCheckBytes - text_checked_);
  for (std::size_t i = first; i < first + n; ++i) {
    const auto c = static_cast<unsigned char>(buf_[i]);
    if (c == 0) {
      throw InputError(input_->name() + ": not a text file (byte " + std::to_string(text_checked_ + i - first + 1) +
                       " is NUL); aisle reads text files, plain or compressed with gzip or zstd");
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++control_bytes_;
  }
  text_checked_ += n;
  if (control_bytes_ * 10 > text_checked_ && text_checked_ >= 16) {
    throw InputError(input_->name() + ": not a text file (" + std::to_string(control_bytes_) +
                     " control bytes in the first " + std::to_string(text_checked_) +
                     "); aisle reads text files, plain or compressed with gzip or zstd");
  }
}

bool RecordReader::next(Record& record) {
  if (next_batch(single_, 1) == 0) {
    record.fields.clear();
    return false;
  }
  std::swap(record, single_[0]);
  return true;
}

std::size_t RecordReader::next_batch(std::vector<Record>& batch, std::size_t max) {
  scratch_.clear();
  std::size_t n = 0;
  while (n < max) {
    if (batch.size() <= n) batch.emplace_back();
    Record& record = batch[n];
    const Parse p = quoted_ ? parse_quoted(record) : parse_plain_lines(record);
    if (p == Parse::kDone) {
      if (record.fields.empty()) break;  // end of data
      const bool blank = record.fields.size() == 1 && record.fields[0].empty();
      if (!blank) ++n;
      continue;
    }
    if (n > 0) break;  // a refill would move the bytes the batch points into
    if (!refill() && begin_ == end_) break;
  }
  return n;
}

// Parses one record at begin_, appending its unescaped quoted fields to scratch_ (taken back
// when the record is incomplete). kNeedMore when the buffer ends inside the record and more
// data may come; at the end of the data the last record is accepted without a final newline.
RecordReader::Parse RecordReader::parse_quoted(Record& record) {
  const std::size_t mark = scratch_.size();
  const Parse p = parse_quoted_fields(record);
  if (p == Parse::kNeedMore) scratch_.resize(mark);
  return p;
}

RecordReader::Parse RecordReader::parse_quoted_fields(Record& record) {
  record.fields.clear();
  const char sep = sep_[0];
  const char* const data = buf_.data();
  std::size_t p = begin_;
  std::uint64_t lines = 0;
  if (p == end_) {
    return eof_ ? Parse::kDone : Parse::kNeedMore;
  }
  while (true) {
    if (p < end_ && data[p] == '"') {
      // Quoted field: copy into scratch_, undoubling quotes.
      const std::size_t scratch_start = scratch_.size();
      ++p;
      while (true) {
        const void* q = p < end_ ? std::memchr(data + p, '"', end_ - p) : nullptr;
        if (q == nullptr) {
          if (!eof_) return Parse::kNeedMore;
          throw InputError(input_->name() + ":" + std::to_string(line_) + ": quoted field is never closed");
        }
        const std::size_t qp = static_cast<std::size_t>(static_cast<const char*>(q) - data);
        for (std::size_t k = p; k < qp; ++k) lines += data[k] == '\n';
        scratch_.append(data + p, qp - p);
        if (qp + 1 == end_ && !eof_) return Parse::kNeedMore;
        if (qp + 1 < end_ && data[qp + 1] == '"') {
          scratch_.push_back('"');
          p = qp + 2;
          continue;
        }
        p = qp + 1;
        break;
      }
      // Text between the closing quote and the separator is kept (lenient, as most writers do).
      while (p < end_ && data[p] != sep && data[p] != '\n') scratch_.push_back(data[p++]);
      // The CR of a CR LF line end, if it belongs to this field (not to an earlier one).
      if (scratch_.size() > scratch_start && scratch_.back() == '\r' && (p == end_ || data[p] == '\n')) {
        scratch_.pop_back();
      }
      record.fields.emplace_back(scratch_.data() + scratch_start, scratch_.size() - scratch_start);
    } else {
      const std::size_t start = p;
      while (p < end_ && data[p] != sep && data[p] != '\n') ++p;
      std::size_t stop = p;
      if (p == end_ && !eof_) return Parse::kNeedMore;
      if ((p == end_ || data[p] == '\n') && stop > start && data[stop - 1] == '\r') --stop;
      record.fields.emplace_back(data + start, stop - start);
    }
    if (p < end_ && data[p] == sep) {
      ++p;
      if (p == end_ && !eof_) return Parse::kNeedMore;
      continue;
    }
    // End of line or of data.
    if (p < end_) ++p, ++lines;  // the '\n'
    record.line = line_;
    line_ += lines;
    bytes_done_ += p - begin_;
    begin_ = p;
    return Parse::kDone;
  }
}

RecordReader::Parse RecordReader::parse_plain_lines(Record& record) {
  record.fields.clear();
  if (begin_ == end_) return eof_ ? Parse::kDone : Parse::kNeedMore;
  const char* const data = buf_.data();
  const void* nl = std::memchr(data + begin_, '\n', end_ - begin_);
  if (nl == nullptr && !eof_) return Parse::kNeedMore;
  const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : end_;
  std::string_view line(data + begin_, stop - begin_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = line.find(sep_, start);
    if (pos == std::string_view::npos) {
      record.fields.push_back(line.substr(start));
      break;
    }
    record.fields.push_back(line.substr(start, pos - start));
    start = pos + sep_.size();
  }
  record.line = line_;
  ++line_;
  const std::size_t next = nl ? stop + 1 : stop;
  bytes_done_ += next - begin_;
  begin_ = next;
  return Parse::kDone;
}

}  // namespace aisle

#include "aisle/data/readers/file_part.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "aisle/core/error.h"

namespace aisle {

namespace {

// A plain file read at offsets (pread-like, on a FILE).
class File {
 public:
  explicit File(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) throw InputError(path + ": cannot open: " + std::strerror(errno));
    if (std::fseek(file_, 0, SEEK_END) != 0) fail("cannot seek");
    const long size = std::ftell(file_);
    if (size < 0) fail("cannot tell its size");
    size_ = pos_ = static_cast<std::uint64_t>(size);
  }
  ~File() { std::fclose(file_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::uint64_t size() const { return size_; }
  // Up to n bytes from `at`; fewer only at the end of the file.
  std::size_t read_at(std::uint64_t at, char* out, std::size_t n) {
    if (at != pos_ && std::fseek(file_, static_cast<long>(at), SEEK_SET) != 0) fail("cannot seek");
    const std::size_t got = std::fread(out, 1, n, file_);
    if (got < n && std::ferror(file_)) fail("read error");
    pos_ = at + got;
    return got;
  }
  // The first line start at or after `at`: `at` itself when it is 0 or follows a '\n', else the
  // byte after the next '\n' (the file's size when there is none).
  std::uint64_t line_start_from(std::uint64_t at) {
    if (at == 0 || at >= size_) return std::min(at, size_);
    char buf[4096];
    for (std::uint64_t p = at - 1; p < size_;) {
      const std::size_t got = read_at(p, buf, sizeof buf);
      if (got == 0) break;
      if (const void* nl = std::memchr(buf, '\n', got))
        return p + static_cast<std::uint64_t>(static_cast<const char*>(nl) - buf) + 1;
      p += got;
    }
    return size_;
  }
  std::uint64_t count_newlines(std::uint64_t begin, std::uint64_t end) {
    std::vector<char> buf(1 << 20);
    std::uint64_t lines = 0;
    for (std::uint64_t p = begin; p < end;) {
      const std::size_t got =
          read_at(p, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end - p)));
      if (got == 0) fail("shorter than expected (changed while read?)");
      lines += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + got, '\n'));
      p += got;
    }
    return lines;
  }
  [[noreturn]] void fail(const char* what) const {
    throw InputError(path_ + ": " + what + ": " + std::strerror(errno));
  }

 private:
  std::string path_;
  std::FILE* file_;
  std::uint64_t size_ = 0, pos_ = 0;
};

// [0, header_end) then [begin, end) of a file.
class PartStream final : public InputStream {
 public:
  explicit PartStream(const FilePart& part) : InputStream(part.path), file_(part.path), part_(part) {
    if (part.end > file_.size()) throw InputError(part.path + ": shorter than when it was split (changed while read?)");
  }
  std::size_t read(char* out, std::size_t n) override {
    std::size_t done = 0;
    while (done < n) {
      const bool header = at_ < part_.header_end;
      const std::uint64_t stop = header ? part_.header_end : part_.end;
      if (!header && at_ < part_.begin) at_ = part_.begin;
      if (at_ >= stop) {
        if (header) {
          at_ = part_.begin;
          continue;
        }
        break;
      }
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, stop - at_));
      const std::size_t got = file_.read_at(at_, out + done, want);
      if (got == 0) throw InputError(part_.path + ": shorter than when it was split (changed while read?)");
      at_ += got;
      consumed_ += got;
      done += got;
    }
    return done;
  }
  std::uint64_t consumed_bytes() const override { return consumed_; }
  std::uint64_t total_bytes() const override { return part_.header_end + (part_.end - part_.begin); }
  bool compressed() const override { return false; }

 private:
  File file_;
  FilePart part_;
  std::uint64_t at_ = 0, consumed_ = 0;
};

}  // namespace

bool can_read_in_parts(const std::string& path) {
  File file(path);
  unsigned char head[4] = {0, 0, 0, 0};
  const std::size_t got = file.read_at(0, reinterpret_cast<char*>(head), sizeof head);
  const bool gzip = got >= 2 && head[0] == 0x1f && head[1] == 0x8b;
  const bool zstd = got >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd;
  return !gzip && !zstd;
}

FilePart plan_part(const std::string& path, int part, int parts) {
  File file(path);
  FilePart out;
  out.path = path;
  // The header is the first non-blank line (the record reader skips blank ones, "" or "\r").
  std::uint64_t at = 0;
  while (at < file.size()) {
    const std::uint64_t next = file.line_start_from(at + 1);
    char line[2] = {0, 0};
    const std::size_t got = file.read_at(at, line, static_cast<std::size_t>(std::min<std::uint64_t>(2, next - at)));
    const bool blank = (got >= 1 && line[0] == '\n') || (got == 2 && line[0] == '\r' && line[1] == '\n') ||
                       (next - at == 1 && line[0] == '\r');
    ++out.header_lines;
    at = next;
    if (!blank) break;
  }
  out.header_end = at;
  if (at == file.size() && at > 0) {  // the last line may end without a '\n'
    char last = 0;
    file.read_at(at - 1, &last, 1);
    if (last != '\n') --out.header_lines;
  }
  const std::uint64_t data = file.size() - out.header_end;
  const auto cut = [&](int r) {
    return file.line_start_from(out.header_end +
                                data * static_cast<std::uint64_t>(r) / static_cast<std::uint64_t>(parts));
  };
  out.begin = cut(part);
  out.end = part + 1 == parts ? file.size() : cut(part + 1);
  out.first_line = out.header_lines + 1;
  return out;
}

std::uint64_t count_lines(const FilePart& part) {
  File file(part.path);
  return file.count_newlines(part.begin, part.end);
}

std::unique_ptr<InputStream> open_part(const FilePart& part) {
  return std::make_unique<PartStream>(part);
}

}  // namespace aisle

// A file as a stream of bytes: plain, gzip or zstd, told apart by their magic bytes (not by the
// file name). A truncated or corrupt compressed stream is an InputError, never a short read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace aisle {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Fills up to n bytes of decompressed data; returns 0 only at the end of the data.
  virtual std::size_t read(char* out, std::size_t n) = 0;
  // Bytes of the underlying file consumed so far / in all (for progress; total 0 = unknown).
  virtual std::uint64_t consumed_bytes() const = 0;
  virtual std::uint64_t total_bytes() const = 0;
  // True when the file is compressed (its decompressed size is then unknown).
  virtual bool compressed() const = 0;
  const std::string& name() const { return name_; }

 protected:
  explicit InputStream(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// Throws InputError when the file cannot be opened.
std::unique_ptr<InputStream> open_input(const std::string& path);
// Reads from memory that outlives the stream (tests and fuzzers); compression detected alike.
std::unique_ptr<InputStream> memory_input(std::string name, std::string_view bytes);

// The first line of the file's text after decompression, for readers that tell files apart by
// it: at most its first 4096 bytes, without a UTF-8 byte-order mark and without the line end.
// Empty for an empty file. Throws InputError like open_input.
std::string first_line(const std::string& path);

// SHA-256 of the file's content after decompression, lower-case hex (a data set's fingerprint:
// the same for a file and its .zst). Throws InputError like open_input.
std::string content_sha256(const std::string& path);

// Reads `inner` on a thread of its own, up to a few MiB ahead of the consumer, so that reading
// and decompressing overlap parsing. The bytes are the same; an error of the inner stream is
// thrown by the consumer's next read(). Not thread-safe itself: one consumer.
std::unique_ptr<InputStream> read_ahead(std::unique_ptr<InputStream> inner);

}  // namespace aisle

#include "aisle/data/readers/input_stream.h"

#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "aisle/core/error.h"

namespace aisle {

namespace {

// Where compressed bytes come from: a FILE or a memory block.
class RawSource {
 public:
  virtual ~RawSource() = default;
  virtual std::size_t read(char* out, std::size_t n) = 0;
  virtual std::uint64_t consumed() const = 0;
  virtual std::uint64_t total() const = 0;
};

class FileSource final : public RawSource {
 public:
  explicit FileSource(const std::string& path) : file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) {
      throw InputError(path + ": cannot open: " + std::strerror(errno));
    }
    if (std::fseek(file_, 0, SEEK_END) == 0) {
      const long size = std::ftell(file_);
      total_ = size > 0 ? static_cast<std::uint64_t>(size) : 0;
      std::fseek(file_, 0, SEEK_SET);
    }
    path_ = path;
  }
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(char* out, std::size_t n) override {
    const std::size_t got = std::fread(out, 1, n, file_);
    if (got < n && std::ferror(file_)) throw InputError(path_ + ": read error: " + std::strerror(errno));
    consumed_ += got;
    return got;
  }
  std::uint64_t consumed() const override { return consumed_; }
  std::uint64_t total() const override { return total_; }

 private:
  std::FILE* file_;
  std::string path_;
  std::uint64_t consumed_ = 0;
  std::uint64_t total_ = 0;
};

class MemorySource final : public RawSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char* out, std::size_t n) override {
    const std::size_t got = std::min(n, bytes_.size() - pos_);
    std::memcpy(out, bytes_.data() + pos_, got);
    pos_ += got;
    return got;
  }
  std::uint64_t consumed() const override { return pos_; }
  std::uint64_t total() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// Reads the first bytes of a source to sniff its format, then hands them back.
class Peeked {
 public:
  explicit Peeked(RawSource& src) : src_(src) {
    head_.resize(4);
    head_.resize(src_.read(head_.data(), head_.size()));
  }
  bool starts_with(const unsigned char* magic, std::size_t n) const {
    return head_.size() >= n && std::memcmp(head_.data(), magic, n) == 0;
  }
  std::size_t read(char* out, std::size_t n) {
    if (pos_ < head_.size()) {
      const std::size_t got = std::min(n, head_.size() - pos_);
      std::memcpy(out, head_.data() + pos_, got);
      pos_ += got;
      return got;
    }
    return src_.read(out, n);
  }

 private:
  RawSource& src_;
  std::string head_;
  std::size_t pos_ = 0;
};

class PlainStream final : public InputStream {
 public:
  PlainStream(std::string name, std::unique_ptr<RawSource> src, std::unique_ptr<Peeked> peek)
      : InputStream(std::move(name)), src_(std::move(src)), peek_(std::move(peek)) {}
  std::size_t read(char* out, std::size_t n) override { return peek_->read(out, n); }
  std::uint64_t consumed_bytes() const override { return src_->consumed(); }
  std::uint64_t total_bytes() const override { return src_->total(); }
  bool compressed() const override { return false; }

 private:
  std::unique_ptr<RawSource> src_;
  std::unique_ptr<Peeked> peek_;
};

constexpr std::size_t kInChunk = 1 << 17;

class ZstdStream final : public InputStream {
 public:
  ZstdStream(std::string name, std::unique_ptr<RawSource> src, std::unique_ptr<Peeked> peek)
      : InputStream(std::move(name)),
        src_(std::move(src)),
        peek_(std::move(peek)),
        dctx_(ZSTD_createDCtx()),
        in_buf_(kInChunk) {}
  ~ZstdStream() override { ZSTD_freeDCtx(dctx_); }
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;

  std::size_t read(char* out, std::size_t n) override {
    ZSTD_outBuffer output{out, n, 0};
    while (output.pos == 0) {
      if (in_.pos == in_.size) {
        in_.size = peek_->read(in_buf_.data(), in_buf_.size());
        in_.src = in_buf_.data();
        in_.pos = 0;
        if (in_.size == 0) {
          if (frame_open_) throw InputError(name() + ": truncated zstd stream");
          return 0;
        }
      }
      const std::size_t ret = ZSTD_decompressStream(dctx_, &output, &in_);
      if (ZSTD_isError(ret)) {
        throw InputError(name() + ": corrupt zstd stream: " + ZSTD_getErrorName(ret));
      }
      frame_open_ = ret != 0;
    }
    return output.pos;
  }
  std::uint64_t consumed_bytes() const override { return src_->consumed(); }
  std::uint64_t total_bytes() const override { return src_->total(); }
  bool compressed() const override { return true; }

 private:
  std::unique_ptr<RawSource> src_;
  std::unique_ptr<Peeked> peek_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool frame_open_ = false;
};

class GzipStream final : public InputStream {
 public:
  GzipStream(std::string name, std::unique_ptr<RawSource> src, std::unique_ptr<Peeked> peek)
      : InputStream(std::move(name)), src_(std::move(src)), peek_(std::move(peek)), in_buf_(kInChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw InputError(this->name() + ": cannot start gzip decoder");
  }
  ~GzipStream() override { inflateEnd(&zs_); }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  std::size_t read(char* out, std::size_t n) override {
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out == n) {
      if (zs_.avail_in == 0) {
        const std::size_t got = peek_->read(in_buf_.data(), in_buf_.size());
        if (got == 0) {
          if (member_open_) throw InputError(name() + ": truncated gzip stream");
          return 0;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_buf_.data());
        zs_.avail_in = static_cast<uInt>(got);
      }
      member_open_ = true;
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        member_open_ = false;
        inflateReset(&zs_);  // a following gzip member (concatenated .gz files) is read on
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        throw InputError(name() + ": corrupt gzip stream: " + (zs_.msg ? zs_.msg : "inflate failed"));
      }
    }
    return n - zs_.avail_out;
  }
  std::uint64_t consumed_bytes() const override { return src_->consumed(); }
  std::uint64_t total_bytes() const override { return src_->total(); }
  bool compressed() const override { return true; }

 private:
  std::unique_ptr<RawSource> src_;
  std::unique_ptr<Peeked> peek_;
  z_stream zs_;
  std::vector<char> in_buf_;
  bool member_open_ = false;
};

std::unique_ptr<InputStream> open_source(std::string name, std::unique_ptr<RawSource> src) {
  static const unsigned char kGzip[] = {0x1f, 0x8b};
  static const unsigned char kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
  auto peek = std::make_unique<Peeked>(*src);
  if (peek->starts_with(kZstd, 4)) {
    return std::make_unique<ZstdStream>(std::move(name), std::move(src), std::move(peek));
  }
  if (peek->starts_with(kGzip, 2)) {
    return std::make_unique<GzipStream>(std::move(name), std::move(src), std::move(peek));
  }
  return std::make_unique<PlainStream>(std::move(name), std::move(src), std::move(peek));
}

}  // namespace

std::unique_ptr<InputStream> open_input(const std::string& path) {
  return open_source(path, std::make_unique<FileSource>(path));
}

std::unique_ptr<InputStream> memory_input(std::string name, std::string_view bytes) {
  return open_source(std::move(name), std::make_unique<MemorySource>(bytes));
}

std::string first_line(const std::string& path) {
  constexpr std::size_t kMaxBytes = 4096;
  const std::unique_ptr<InputStream> in = open_input(path);
  std::string buf(kMaxBytes, '\0');
  std::size_t got = 0;
  while (got < kMaxBytes) {
    const std::size_t n = in->read(buf.data() + got, kMaxBytes - got);
    if (n == 0) break;
    got += n;
    if (std::memchr(buf.data() + got - n, '\n', n) != nullptr) break;
  }
  buf.resize(got);
  std::string line = buf.substr(0, buf.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  return line;
}

std::string content_sha256(const std::string& path) {
  const std::unique_ptr<InputStream> in = open_input(path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
  std::vector<char> buf(1 << 20);
  for (std::size_t n; (n = in->read(buf.data(), buf.size())) > 0;) EVP_DigestUpdate(ctx.get(), buf.data(), n);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += kHex[digest[i] >> 4], hex += kHex[digest[i] & 15];
  return hex;
}

}  // namespace aisle

#include "aisle/data/readers/input_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "aisle/core/error.h"

namespace aisle {
namespace {

std::string read_all(InputStream& in) {
  std::string out;
  char buf[7];  // small on purpose: many calls
  while (std::size_t n = in.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

std::string zstd_of(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3));
  return out;
}

std::string gzip_of(const std::string& s) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(s.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = static_cast<uInt>(s.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string kText = "user,item\n17850,85123A\n13047,22423\n";

TEST(InputStream, PlainGzipAndZstdReadTheSame) {
  const std::string z = zstd_of(kText), g = gzip_of(kText);
  EXPECT_EQ(read_all(*memory_input("plain", kText)), kText);
  EXPECT_EQ(read_all(*memory_input("x.zst", z)), kText);
  EXPECT_EQ(read_all(*memory_input("x.gz", g)), kText);
  EXPECT_EQ(read_all(*memory_input("cat.gz", g + g)), kText + kText);  // concatenated members
  EXPECT_EQ(read_all(*memory_input("empty", "")), "");
}

TEST(InputStream, TruncatedCompressedStreamsAreErrors) {
  const std::string big(100000, 'a');
  const std::string z = zstd_of(big + kText), g = gzip_of(big + kText);
  const std::string zcut = z.substr(0, z.size() - 5), gcut = g.substr(0, g.size() - 5);
  auto zs = memory_input("cut.zst", zcut);
  EXPECT_THROW(read_all(*zs), InputError);
  auto gs = memory_input("cut.gz", gcut);
  EXPECT_THROW(read_all(*gs), InputError);
}

TEST(InputStream, ReadAheadGivesTheSameBytesAndItsErrors) {
  std::string big;
  for (int i = 0; i < 400000; ++i) big += std::to_string(i) + ",item-" + std::to_string(i % 977) + "\n";
  const std::string z = zstd_of(big);
  auto ahead = read_ahead(memory_input("big.zst", z));
  EXPECT_EQ(read_all(*ahead), big);
  EXPECT_EQ(ahead->consumed_bytes(), z.size());
  const std::string half = z.substr(0, z.size() / 2);  // memory_input views, so it must outlive the stream
  auto cut = read_ahead(memory_input("cut.zst", half));
  EXPECT_THROW(read_all(*cut), InputError);
  // Dropping a stream that is still being read ahead stops its thread.
  auto dropped = read_ahead(memory_input("big.zst", z));
  char c;
  EXPECT_EQ(dropped->read(&c, 1), 1u);
}

TEST(InputStream, MissingFileNamesThePath) {
  try {
    open_input("/nonexistent/events.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/events.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace aisle

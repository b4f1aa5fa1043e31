// Little binary serialization for model files: fixed-width little-endian scalars, vectors of
// trivially copyable values (length-prefixed), strings. The reader checks every length against
// what is left and throws InputError naming the source and what was being read, so a truncated
// or corrupted file is an error, never a crash. (Hosts are little-endian; see the static_assert.)
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "aisle/core/error.h"

namespace aisle {

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

class BinaryWriter {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <class T>
  void put_vector(std::span<const T> v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<std::uint64_t>(v.size());
    bytes_.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  }
  template <class T, class A>
  void put_vector(const std::vector<T, A>& v) {
    put_vector(std::span<const T>(v));
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes_.append(s);
  }
  const std::string& bytes() const { return bytes_; }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class BinaryReader {
 public:
  // `source` names the file in error messages.
  BinaryReader(std::string_view bytes, std::string source) : bytes_(bytes), source_(std::move(source)) {}

  template <class T>
  T get(std::string_view what) {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  template <class T, class A = std::allocator<T>>
  std::vector<T, A> get_vector(std::string_view what) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto n = get<std::uint64_t>(what);
    if (n > (bytes_.size() - pos_) / sizeof(T)) fail(what, "length " + std::to_string(n) + " runs past the end");
    std::vector<T, A> v(n);
    if (n != 0) std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return v;
  }
  std::string get_string(std::string_view what) {
    const auto n = get<std::uint64_t>(what);
    need(n, what);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // Checks CSR offsets just read: `rows` + 1 entries, starting at 0, never decreasing, ending
  // at `entries`. Fails naming `what` otherwise.
  void check_offsets(std::span<const std::uint64_t> offsets, std::size_t rows, std::size_t entries,
                     std::string_view what) const;
  // Reads a u32 payload format version and fails naming `what` unless it is `known`.
  void expect_version(std::uint32_t known, std::string_view what) {
    const auto version = get<std::uint32_t>(what);
    if (version != known) fail(what, "version " + std::to_string(version) + " is not known");
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  const std::string& source() const { return source_; }
  // Throws InputError "<source>: corrupt model file: <what>: <problem>".
  [[noreturn]] void fail(std::string_view what, const std::string& problem) const;

 private:
  void need(std::size_t n, std::string_view what) const {
    if (n > bytes_.size() - pos_) fail(what, "truncated");
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string source_;
};

}  // namespace aisle

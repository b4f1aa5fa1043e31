#include "aisle/core/binary_io.h"

namespace aisle {

void BinaryReader::fail(std::string_view what, const std::string& problem) const {
  throw InputError(source_ + ": corrupt model file: " + std::string(what) + ": " + problem);
}

void BinaryReader::check_offsets(std::span<const std::uint64_t> offsets, std::size_t rows, std::size_t entries,
                                 std::string_view what) const {
  if (offsets.size() != rows + 1 || offsets.front() != 0 || offsets.back() != entries) {
    fail(what, "offsets do not match");
  }
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) fail(what, "offsets decrease");
  }
}

}  // namespace aisle

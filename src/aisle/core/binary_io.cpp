#include "aisle/core/binary_io.h"

namespace aisle {

void BinaryReader::fail(std::string_view what, const std::string& problem) const {
  throw InputError(source_ + ": corrupt model file: " + std::string(what) + ": " + problem);
}

}  // namespace aisle

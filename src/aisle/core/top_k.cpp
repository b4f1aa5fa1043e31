#include "aisle/core/top_k.h"

#include <string>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

std::size_t parse_k(std::string_view text, std::string_view what) {
  const auto k = parse_int(trim(text));
  if (!k || *k < 1 || static_cast<std::uint64_t>(*k) > kMaxK) {
    throw ConfigError(std::string(what) + ": expected a whole number from 1 to " + std::to_string(kMaxK) + ", found '" +
                      printable(text) + "'");
  }
  return static_cast<std::size_t>(*k);
}

}  // namespace aisle

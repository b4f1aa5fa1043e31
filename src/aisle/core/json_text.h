// The one way aisle turns a JSON value into text. Every JSON the project writes (CLI output,
// reports, journals, what the store records, the server's answers) goes through json_text, so it
// is valid UTF-8 whatever bytes were stored: a string that is not UTF-8 has each bad byte
// replaced by U+FFFD instead of aborting the process (nlohmann's default is to throw).
// Header-only, so that core does not link the JSON library; works for json and ordered_json.
#pragma once

#include <string>

namespace aisle {

template <class Json>
std::string json_text(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace aisle

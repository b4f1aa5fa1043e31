#include "aisle/serve/json_body.h"

#include <algorithm>

#include "aisle/core/text.h"
#include "aisle/serve/http_error.h"

namespace aisle::serve {

namespace {

// The deepest [ or { nesting outside strings (nlohmann parses deep input without recursion, but
// copying or destroying a value recurses once per level: a body nested 50,000 deep must be
// refused before it becomes a value).
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Json parse_body(const std::string& body) {
  if (nesting_depth(body) > kMaxJsonDepth) {
    throw RequestError(400, "malformed_json",
                       "the body nests arrays and objects deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based; the library's message repeats it with its own wording.
    std::string what = e.what();
    if (const auto p = what.find(": "); p != std::string::npos) what = what.substr(p + 2);
    throw RequestError(400, "malformed_json",
                       "the body is not valid JSON (at byte " + std::to_string(e.byte) + "): " + what);
  }
}

std::string checked_id(std::string_view value, std::string_view field) {
  const std::string_view v = trim(value);
  if (v.empty()) throw bad_field(std::string(field), "must not be empty");
  if (v.size() > kMaxIdBytes) {
    throw bad_field(std::string(field), "is " + std::to_string(v.size()) + " bytes long; at most " +
                                            std::to_string(kMaxIdBytes) + " are accepted");
  }
  if (!is_valid_utf8(v)) throw bad_field(std::string(field), "is not valid UTF-8: '" + printable(v) + "'");
  return std::string(v);
}

namespace {

// A value as an id (see id_member); nullopt for null.
std::optional<std::string> id_value(const Json& v, std::string_view field) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return checked_id(v.get_ref<const std::string&>(), field);
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  throw bad_field(std::string(field), "must be a string or an integer, found " + std::string(v.type_name()));
}

}  // namespace

std::optional<std::string> id_member(const Json& object, std::string_view name) {
  const auto it = object.find(std::string(name));
  if (it == object.end()) return std::nullopt;
  return id_value(*it, name);
}

std::string required_id(const Json& object, std::string_view name) {
  if (auto id = id_member(object, name)) return *id;
  throw bad_field(std::string(name), "is required");
}

std::vector<std::string> id_list_member(const Json& object, std::string_view name) {
  const auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_array()) return {*id_value(*it, name)};
  std::vector<std::string> out;
  out.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    auto id = id_value((*it)[i], field);
    if (!id) throw bad_field(field, "must not be null");
    out.push_back(std::move(*id));
  }
  return out;
}

std::optional<double> number_member(const Json& object, std::string_view name) {
  const auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw bad_field(std::string(name), "must be a number, found " + std::string(it->type_name()));
  return it->get<double>();
}

std::optional<bool> bool_member(const Json& object, std::string_view name) {
  const auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer() && (it->get<std::int64_t>() == 0 || it->get<std::int64_t>() == 1)) {
    return it->get<std::int64_t>() == 1;
  }
  throw bad_field(std::string(name), "must be true or false");
}

std::size_t checked_k(std::string_view value, std::string_view field, std::size_t max_k) {
  const auto k = parse_int(trim(value));
  if (!k || *k < 1 || static_cast<std::uint64_t>(*k) > max_k) {
    throw bad_field(std::string(field),
                    "must be a whole number from 1 to " + std::to_string(max_k) + ", found '" + printable(value) + "'");
  }
  return static_cast<std::size_t>(*k);
}

std::size_t k_member(const Json& object, std::string_view name, std::size_t fallback, std::size_t max_k) {
  const auto it = object.find(std::string(name));
  if (it == object.end() || it->is_null()) return fallback;
  if (it->is_number_integer() || it->is_number_unsigned()) {
    const std::string text = it->dump();
    return checked_k(text, name, max_k);
  }
  if (it->is_string()) return checked_k(it->get_ref<const std::string&>(), name, max_k);
  throw bad_field(std::string(name), "must be a whole number from 1 to " + std::to_string(max_k));
}

std::vector<std::string> id_csv(std::string_view value, std::string_view field) {
  std::vector<std::string> out;
  if (trim(value).empty()) return out;
  for (std::string_view part : split(value, ",")) {
    if (trim(part).empty()) continue;
    out.push_back(checked_id(part, field));
  }
  return out;
}

bool checked_flag(std::string_view value, std::string_view field) {
  const std::string v = to_lower(trim(value));
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no" || v.empty()) return false;
  throw bad_field(std::string(field), "must be 1 or 0 (true or false), found '" + printable(value) + "'");
}

}  // namespace aisle::serve

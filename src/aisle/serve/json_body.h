// Reading request input: JSON bodies and query strings, checked field by field. Every problem
// is a RequestError (400) naming the field, and for malformed JSON the byte position, so a
// client sees what to fix. Strings are checked for length and UTF-8 before anything uses them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aisle::serve {

using Json = nlohmann::ordered_json;  // keys keep the order they are written in

// Longest id (user, item, session, category) accepted, in bytes.
inline constexpr std::size_t kMaxIdBytes = 256;
// Deepest nesting of arrays and objects a body may have (ours need 3).
inline constexpr std::size_t kMaxJsonDepth = 32;

// The body as JSON; 400 "malformed_json" naming the byte offset when it is not, or when it nests
// deeper than kMaxJsonDepth.
Json parse_body(const std::string& body);

// An object's member as an id: a string, or an integer written as its decimal text (shops send
// user ids as numbers). nullopt when absent or null; 400 for any other type, an empty or too long
// string, or one that is not UTF-8.
std::optional<std::string> id_member(const Json& object, std::string_view name);
std::string required_id(const Json& object, std::string_view name);
// An array of ids (or one id) as above; empty when absent.
std::vector<std::string> id_list_member(const Json& object, std::string_view name);
std::optional<double> number_member(const Json& object, std::string_view name);
std::optional<bool> bool_member(const Json& object, std::string_view name);
// k from an object member (absent: `fallback`): a whole number from 1 to max_k.
std::size_t k_member(const Json& object, std::string_view name, std::size_t fallback, std::size_t max_k);

// The same checks for query-string values (`field` names the parameter).
std::string checked_id(std::string_view value, std::string_view field);
std::vector<std::string> id_csv(std::string_view value, std::string_view field);  // "I,J"
std::size_t checked_k(std::string_view value, std::string_view field, std::size_t max_k);
bool checked_flag(std::string_view value, std::string_view field);  // 1/0/true/false

}  // namespace aisle::serve

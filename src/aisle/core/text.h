// Small text utilities used by every reader: trimming, number parsing that reports failure
// instead of throwing, Latin-1 -> UTF-8 decoding and UTF-8 validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aisle {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Whole-string parses: nullopt when s (already trimmed by the caller) is not exactly a number.
std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<double> parse_double(std::string_view s);
std::optional<float> parse_float(std::string_view s);

// An integer id written as a float ("17850.0", "17850.00") becomes "17850"; anything else is
// returned unchanged. Exports through spreadsheets and pandas write integer ids this way.
std::string_view normalize_integer_id(std::string_view id);

bool is_valid_utf8(std::string_view s);
// Every byte is one code point (ISO-8859-1); the result is valid UTF-8.
std::string latin1_to_utf8(std::string_view s);
// s unchanged when it is valid UTF-8, else decoded as Latin-1 (MovieLens 1M titles).
std::string utf8_or_latin1(std::string_view s);
// The same into an existing string, reusing its storage (readers assign names row after row).
void assign_utf8_or_latin1(std::string& out, std::string_view s);
// The same without copying valid text: returns s itself when it is valid UTF-8, else decodes it
// into `buffer` and returns a view of that (valid until buffer changes).
std::string_view utf8_or_latin1(std::string_view s, std::string& buffer);

// Text safe to show on a terminal and inside any UTF-8 document: valid UTF-8 sequences are
// kept, control characters and bytes that are not UTF-8 become \xNN escapes, and text past
// max_bytes is cut (at a character boundary) and marked with "...".
std::string printable(std::string_view s, std::size_t max_bytes = 80);

// Levenshtein distance over bytes (for "did you mean" suggestions; short strings only).
std::size_t edit_distance(std::string_view a, std::string_view b);

// Splits s at every occurrence of sep (no quoting); empty pieces are kept.
std::vector<std::string_view> split(std::string_view s, std::string_view sep);

// Shortest decimal text that reads back to exactly the same float.
std::string format_float(float v);

}  // namespace aisle

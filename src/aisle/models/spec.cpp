#include "aisle/models/spec.h"

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

[[noreturn]] void bad_spec(std::string_view spec, const std::string& problem) {
  throw ConfigError("model spec '" + std::string(spec) + "': " + problem);
}

SpecMember parse_member(std::string_view whole, std::string_view text) {
  SpecMember m;
  // The role ends at the first '*' or '=' that comes before the member's own ':' or '('.
  const std::size_t own = text.find_first_of(":(");
  const std::size_t mark = text.find_first_of("*=");
  if (mark != std::string_view::npos && (own == std::string_view::npos || mark < own)) {
    m.role = std::string(trim(text.substr(0, mark)));
    m.separator = text[mark];
    text = trim(text.substr(mark + 1));
    if (m.role.empty()) bad_spec(whole, "a member's '" + std::string(1, m.separator) + "' has nothing before it");
  }
  if (text.empty()) bad_spec(whole, "a member has no model");
  m.spec = std::string(text);
  return m;
}

}  // namespace

ParsedSpec parse_spec(std::string_view spec) {
  ParsedSpec out;
  const std::string_view text = trim(spec);
  const std::size_t open = text.find('(');
  const std::string_view head = text.substr(0, open);
  const std::size_t colon = head.find(':');
  out.name = std::string(trim(head.substr(0, colon)));
  if (colon != std::string_view::npos) out.args = std::string(trim(head.substr(colon + 1)));
  if (out.name.empty()) bad_spec(spec, "no model name");
  if (open == std::string_view::npos) {
    if (text.find(')') != std::string_view::npos) bad_spec(spec, "')' without '('");
    return out;
  }
  out.has_members = true;
  // Members split at ';' outside nested parentheses; the list ends at the matching ')'.
  int depth = 0;
  std::size_t start = open + 1;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      const std::string_view last = trim(text.substr(start, i - start));
      if (!last.empty() || !out.members.empty()) out.members.push_back(parse_member(spec, last));
      if (i + 1 != text.size()) bad_spec(spec, "text after the closing ')'");
      return out;
    } else if (c == ';' && depth == 1) {
      out.members.push_back(parse_member(spec, trim(text.substr(start, i - start))));
      start = i + 1;
    }
  }
  bad_spec(spec, "'(' without its ')'");
}

std::string format_spec(const ParsedSpec& spec) {
  std::string out = spec.name;
  if (!spec.args.empty()) out += ":" + spec.args;
  if (!spec.has_members && spec.members.empty()) return out;
  out += "(";
  for (std::size_t m = 0; m < spec.members.size(); ++m) {
    const SpecMember& member = spec.members[m];
    if (m > 0) out += "; ";
    if (member.separator != 0) out += member.role + member.separator;
    out += member.spec;
  }
  return out + ")";
}

}  // namespace aisle

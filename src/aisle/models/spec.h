// The model spec grammar, parsed here and nowhere else (registry.cpp builds models from it):
//
//   spec    := name [":" args] ["(" member (";" member)* ")"]
//   args    := key "=" value ("," key "=" value)*
//   member  := [role ("*" | "=")] spec
//
// A plain model is "als:factors=64,iterations=15". A pipeline (blend, route) lists its members,
// which are specs themselves, so pipelines nest: "blend:normalize=min-max(0.6*als; 0.4*popularity)",
// "route:min_history=5(known=ease; few=item_knn; session=session_knn; fallback=popularity)".
// A member's role is what its pipeline calls it: a blend's weight ("0.6*"), a route's segment
// ("known="). A role ends at the first '*' or '=' before the member's own ':' or '('.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aisle {

struct SpecMember {
  std::string role;    // empty: none given
  char separator = 0;  // '*' or '=' after the role; 0 without a role
  std::string spec;    // the member's own spec
};

struct ParsedSpec {
  std::string name;
  std::string args;                 // "key=value,..." (may be empty)
  std::vector<SpecMember> members;  // empty for a plain model
  bool has_members = false;         // "(...)" was given (even if empty)
};

// Throws ConfigError naming the spec for unbalanced parentheses, text after ")" or an empty
// member.
ParsedSpec parse_spec(std::string_view spec);

// The inverse of parse_spec: "name:args(role*member; ...)"; `name` alone without args and members.
std::string format_spec(const ParsedSpec& spec);

}  // namespace aisle

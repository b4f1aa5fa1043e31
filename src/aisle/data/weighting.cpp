#include "aisle/data/weighting.h"

#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

const char* transform_name(Transform t) {
  switch (t) {
    case Transform::kNone:
      return "none";
    case Transform::kLog1p:
      return "log1p";
    case Transform::kBm25:
      return "bm25";
    case Transform::kTfidf:
      return "tfidf";
  }
  return "?";
}

std::string canonical_event_type(std::string_view name) {
  std::string n = to_lower(trim(name));
  static const std::pair<std::string_view, std::string_view> kAliases[] = {
      {"addtocart", "cart"},
      {"add_to_cart", "cart"},
      {"add-to-cart", "cart"},
      {"transaction", "purchase"},
      {"buy", "purchase"},
      {"order", "purchase"},
      {"remove", "remove_from_cart"},
      {"removefromcart", "remove_from_cart"},
      {"click", "view"},
      {"pageview", "view"},
      {"cancellation", "cancel"},
      {"return", "cancel"},
  };
  for (const auto& [alias, canonical] : kAliases) {
    if (n == alias) return std::string(canonical);
  }
  return n;
}

Weighting::Weighting()
    : types_{{"view", 1.0f, false},     {"cart", 3.0f, false},    {"remove_from_cart", -3.0f, false},
             {"purchase", 5.0f, false}, {"cancel", -5.0f, false}, {"rating", 1.0f, true}} {}

Weighting Weighting::parse(std::string_view spec) {
  Weighting w;
  spec = trim(spec);
  if (spec.empty()) return w;
  for (std::string_view part : split(spec, ",")) {
    part = trim(part);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      throw ConfigError("weights spec '" + std::string(spec) + "': '" + std::string(part) + "' is not NAME=VALUE");
    }
    const std::string key = to_lower(trim(part.substr(0, eq)));
    const std::string_view value = trim(part.substr(eq + 1));
    if (key == "transform") {
      const std::string v = to_lower(value);
      if (v == "none")
        w.transform_ = Transform::kNone;
      else if (v == "log1p")
        w.transform_ = Transform::kLog1p;
      else if (v == "bm25")
        w.transform_ = Transform::kBm25;
      else if (v == "tfidf")
        w.transform_ = Transform::kTfidf;
      else {
        throw ConfigError("weights spec: unknown transform '" + std::string(value) +
                          "'; known: none, log1p, bm25, tfidf");
      }
      continue;
    }
    TypeWeight tw{canonical_event_type(key), 1.0f, false};
    if (tw.name.empty()) throw ConfigError("weights spec: empty event type name in '" + std::string(part) + "'");
    if (to_lower(value) == "value") {
      tw.from_value = true;
    } else if (auto f = parse_float(value)) {
      tw.weight = *f;
    } else {
      throw ConfigError("weights spec: weight of '" + key + "' must be a number or 'value', got '" +
                        std::string(value) + "'");
    }
    auto it = std::find_if(w.types_.begin(), w.types_.end(), [&](const TypeWeight& t) { return t.name == tw.name; });
    if (it != w.types_.end())
      *it = tw;
    else
      w.types_.push_back(tw);
  }
  return w;
}

const TypeWeight* Weighting::find(std::string_view canonical_name) const {
  for (const TypeWeight& t : types_) {
    if (t.name == canonical_name) return &t;
  }
  return nullptr;
}

std::string Weighting::to_string() const {
  std::string out;
  for (const TypeWeight& t : types_) {
    out += t.name + "=" + (t.from_value ? std::string("value") : format_float(t.weight)) + ",";
  }
  out += "transform=";
  out += transform_name(transform_);
  return out;
}

std::vector<TypeWeight> Weighting::resolve(const IdMap& event_types) const {
  std::vector<TypeWeight> rules;
  rules.reserve(event_types.size());
  for (std::uint32_t t = 0; t < event_types.size(); ++t) {
    const TypeWeight* tw = find(event_types.name(t));
    if (tw == nullptr) {
      throw ConfigError("event type '" + std::string(event_types.name(t)) +
                        "' has no weight; add it to the weights spec, e.g. '" + std::string(event_types.name(t)) +
                        "=1'");
    }
    rules.push_back(*tw);
  }
  return rules;
}

}  // namespace aisle

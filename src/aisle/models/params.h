// Typed model parameters with one source of truth. Each model has one struct of parameters and
// one ParamSchema listing its fields (name, default, range, scale, help). The schema drives
// parsing of spec arguments ("factors=64,iterations=15"), validation, `aisle models`, the
// model-file header and tuning's search space (the SearchRange list beside the fields: which
// parameters `aisle tune` searches, over which part of their valid range). Unknown keys and
// out-of-range values are a ConfigError naming the model and the key.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aisle {

enum class ParamKind { kInt, kFloat, kChoice };

// A field as callers outside the model see it.
struct ParamInfo {
  std::string name;
  ParamKind kind = ParamKind::kFloat;
  std::string default_value;         // as it would be written in a spec
  double min = 0, max = 0;           // kInt, kFloat: inclusive range
  bool log_scale = false;            // tuning searches log(value)
  std::vector<std::string> choices;  // kChoice
  std::string help;
  bool tuned = false;                     // searched by `aisle tune`
  double search_min = 0, search_max = 0;  // kInt, kFloat: the searched range (on log_scale's scale)
};

// A parameter tuning searches: numbers over [min, max] (a sub-range of the valid one, on the
// field's scale), choices over all their choices (min and max unused).
struct SearchRange {
  std::string_view name;
  double min = 0, max = 0;
};

template <class P>
struct ParamField {
  std::string_view name;
  std::variant<int P::*, float P::*, std::string P::*> member;
  double min = 0, max = 0;
  bool log_scale = false;
  std::vector<std::string_view> choices;  // for std::string members
  std::string_view help;
};

// Parses and formats parameter values; shared by every ParamSchema<P>.
namespace param_detail {
double parse_number(std::string_view model, std::string_view key, std::string_view text, bool integer, double min,
                    double max);
std::string parse_choice(std::string_view model, std::string_view key, std::string_view text,
                         const std::vector<std::string_view>& choices);
std::string format_number(double v, bool integer);
// Splits "a=1,b=2" into pairs; throws ConfigError for a part without '=' or a repeated key.
std::vector<std::pair<std::string, std::string>> split_args(std::string_view model, std::string_view args);
// A schema's search range must name a field and lie within its valid range (a programming error).
void check_search_range(std::string_view model, std::string_view key, bool exists, bool choice, double min, double max,
                        double search_min, double search_max);
[[noreturn]] void unknown_key(std::string_view model, std::string_view key, const std::vector<std::string>& known);
}  // namespace param_detail

// GCC 12 instantiates the std::string alternative of the member-pointer variant for structs that
// have no string field and then warns that writing through it would be out of bounds; that
// alternative never holds a value there (nor is `defaults` read through it uninitialized).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <class P>
class ParamSchema {
 public:
  ParamSchema(std::string_view model, std::vector<ParamField<P>> fields, std::vector<SearchRange> search = {})
      : model_(model), fields_(std::move(fields)), search_(std::move(search)) {
    for (const SearchRange& r : search_) {
      const ParamField<P>* f = find(r.name);
      param_detail::check_search_range(model_, r.name, f != nullptr, f != nullptr && !f->choices.empty(),
                                       f != nullptr ? f->min : 0, f != nullptr ? f->max : 0, r.min, r.max);
    }
  }

  // Defaults overridden by "key=value,..." (may be empty).
  P parse(std::string_view args) const {
    P p;
    for (const auto& pair : param_detail::split_args(model_, args)) {
      // Named copies: clang 14 cannot capture structured bindings in the lambda below.
      const std::string& key = pair.first;
      const std::string& text = pair.second;
      const ParamField<P>* f = find(key);
      if (f == nullptr) param_detail::unknown_key(model_, key, names());
      std::visit(
          [&](auto member) {
            using T = std::remove_cvref_t<decltype(p.*member)>;
            if constexpr (std::is_same_v<T, std::string>) {
              p.*member = param_detail::parse_choice(model_, key, text, f->choices);
            } else {
              p.*member =
                  static_cast<T>(param_detail::parse_number(model_, key, text, std::is_integral_v<T>, f->min, f->max));
            }
          },
          f->member);
    }
    return p;
  }

  // Every field, in schema order: "factors=64,regularization=0.05,...".
  std::string format(const P& p) const {
    std::string out;
    for (const ParamField<P>& f : fields_) {
      if (!out.empty()) out += ',';
      out += std::string(f.name) + '=' + value_text(p, f);
    }
    return out;
  }

  std::vector<ParamInfo> describe() const {
    const P defaults;
    std::vector<ParamInfo> out;
    for (const ParamField<P>& f : fields_) {
      ParamInfo info;
      info.name = f.name;
      info.default_value = value_text(defaults, f);
      info.min = f.min;
      info.max = f.max;
      info.log_scale = f.log_scale;
      info.help = f.help;
      std::visit(
          [&](auto member) {
            using T = std::remove_cvref_t<decltype(defaults.*member)>;
            info.kind = std::is_same_v<T, std::string> ? ParamKind::kChoice
                        : std::is_integral_v<T>        ? ParamKind::kInt
                                                       : ParamKind::kFloat;
          },
          f.member);
      for (std::string_view c : f.choices) info.choices.emplace_back(c);
      for (const SearchRange& r : search_) {
        if (r.name != f.name) continue;
        info.tuned = true;
        info.search_min = r.min;
        info.search_max = r.max;
      }
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  const ParamField<P>* find(std::string_view key) const {
    for (const ParamField<P>& f : fields_) {
      if (f.name == key) return &f;
    }
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const ParamField<P>& f : fields_) out.emplace_back(f.name);
    return out;
  }
  static std::string value_text(const P& p, const ParamField<P>& f) {
    return std::visit(
        [&](auto member) -> std::string {
          using T = std::remove_cvref_t<decltype(p.*member)>;
          if constexpr (std::is_same_v<T, std::string>) {
            return p.*member;
          } else {
            return param_detail::format_number(static_cast<double>(p.*member), std::is_integral_v<T>);
          }
        },
        f.member);
  }

  std::string_view model_;
  std::vector<ParamField<P>> fields_;
  std::vector<SearchRange> search_;
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace aisle

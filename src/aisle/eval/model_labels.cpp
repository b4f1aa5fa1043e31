#include "aisle/eval/model_labels.h"

#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

std::string short_form(const std::string& spec) {
  try {
    return short_spec(spec);
  } catch (const ConfigError&) {
    return spec;  // not a spec of a registered model: shown as given
  }
}

// `text` cut to fit `width` bytes together with "..." and `suffix`, after its last ',', ':', ';' or '('
// that fits when there is one.
std::string cut(const std::string& text, const std::string& suffix, std::size_t width) {
  const std::string ellipsis = "...";
  const std::size_t room = width > suffix.size() + ellipsis.size() ? width - suffix.size() - ellipsis.size() : 0;
  std::string head = text.substr(0, room);
  const std::size_t boundary = head.find_last_of(",:;(");
  if (boundary != std::string::npos && boundary > 0) head.resize(boundary + 1);
  return head + ellipsis + suffix;
}

}  // namespace

std::vector<std::string> model_labels(const std::vector<std::string>& specs, std::size_t max_width) {
  max_width = std::max<std::size_t>(max_width, 16);
  std::vector<std::string> shorts;
  shorts.reserve(specs.size());
  for (const std::string& spec : specs) shorts.push_back(short_form(spec));
  std::vector<std::string> labels;
  labels.reserve(specs.size());
  for (std::size_t i = 0; i < shorts.size(); ++i) {
    const std::string& s = shorts[i];
    // A numbered label ends in " #n" with its own n; one without a number contains no " #" and
    // is the only one of its text, so the two kinds never meet.
    const bool shared = std::count(shorts.begin(), shorts.end(), s) > 1;
    const bool fits = s.size() <= max_width;
    if (!shared && fits && s.find(" #") == std::string::npos) {
      labels.push_back(s);
      continue;
    }
    const std::string suffix = " #" + std::to_string(i + 1);
    labels.push_back(s.size() + suffix.size() <= max_width ? s + suffix : cut(s, suffix, max_width));
  }
  return labels;
}

}  // namespace aisle

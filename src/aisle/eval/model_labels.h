// The names a report shows for its models. A canonical spec lists every parameter, so specs of
// one kind share a long prefix and a table column that cuts them makes different models look
// alike. A label is the spec without its default parameters, numbered where that is still too
// long or not unique; reports print the full spec beside it (legend, tooltip, JSON).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace aisle {

inline constexpr std::size_t kMaxLabelWidth = 48;

// One label per spec, in order. A label is the spec's short form (models/registry.h short_spec:
// the kind and the parameters that differ from its defaults; the spec itself when it does not
// parse). A short form shared by several specs gets " #n" appended, n being the spec's 1-based
// position; one longer than `max_width` (at least 16) is cut after a parameter and ends in
// "... #n". So no two labels are equal and none has more than `max_width` bytes (specs are ASCII).
std::vector<std::string> model_labels(const std::vector<std::string>& specs, std::size_t max_width = kMaxLabelWidth);

}  // namespace aisle

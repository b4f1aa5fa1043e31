// Template part of mapped_row.h.
#pragma once

#include "aisle/core/error.h"

namespace aisle {

template <typename HasColumn>
std::array<std::string, kFieldCount> resolve_columns(const ColumnMapping& mapping, HasColumn has_column,
                                                     const std::string& path, std::string_view format) {
  std::array<std::string, kFieldCount> out;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const Field f = static_cast<Field>(i);
    if (!mapping[f].empty()) {
      if (!has_column(mapping[f])) {
        throw InputError(path + ": mapped column '" + mapping[f] + "' (for " + std::string(field_name(f)) +
                         ") is not in the " + std::string(format) + " input");
      }
      out[i] = mapping[f];
      continue;
    }
    for (std::string_view name : usual_names(f)) {
      if (has_column(name)) {
        out[i] = name;
        break;
      }
    }
  }
  // No user column, but item and catalog columns: a catalog file.
  const bool no_user = out[static_cast<std::size_t>(Field::kUser)].empty();
  bool has_catalog = false;
  for (std::size_t i = static_cast<std::size_t>(Field::kName); i < kFieldCount; ++i) has_catalog |= !out[i].empty();
  if (no_user && has_catalog && !out[static_cast<std::size_t>(Field::kItem)].empty()) return out;
  for (Field required : {Field::kUser, Field::kItem}) {
    if (out[static_cast<std::size_t>(required)].empty()) {
      throw InputError(path + ": no column for " + std::string(field_name(required)) + " in the " +
                       std::string(format) + " input; name it with --map " + std::string(field_name(required)) +
                       "=COLUMN");
    }
  }
  return out;
}

}  // namespace aisle

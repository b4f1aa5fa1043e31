// The generic readers (csv, jsonl): a row is a set of named values; the ColumnMapping says which
// name feeds which field. Both readers resolve names once, then hand each row's values here.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "aisle/data/readers/row_builder.h"

namespace aisle {

using MappedValues = std::array<std::optional<std::string_view>, kFieldCount>;

// Builds the event (and catalog facts) of one row. Rows without user or item are rejected; a
// row without time gets time 0; a row without event type gets options.default_event.
class MappedRowBuilder {
 public:
  MappedRowBuilder(EventLog& log, ReadReport& report, const ReadOptions& options);
  void add(RowLocation where, const MappedValues& values, const std::array<std::string, kFieldCount>& columns);

 private:
  EventRow row_;
  const ReadOptions& options_;
  EventLog& log_;
  LatestByItem latest_;
  EventTypeIdx default_type_ = kNoIndex;
};

// Usual source names of each field, tried in order when the mapping does not name one.
const std::vector<std::string_view>& usual_names(Field f);

// For each field, the source name to read: the mapping's, else the first usual name found by
// `has_column`. An explicitly mapped name that is missing is an InputError naming it; so is a
// row shape without user or item column.
template <typename HasColumn>
std::array<std::string, kFieldCount> resolve_columns(const ColumnMapping& mapping, HasColumn has_column,
                                                     const std::string& path, std::string_view format);

}  // namespace aisle

#include "aisle/data/readers/mapped_row_inl.h"

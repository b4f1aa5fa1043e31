#include "aisle/data/readers/row_issues.h"

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

std::string RejectExample::to_string() const {
  std::string out = file + ":" + std::to_string(line) + ": ";
  if (!column.empty()) out += "column '" + column + "': ";
  out += "expected " + expected + ", found '" + found + "'";
  return out;
}

void RowIssues::reject(std::string_view reason, RowLocation where, std::string_view column, std::string_view expected,
                       std::string_view found) {
  // Found text is shown escaped: a file's raw bytes never reach the terminal or a JSON summary.
  RejectExample ex{std::string(where.file), where.line, printable(column), std::string(expected), printable(found)};
  if (strict_) {
    throw InputError(ex.to_string() + " (" + std::string(reason) + "; a strict load fails on any rejected row)");
  }
  auto it = rejected_.find(reason);
  if (it == rejected_.end()) it = rejected_.emplace(std::string(reason), ReasonCount{}).first;
  ++it->second.count;
  if (it->second.examples.size() < examples_per_reason_) it->second.examples.push_back(std::move(ex));
}

std::uint64_t RowIssues::rejected_rows() const {
  std::uint64_t n = 0;
  for (const auto& [reason, rc] : rejected_) n += rc.count;
  return n;
}

std::uint64_t RowIssues::skipped_rows() const {
  std::uint64_t n = 0;
  for (const auto& [reason, count] : skipped_) n += count;
  return n;
}

}  // namespace aisle

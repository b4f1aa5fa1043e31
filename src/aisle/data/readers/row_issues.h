// Accounting for rows a reader did not keep.
// - rejected: bad input (an unparsable time, an empty item id, a short row). Counted by reason;
//   the first few of each reason are kept with file:line, column, what was expected and what
//   was found. In strict mode the first rejection throws an InputError with that text.
// - skipped: rows a documented rule leaves out (Online Retail rows without a customer,
//   non-product stock codes). Counted by reason, never an error.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aisle {

struct RowLocation {
  std::string_view file;
  std::uint64_t line = 0;
};

struct RejectExample {
  std::string file;
  std::uint64_t line = 0;
  std::string column;
  std::string expected;
  std::string found;
  std::string to_string() const;  // "events.csv:12: column 'timestamp': expected ..., found '...'"
};

struct ReasonCount {
  std::uint64_t count = 0;
  std::vector<RejectExample> examples;
};

class RowIssues {
 public:
  explicit RowIssues(bool strict = false, std::size_t examples_per_reason = 5)
      : strict_(strict), examples_per_reason_(examples_per_reason) {}

  void reject(std::string_view reason, RowLocation where, std::string_view column, std::string_view expected,
              std::string_view found);
  void skip(std::string_view reason) { ++skipped_[std::string(reason)]; }
  void skip(std::string_view reason, std::uint64_t n) { skipped_[std::string(reason)] += n; }

  const std::map<std::string, ReasonCount, std::less<>>& rejected() const { return rejected_; }
  const std::map<std::string, std::uint64_t, std::less<>>& skipped() const { return skipped_; }
  std::uint64_t rejected_rows() const;
  std::uint64_t skipped_rows() const;

 private:
  bool strict_;
  std::size_t examples_per_reason_;
  std::map<std::string, ReasonCount, std::less<>> rejected_;
  std::map<std::string, std::uint64_t, std::less<>> skipped_;
};

}  // namespace aisle

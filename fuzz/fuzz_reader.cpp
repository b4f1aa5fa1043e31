// libFuzzer target for one reader format (AISLE_FUZZ_FORMAT, set per target in CMake). The
// input is handed to the reader as a file; a typed aisle::Error is a correct answer to bad
// input, anything else (a crash, a sanitizer report, another exception) is a finding.
#include <cstdint>
#include <string>
#include <vector>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "memory_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const aisle::fuzz::MemoryFile input(data, size);
  if (!input.ok()) return 0;
  const std::vector<std::string> files = {input.path()};
  aisle::ReadOptions options;
  options.mapping = aisle::ColumnMapping::parse("user=u,item=i,time=t,event=e,value=v,name=n,category=c");
  aisle::EventLog log;
  try {
    const aisle::ReadReport report = aisle::read_files(AISLE_FUZZ_FORMAT, files, options, log);
    // Every row is accounted for exactly once.
    if (report.rows_read < report.rows_kept + report.issues.rejected_rows() + report.issues.skipped_rows()) {
      __builtin_trap();
    }
  } catch (const aisle::Error&) {}
  return 0;
}

// Reading one delimited file in parts, one per rank of a distributed fit, each part by byte range.
//
// The bytes after the header line are cut at header_end + r * (size - header_end) / N; each cut
// moves forward to the next line start, so a row belongs to the part where it starts and every
// row is in exactly one part (a part may be empty: a file of fewer rows than parts). Every part
// is read as the header line followed by its rows, so the readers (csv) parse it unchanged, with
// the same checks and messages; the row at `begin` is numbered first_line, the line count of the
// earlier parts being exchanged first (count_lines), so file:line in errors is the file's own.
//
// Limits: only plain files (gzip and zstd streams cannot be entered at a byte offset:
// can_read_in_parts), with the header on the first non-blank line, and no quoted field holding a
// line end across a cut (such a field would be split between two parts).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aisle/data/readers/input_stream.h"

namespace aisle {

struct FilePart {
  std::string path;
  std::uint64_t header_end = 0;      // bytes [0, header_end): blank lines and the header line
  std::uint64_t header_lines = 0;    // line ends in [0, header_end)
  std::uint64_t begin = 0, end = 0;  // this part's rows: bytes [begin, end), begin a line start
  std::uint64_t first_line = 0;      // 1-based line of the row at `begin` (set by the caller)
};

// Whether `path` is a plain file (no gzip or zstd magic bytes). Throws InputError when it cannot
// be opened.
bool can_read_in_parts(const std::string& path);

// Part `part` (0-based) of `parts` of the file. first_line is header_lines + 1, as for the first
// part; later parts add the lines of the parts before them. Reads the header line and the bytes
// from each cut to the next line end, nothing else. Throws InputError when it cannot be read.
FilePart plan_part(const std::string& path, int part, int parts);

// Line ends in the part's bytes [begin, end): the lines of the rows (the last row of a file may
// end without one).
std::uint64_t count_lines(const FilePart& part);

// The bytes a reader reads for a part: [0, header_end) then [begin, end), named by the path.
std::unique_ptr<InputStream> open_part(const FilePart& part);

}  // namespace aisle

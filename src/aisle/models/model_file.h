// Model files: self-describing and versioned.
//   "AISLEMDL" | u32 format version | kind | params | provenance (format 3: trained at, data
//   fingerprint, aisle version; format 4: + data as of) | user ids | item ids | history | item facts | model payload |
//   u32 CRC-32 of everything before it
// Strings and vectors are length-prefixed (core/binary_io.h). A file that is truncated,
// damaged, of another kind than expected or of a newer format version is refused with an
// InputError naming the file and the problem. Format 1 files stay readable (without names and
// prices): a file of each older format is kept under tests/fixtures/models.
#pragma once

#include <string>
#include <string_view>

#include "aisle/models/trained_model.h"

namespace aisle {

// Format 2 added the item facts' display fields (item names and prices, category names);
// format 3 the provenance and item image URLs; format 4 Provenance::data_as_of. Older files load
// with those left empty (data_as_of: the file's trained_at).
inline constexpr std::uint32_t kModelFormatVersion = 4;

void save_model(const TrainedModel& model, const std::string& path);
// `expected_kind` empty: any kind.
TrainedModel load_model(const std::string& path, std::string_view expected_kind = {});

}  // namespace aisle

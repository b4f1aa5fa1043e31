// The backend-independent part of the experiment tables: checking impressions before a write,
// the text form of an impression's item lists, and the schema-version rule both backends apply
// when a store is opened. Pure computation.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/store/event_store.h"

namespace aisle {

// Throws InputError naming the impression (its position in the call) and field when an id is
// empty, not valid UTF-8 or holds a NUL byte, or credits is neither empty nor one per item.
void check_impressions(std::span<const Impression> impressions);

// An id list as stored in a TEXT column (a JSON array of strings), and back; decode throws
// StoreError naming url when the column does not hold one.
std::string encode_ids(const std::vector<std::string>& ids);
std::vector<std::string> decode_ids(std::string_view text, const std::string& url);

// The columns of an impressions row, in the order both backends write and read them.
inline constexpr std::string_view kImpressionColumns =
    "request_id, experiment, arm, visitor, anonymous, ts, items, credits";

// Whether a store whose meta row says `version` ("" for a new store) can be opened, and whether
// it must be upgraded first (its meta row then rewritten to kStoreSchemaVersion). Throws
// StoreError naming url for a version this aisle cannot read.
bool needs_schema_upgrade(std::string_view version, const std::string& url);

}  // namespace aisle

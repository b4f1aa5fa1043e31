// The backend-independent part of the recommendation batches (docs/STORE.md, "Recommendation
// batches"): checks before a write, and the SQL both backends run, with the values to put in
// given by the caller (SQLite binds ?1.., PostgreSQL quotes literals). Pure computation.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "aisle/store/event_store.h"

namespace aisle {

// Throws InputError naming the field for an empty or unstorable version (id_problem) or a k of 0.
void check_batch(const RecommendationBatch& batch);
void check_batch_version(std::string_view version);
// Throws InputError naming the list (its position in the call) and field when a user or item id
// is empty, not valid UTF-8 or holds a NUL byte, or a score is not finite.
void check_recommendation_lists(std::span<const UserRecommendations> lists);

// The columns of a recommendation_batches row, in the order both backends read them.
inline constexpr std::string_view kBatchColumns = "version, model, k, created_at, completed_at, users, row_count";

// The read of one user's list: the batch row (kBatchColumns), then position, item_id and score,
// one row per item in order (one row with NULL position when the batch holds no list for the
// user), nothing when there is no such complete batch. `version_value` and `user_value` are the
// SQL text of the two values (a placeholder or a literal); `version_value` empty: the newest
// complete batch.
std::string stored_list_sql(std::string_view version_value, std::string_view user_value);

// The completion of a batch: its counts, completed_at and the next completion number, on the row
// of an incomplete batch. `version_value` and `now` as SQL text.
std::string complete_batch_sql(std::string_view version_value, std::string_view now);

}  // namespace aisle

#include "aisle/store/recommendation_rows.h"

#include <cmath>

#include "aisle/core/error.h"
#include "aisle/store/append_plan.h"

namespace aisle {

void check_batch_version(std::string_view version) {
  if (auto problem = id_problem(version)) throw InputError("recommendation batch version " + *problem);
}

void check_batch(const RecommendationBatch& batch) {
  check_batch_version(batch.version);
  if (batch.k == 0) throw InputError("recommendation batch '" + batch.version + "': k must be at least 1");
}

void check_recommendation_lists(std::span<const UserRecommendations> lists) {
  for (std::size_t l = 0; l < lists.size(); ++l) {
    const auto where = [&] { return "recommendation list " + std::to_string(l) + ": "; };
    if (auto problem = id_problem(lists[l].user)) throw InputError(where() + "user " + *problem);
    for (std::size_t p = 0; p < lists[l].items.size(); ++p) {
      const StoredRecommendation& r = lists[l].items[p];
      if (auto problem = id_problem(r.item)) throw InputError(where() + "item " + std::to_string(p) + " " + *problem);
      if (!std::isfinite(r.score)) throw InputError(where() + "item " + std::to_string(p) + ": score is not finite");
    }
  }
}

std::string stored_list_sql(std::string_view version_value, std::string_view user_value) {
  const std::string which = version_value.empty() ? std::string() : " AND version = " + std::string(version_value);
  return "WITH b AS (SELECT " + std::string(kBatchColumns) +
         " FROM recommendation_batches WHERE completion IS NOT NULL" + which +
         " ORDER BY completion DESC LIMIT 1) SELECT b.version, b.model, b.k, b.created_at, b.completed_at, b.users, "
         "b.row_count, r.position, r.item_id, r.score FROM b LEFT JOIN recommendations r ON r.version = b.version "
         "AND r.user_id = " +
         std::string(user_value) + " ORDER BY r.position";
}

std::string complete_batch_sql(std::string_view version_value, std::string_view now) {
  const std::string v(version_value);
  return "UPDATE recommendation_batches SET completed_at = " + std::string(now) +
         ", completion = (SELECT COALESCE(MAX(completion), 0) + 1 FROM recommendation_batches), "
         "users = (SELECT COUNT(*) FROM recommendations WHERE version = " +
         v + " AND position = 0), row_count = (SELECT COUNT(*) FROM recommendations WHERE version = " + v +
         ") WHERE version = " + v + " AND completion IS NULL";
}

}  // namespace aisle

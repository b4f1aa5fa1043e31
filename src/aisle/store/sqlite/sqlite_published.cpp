// What the SQLite store publishes for servers: model files (publish_model, latest_model_version,
// read_model) and recommendation batches.
#include <ctime>

#include "aisle/core/error.h"
#include "aisle/store/recommendation_rows.h"
#include "aisle/store/sqlite/sqlite_store_impl.h"

namespace aisle::sqlite {

std::int64_t SqliteStore::publish_model(std::string_view spec, std::string_view bytes) {
  Transaction tx(db_);
  const std::int64_t version = latest_model_version() + 1;
  Statement put(db_, "INSERT INTO models(version, spec, created_at, size, bytes) VALUES(?, ?, ?, ?, ?)");
  put.bind(1, version).bind(2, spec).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
  put.bind(4, static_cast<std::int64_t>(bytes.size())).bind_blob(5, bytes).run();
  tx.commit();
  return version;
}

std::int64_t SqliteStore::latest_model_version() {
  Statement q(db_, "SELECT COALESCE(MAX(version), 0) FROM models");
  q.step();
  return q.int_at(0);
}

StoredModel SqliteStore::read_model(std::int64_t version) {
  Statement q(db_, "SELECT spec, created_at, bytes FROM models WHERE version = ?");
  q.bind(1, version);
  if (!q.step()) throw StoreError(url() + ": no published model of version " + std::to_string(version));
  return {version, std::string(q.text_at(0)), q.int_at(1), std::string(q.blob_at(2))};
}
namespace {

// Recommendation batches.

// Reads a batch row (kBatchColumns) from column `first` on.
RecommendationBatch batch_at(const Statement& q, int first = 0) {
  RecommendationBatch b;
  b.version = q.text_at(first);
  b.model = q.text_at(first + 1);
  b.k = static_cast<std::uint32_t>(q.int_at(first + 2));
  b.created_at = q.int_at(first + 3);
  if (!q.null_at(first + 4)) b.completed_at = q.int_at(first + 4);
  b.users = static_cast<std::uint64_t>(q.int_at(first + 5));
  b.row_count = static_cast<std::uint64_t>(q.int_at(first + 6));
  return b;
}

}  // namespace

void SqliteStore::begin_recommendations(const RecommendationBatch& batch) {
  check_batch(batch);
  Transaction tx(db_);
  Statement drop(db_, "DELETE FROM recommendations WHERE version = ?");
  drop.bind(1, batch.version).run();
  Statement put(db_, "INSERT OR REPLACE INTO recommendation_batches(" + std::string(kBatchColumns) +
                         ", completion) VALUES(?, ?, ?, ?, NULL, 0, 0, NULL)");
  put.bind(1, batch.version).bind(2, batch.model).bind(3, std::int64_t{batch.k});
  put.bind(4, static_cast<std::int64_t>(std::time(nullptr))).run();
  tx.commit();
}

void SqliteStore::write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) {
  check_batch_version(version);
  check_recommendation_lists(lists);
  Transaction tx(db_);
  Statement state(db_, "SELECT completion IS NULL FROM recommendation_batches WHERE version = ?");
  state.bind(1, version);
  if (!state.step()) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun");
  }
  if (state.int_at(0) == 0) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' is complete; begin it again");
  }
  state.reset();
  Statement ins(db_, "INSERT INTO recommendations(version, user_id, position, item_id, score) VALUES(?, ?, ?, ?, ?)");
  for (const UserRecommendations& list : lists) {
    for (std::size_t p = 0; p < list.items.size(); ++p) {
      ins.bind(1, version).bind(2, list.user).bind(3, static_cast<std::int64_t>(p)).bind(4, list.items[p].item);
      ins.bind_float(5, list.items[p].score).run();
    }
  }
  tx.commit();
}

RecommendationBatch SqliteStore::complete_recommendations(std::string_view version) {
  check_batch_version(version);
  Transaction tx(db_);
  Statement done(db_, complete_batch_sql("?1", std::to_string(std::time(nullptr))));
  done.bind(1, version).run();
  if (db_.changes() != 1) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun or is complete");
  }
  Statement q(db_, "SELECT " + std::string(kBatchColumns) + " FROM recommendation_batches WHERE version = ?");
  q.bind(1, version).step();
  RecommendationBatch batch = batch_at(q);
  q.reset();
  tx.commit();
  return batch;
}

std::optional<StoredList> SqliteStore::stored_recommendations(std::string_view user, std::string_view version) {
  Statement q(db_, stored_list_sql(version.empty() ? "" : "?2", "?1"));
  q.bind(1, user);
  if (!version.empty()) q.bind(2, version);
  std::optional<StoredList> out;
  while (q.step()) {
    if (!out) out = StoredList{batch_at(q), {}};
    if (!q.null_at(7)) out->items.push_back({std::string(q.text_at(8)), q.float_at(9)});
  }
  return out;
}

std::vector<RecommendationBatch> SqliteStore::recommendation_batches() {
  std::vector<RecommendationBatch> out;
  Statement q(db_, "SELECT " + std::string(kBatchColumns) +
                       " FROM recommendation_batches ORDER BY created_at DESC, "
                       "version");
  while (q.step()) out.push_back(batch_at(q));
  return out;
}

}  // namespace aisle::sqlite

// What the PostgreSQL store publishes for servers: model files (publish_model,
// latest_model_version, read_model; NOTIFY on kModelsChannel) and recommendation batches.
#include <libpq-fe.h>

#include <ctime>

#include "aisle/core/error.h"
#include "aisle/store/postgres/postgres_store_impl.h"
#include "aisle/store/recommendation_rows.h"

namespace aisle::pg {

std::int64_t PostgresStore::publish_model(std::string_view spec, std::string_view bytes) {
  Transaction tx(c_);
  c_.exec(kLockWriters);
  const std::string version = c_.exec("SELECT COALESCE(MAX(version), 0) + 1 FROM models");
  c_.query_binary("INSERT INTO models(version, spec, created_at, size, bytes) VALUES(" + version + ", $1, " +
                      std::to_string(std::time(nullptr)) + ", " + std::to_string(bytes.size()) + ", $2)",
                  {spec, bytes});
  c_.exec("NOTIFY " + std::string(kModelsChannel) + ", '" + version + "'");
  tx.commit();
  return std::stoll(version);
}

std::int64_t PostgresStore::latest_model_version() {
  return std::stoll(c_.exec("SELECT COALESCE(MAX(version), 0) FROM models"));
}

StoredModel PostgresStore::read_model(std::int64_t version) {
  const Result r = c_.query_binary(
      "SELECT spec, created_at::text, bytes FROM models WHERE version = " + std::to_string(version), {});
  if (r.rows() == 0) throw StoreError(url() + ": no published model of version " + std::to_string(version));
  return {version, std::string(r.at(0, 0)), std::stoll(std::string(r.at(0, 1))), std::string(r.at(0, 2))};
}

namespace {

// Recommendation batches. Completions take their own advisory lock (numbers in order); writers
// hold their batch's row FOR SHARE, so a completion waits for the writes in flight.
constexpr const char* kLockCompletions = "SELECT pg_advisory_xact_lock(7311902)";

// A batch row (kBatchColumns) from field `first` on.
RecommendationBatch batch_of(const Result& r, int row, int first = 0) {
  RecommendationBatch b;
  b.version = r.at(row, first);
  b.model = r.at(row, first + 1);
  b.k = static_cast<std::uint32_t>(std::stoul(std::string(r.at(row, first + 2))));
  b.created_at = std::stoll(std::string(r.at(row, first + 3)));
  if (!PQgetisnull(r.raw(), row, first + 4)) b.completed_at = std::stoll(std::string(r.at(row, first + 4)));
  b.users = std::stoull(std::string(r.at(row, first + 5)));
  b.row_count = std::stoull(std::string(r.at(row, first + 6)));
  return b;
}

}  // namespace

void PostgresStore::begin_recommendations(const RecommendationBatch& batch) {
  check_batch(batch);
  const std::string v = c_.literal(batch.version);
  Transaction tx(c_);
  c_.exec("INSERT INTO recommendation_batches(" + std::string(kBatchColumns) + ", completion) VALUES(" + v + ", " +
          c_.literal(batch.model) + ", " + std::to_string(batch.k) + ", " + std::to_string(std::time(nullptr)) +
          ", NULL, 0, 0, NULL) ON CONFLICT(version) DO UPDATE SET model = EXCLUDED.model, k = EXCLUDED.k, "
          "created_at = EXCLUDED.created_at, completed_at = NULL, completion = NULL, users = 0, row_count = 0");
  c_.exec("DELETE FROM recommendations WHERE version = " + v);
  tx.commit();
}

void PostgresStore::write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) {
  check_batch_version(version);
  check_recommendation_lists(lists);
  Transaction tx(c_);
  const Result state = c_.query(
      "SELECT completion IS NULL FROM recommendation_batches WHERE version = " + c_.literal(version) + " FOR SHARE");
  if (state.rows() == 0)
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun");
  if (state.at(0, 0) != "t") {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' is complete; begin it again");
  }
  struct Row {
    const std::string* user;
    std::size_t position;
    const StoredRecommendation* item;
  };
  std::vector<Row> rows;
  for (const UserRecommendations& list : lists) {
    for (std::size_t p = 0; p < list.items.size(); ++p) rows.push_back({&list.user, p, &list.items[p]});
  }
  c_.copy_in("COPY recommendations(version, user_id, position, item_id, score) FROM STDIN",
             rows_of(rows, [version](CopyRow r, const Row& row) {
               r.text(version).text(*row.user).num(static_cast<std::int64_t>(row.position));
               r.text(row.item->item).real(row.item->score).end();
             }));
  tx.commit();
}

RecommendationBatch PostgresStore::complete_recommendations(std::string_view version) {
  check_batch_version(version);
  const std::string v = c_.literal(version);
  Transaction tx(c_);
  c_.exec(kLockCompletions);
  const Result done =
      c_.query(complete_batch_sql(v, std::to_string(std::time(nullptr))) + " RETURNING " + std::string(kBatchColumns));
  if (done.rows() != 1) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun or is complete");
  }
  RecommendationBatch batch = batch_of(done, 0);
  tx.commit();
  return batch;
}

std::optional<StoredList> PostgresStore::stored_recommendations(std::string_view user, std::string_view version) {
  const Result r = c_.query(stored_list_sql(version.empty() ? "" : c_.literal(version), c_.literal(user)));
  std::optional<StoredList> out;
  for (int row = 0; row < r.rows(); ++row) {
    if (!out) out = StoredList{batch_of(r, row), {}};
    if (PQgetisnull(r.raw(), row, 7)) continue;
    out->items.push_back({std::string(r.at(row, 8)), parse_real(std::string(r.at(row, 9)))});
  }
  return out;
}

std::vector<RecommendationBatch> PostgresStore::recommendation_batches() {
  const Result r = c_.query("SELECT " + std::string(kBatchColumns) +
                            " FROM recommendation_batches ORDER BY created_at DESC, version");
  std::vector<RecommendationBatch> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(batch_of(r, row));
  return out;
}

}  // namespace aisle::pg

// The SQLite store's online experiments: impressions and experiment definitions.
#include "aisle/store/experiment_rows.h"
#include "aisle/store/sqlite/sqlite_store_impl.h"

namespace aisle::sqlite {

void SqliteStore::log_impressions(std::span<const Impression> impressions) {
  check_impressions(impressions);
  if (impressions.empty()) return;
  Transaction tx(db_);
  Statement ins(db_, "INSERT INTO impressions(" + std::string(kImpressionColumns) + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  for (const Impression& m : impressions) {
    ins.bind(1, m.request_id).bind(2, m.experiment).bind(3, m.arm).bind(4, m.visitor);
    ins.bind(5, std::int64_t{m.anonymous ? 1 : 0}).bind(6, std::int64_t{m.time});
    ins.bind(7, encode_ids(m.items)).bind(8, encode_ids(m.credits)).run();
  }
  tx.commit();
}

std::vector<Impression> SqliteStore::impressions(std::string_view experiment) {
  std::vector<Impression> out;
  Statement q(db_, "SELECT " + std::string(kImpressionColumns) +
                       " FROM impressions WHERE experiment = ? ORDER BY ts, request_id");
  q.bind(1, experiment);
  while (q.step()) {
    Impression m;
    m.request_id = q.text_at(0);
    m.experiment = q.text_at(1);
    m.arm = q.text_at(2);
    m.visitor = q.text_at(3);
    m.anonymous = q.int_at(4) != 0;
    m.time = q.int_at(5);
    m.items = decode_ids(q.text_at(6), url());
    m.credits = decode_ids(q.text_at(7), url());
    out.push_back(std::move(m));
  }
  return out;
}

void SqliteStore::save_experiment(const StoredExperiment& experiment) {
  Transaction tx(db_);
  Statement put(db_, "INSERT OR REPLACE INTO experiments(name, definition, started_at, stopped_at) VALUES(?, ?, ?, ?)");
  put.bind(1, experiment.name).bind(2, experiment.definition);
  experiment.started_at ? put.bind(3, std::int64_t{*experiment.started_at}) : put.bind_null(3);
  experiment.stopped_at ? put.bind(4, std::int64_t{*experiment.stopped_at}) : put.bind_null(4);
  put.run();
  tx.commit();
}

std::vector<StoredExperiment> SqliteStore::experiments() {
  std::vector<StoredExperiment> out;
  Statement q(db_, "SELECT name, definition, started_at, stopped_at FROM experiments ORDER BY name");
  while (q.step()) {
    StoredExperiment e;
    e.name = q.text_at(0);
    e.definition = q.text_at(1);
    if (!q.null_at(2)) e.started_at = q.int_at(2);
    if (!q.null_at(3)) e.stopped_at = q.int_at(3);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace aisle::sqlite

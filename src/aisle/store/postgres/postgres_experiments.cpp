// The PostgreSQL store's online experiments: impressions and experiment definitions.
#include "aisle/store/experiment_rows.h"
#include "aisle/store/postgres/postgres_store_impl.h"

namespace aisle::pg {

void PostgresStore::log_impressions(std::span<const Impression> impressions) {
  check_impressions(impressions);
  if (impressions.empty()) return;
  Transaction tx(c_);
  c_.copy_in("COPY impressions(" + std::string(kImpressionColumns) + ") FROM STDIN",
             rows_of(impressions, [](CopyRow r, const Impression& m) {
               r.text(m.request_id).text(m.experiment).text(m.arm).text(m.visitor).num(m.anonymous ? 1 : 0);
               r.num(m.time).text(encode_ids(m.items)).text(encode_ids(m.credits)).end();
             }));
  tx.commit();
}

std::vector<Impression> PostgresStore::impressions(std::string_view experiment) {
  std::vector<Impression> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out("SELECT " + std::string(kImpressionColumns) +
                  " FROM impressions WHERE experiment = " + c_.literal(experiment) + " ORDER BY ts, request_id",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                Impression m;
                m.request_id = *f[0];
                m.experiment = *f[1];
                m.arm = *f[2];
                m.visitor = *f[3];
                m.anonymous = *f[4] != "0";
                m.time = std::stoll(*f[5]);
                m.items = decode_ids(*f[6], url());
                m.credits = decode_ids(*f[7], url());
                out.push_back(std::move(m));
              });
  return out;
}

void PostgresStore::save_experiment(const StoredExperiment& experiment) {
  const auto time_or_null = [](const std::optional<Timestamp>& t) {
    return t ? std::to_string(*t) : std::string("NULL");
  };
  Transaction tx(c_);
  c_.exec("INSERT INTO experiments(name, definition, started_at, stopped_at) VALUES(" + c_.literal(experiment.name) +
          ", " + c_.literal(experiment.definition) + ", " + time_or_null(experiment.started_at) + ", " +
          time_or_null(experiment.stopped_at) +
          ") ON CONFLICT(name) DO UPDATE SET definition = EXCLUDED.definition, started_at = EXCLUDED.started_at, "
          "stopped_at = EXCLUDED.stopped_at");
  tx.commit();
}

std::vector<StoredExperiment> PostgresStore::experiments() {
  std::vector<StoredExperiment> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out("SELECT name, definition, started_at, stopped_at FROM experiments ORDER BY name",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                StoredExperiment e;
                e.name = *f[0];
                e.definition = *f[1];
                if (f[2]) e.started_at = std::stoll(*f[2]);
                if (f[3]) e.stopped_at = std::stoll(*f[3]);
                out.push_back(std::move(e));
              });
  return out;
}

}  // namespace aisle::pg

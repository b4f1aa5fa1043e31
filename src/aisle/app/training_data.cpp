#include "aisle/app/training_data.h"

#include <ctime>

#include "aisle/core/error.h"
#include "aisle/data/readers/input_stream.h"
#include "aisle/data/readers/reader.h"
#include "aisle/models/registry.h"
#include "aisle/store/event_store.h"

namespace aisle {

std::string store_url(const std::string& given, const Config& config) {
  return given.empty() ? config.store_url : given;
}

LoadedEvents load_events(const DataSource& source, const Config& config, const ReadOptions& options, bool fingerprint) {
  LoadedEvents out;
  out.read_at = static_cast<Timestamp>(std::time(nullptr));
  if (!source.events.empty()) {
    if (!source.store.empty()) throw ConfigError("give --store or --events, not both");
    const ReadReport report = read_files(source.format, source.events, options, out.log);
    out.rejected_rows = report.issues.rejected_rows();
    for (const std::string& f : source.events) {
      out.description += (out.description.empty() ? "" : " ") + f;
      if (fingerprint) out.file_sha256.emplace_back(f, content_sha256(f));
    }
  } else {
    out.description = store_url(source.store, config);
    out.log = open_store(out.description, OpenMode::kExisting)->read();
  }
  if (out.log.events.empty()) throw InputError("no interactions in " + out.description);
  return out;
}

Interactions pairs_of(const EventLog& log, const Config& config) {
  return aggregate(log.events, config.weighting.resolve(log.event_types), log.users.size(), log.items.size());
}

bool learns_from_sequences(std::string_view spec) {
  return create_model(spec)->learns_from_sequences();
}

std::string default_spec(const Config& config, std::uint32_t num_items) {
  if (config.model_spec.empty()) return default_model_spec(num_items);
  try {
    create_model(config.model_spec);
  } catch (const ConfigError& e) {
    throw ConfigError(config.source + ": model.spec: " + e.what());
  }
  return config.model_spec;
}

SequenceOptions sequence_options(const DataSource& source, const Config& config) {
  SequenceOptions o = config.sequence_options();
  o.ties_in_log_order = !source.events.empty() && source.format == "sessions";
  return o;
}

std::optional<Sequences> sequences_for(std::string_view spec, const EventLog& log, const SequenceOptions& options) {
  if (!learns_from_sequences(spec)) return std::nullopt;
  return build_sequences(log, options);
}

}  // namespace aisle

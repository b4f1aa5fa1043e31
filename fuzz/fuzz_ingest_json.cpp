// libFuzzer target: arbitrary bytes -> a reader (csv, or jsonl when the input starts with '{')
// -> the event log -> a model -> the JSON answer `aisle recommend --json` prints, and the JSON
// summary of rejected rows `aisle ingest` stores. Findings: an id or catalog text that is not
// valid UTF-8 after reading, JSON that does not parse back, any exception but aisle::Error.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aisle/app/requests.h"
#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "memory_file.h"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

void require_utf8(const aisle::IdMap& ids) {
  for (std::uint32_t i = 0; i < ids.size(); ++i) require(aisle::is_valid_utf8(ids.name(i)));
}

void require_parses(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  require(!j.is_discarded());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const aisle::fuzz::MemoryFile input(data, size);
  if (!input.ok()) return 0;
  const std::vector<std::string> files = {input.path()};
  const bool jsonl = size > 0 && data[0] == '{';
  aisle::ReadOptions options;
  // No mapping: columns are found by their usual names (user, item, time, name, category, brand,
  // session, ...), so an input may have any subset of them.
  options.allow_empty = true;
  aisle::EventLog log;
  try {
    const aisle::ReadReport report = aisle::read_files(jsonl ? "jsonl" : "csv", files, options, log);
    require_utf8(log.users);
    require_utf8(log.items);
    require_utf8(log.sessions);
    require_utf8(log.catalog.category_ids());
    for (aisle::ItemIdx i = 0; i < log.catalog.item_slots(); ++i) {
      if (const aisle::ItemInfo* info = log.catalog.find_item(i)) {
        require(aisle::is_valid_utf8(info->name) && aisle::is_valid_utf8(info->brand));
      }
    }
    nlohmann::json issues = nlohmann::json::object();
    for (const auto& [reason, rc] : report.issues.rejected()) {
      for (const aisle::RejectExample& ex : rc.examples) issues[reason].push_back(ex.to_string());
    }
    require_parses(aisle::json_text(issues));
    if (!log.events.empty()) {
      const aisle::Interactions pairs =
          aisle::aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
      aisle::FitContext context;
      context.run = aisle::RunContext(1);
      const std::string first_user(log.users.name(0));
      const aisle::TrainedModel model =
          aisle::train_model("popularity", pairs, log.catalog, std::move(log.users), std::move(log.items), context);
      aisle::ItemRequest request;
      request.user = first_user;
      request.k = 5;
      require_parses(aisle::answer_json(aisle::recommend(model, request), first_user, "popularity"));
      request.user = "\xFF\xFEnot-utf8";  // an unknown user: the cold-start path, echoed in the answer
      require_parses(aisle::answer_json(aisle::recommend(model, request), request.user, "popularity"));
    }
  } catch (const aisle::Error&) {}
  return 0;
}

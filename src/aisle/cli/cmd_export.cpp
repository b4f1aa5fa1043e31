// aisle export --store URL --out events.csv
// Writes the exchange format of docs EVALUATION.md section 6: `user,item,weight,timestamp`,
// one line per user-item pair with a positive aggregated weight (pairs whose events cancel
// out are left out and counted), ids as the source wrote them, timestamp = the pair's last
// event (UTC seconds), rows by user then item in store order (data/exchange.h).
#include <cstdio>
#include <memory>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/exchange.h"
#include "aisle/data/interactions.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

namespace {

void export_pairs(const EventLog& log, const Weighting& weighting, const std::string& out_path) {
  const Interactions pairs =
      aggregate(log.events, weighting.resolve(log.event_types), log.users.size(), log.items.size());
  const ExchangeCounts counts = write_exchange_csv(out_path, pairs, log.users, log.items);
  std::fprintf(stderr, "exported %s pairs to %s (weights %s); left out %s pairs with weight <= 0\n",
               with_commas(counts.written).c_str(), out_path.c_str(), weighting.to_string().c_str(),
               with_commas(counts.dropped).c_str());
}

}  // namespace

void add_export_command(CLI::App& sub, const GlobalOptions& global) {
  auto store = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto weights = std::make_shared<std::string>();
  sub.add_option("--store", *store, "store URL (default: store.url of the config)");
  sub.add_option("--out", *out, "output CSV path ('-' for standard output)")->required();
  sub.add_option("--weights", *weights, "event type weights (default: interactions.weights of the config)");
  sub.callback([store, out, weights, &global] {
    Config config = global.load();
    if (!weights->empty()) config.weighting = Weighting::parse(*weights);
    const std::string url = store_url(*store, config);
    export_pairs(open_store(url, OpenMode::kExisting)->read(), config.weighting, *out);
  });
}

}  // namespace aisle::cli

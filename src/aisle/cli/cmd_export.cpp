// aisle export --store URL --out events.csv
// Writes the exchange format of docs EVALUATION.md section 6: `user,item,weight,timestamp`,
// one line per user-item pair with a positive aggregated weight (pairs whose events cancel
// out are left out and counted), ids as the source wrote them, timestamp = the pair's last
// event (UTC seconds), rows by user then item in store order.
#include <cstdio>
#include <memory>

#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/interactions.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

namespace {

// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
void append_csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void export_pairs(const EventLog& log, const Weighting& weighting, const std::string& out_path) {
  const Interactions pairs =
      aggregate(log.events, weighting.resolve(log.event_types), log.users.size(), log.items.size());
  std::FILE* f = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) throw InputError(out_path + ": cannot write");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(f == stdout ? nullptr : f, &std::fclose);
  std::string buf = "user,item,weight,timestamp\n";
  std::uint64_t written = 0, dropped = 0;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) {
        ++dropped;
        continue;
      }
      append_csv_field(buf, log.users.name(u));
      buf += ',';
      append_csv_field(buf, log.items.name(pairs.item[p]));
      buf += ',' + format_float(pairs.weight[p]) + ',' + std::to_string(pairs.last_time[p]) + '\n';
      ++written;
      if (buf.size() > (1u << 20)) {
        if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) throw InputError(out_path + ": write failed");
        buf.clear();
      }
    }
  }
  if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size() || std::fflush(f) != 0) {
    throw InputError(out_path + ": write failed");
  }
  std::fprintf(stderr, "exported %s pairs to %s (weights %s); left out %s pairs with weight <= 0\n",
               with_commas(written).c_str(), out_path.c_str(), weighting.to_string().c_str(),
               with_commas(dropped).c_str());
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
    const std::string url = store->empty() ? config.store_url : *store;
    export_pairs(open_store(url, OpenMode::kExisting)->read(), config.weighting, *out);
  });
}

}  // namespace aisle::cli

// aisle categories [--store URL] [--json]
// Every category of the store's catalog with the items in it or below it and their events: the
// names `--category` accepts (its label, name or id, in any case).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/json_text.h"
#include "aisle/core/text.h"
#include "aisle/data/stats.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

void add_categories_command(CLI::App& sub, const GlobalOptions& global) {
  auto store = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub.add_option("--store", *store, "store URL (default: store.url of the config)");
  sub.add_flag("--json", *json, "print JSON: [{\"id\", \"label\", \"items\", \"events\"}, ...]");
  sub.callback([store, json, &global] {
    const Config config = global.load();
    const std::string url = store_url(*store, config);
    const std::vector<CategoryCount> rows = category_counts(open_store(url, OpenMode::kExisting)->read());
    if (*json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const CategoryCount& c : rows) {
        out.push_back({{"id", c.id}, {"label", c.label}, {"items", c.items}, {"events", c.events}});
      }
      std::printf("%s\n", json_text(out, 2).c_str());
      return;
    }
    if (rows.empty()) {
      std::printf("%s has no categories\n", url.c_str());
      return;
    }
    std::printf("%-40s %-16s %9s %12s\n", "category", "id", "items", "events");
    for (const CategoryCount& c : rows) {
      std::printf("%-40s %-16s %9s %12s\n", printable(c.label, 40).c_str(), printable(c.id, 16).c_str(),
                  with_commas(c.items).c_str(), with_commas(c.events).c_str());
    }
  });
}

}  // namespace aisle::cli

// aisle stats [--store URL] [--json]
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/json_text.h"
#include "aisle/core/timestamp.h"
#include "aisle/data/stats.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

namespace {

nlohmann::ordered_json quantiles_json(const Quantiles& q) {
  return {{"min", q.min}, {"p25", q.p25}, {"median", q.p50}, {"p75", q.p75},
          {"p90", q.p90}, {"p99", q.p99}, {"max", q.max},    {"mean", q.mean}};
}

nlohmann::ordered_json stats_json(const LogStats& s, const std::string& url) {
  nlohmann::ordered_json j;
  j["store"] = url;
  j["users"] = s.users;
  j["items"] = s.items;
  j["catalog_items"] = s.catalog_items;
  j["catalog_items_without_events"] = s.catalog_only_items;
  j["categories"] = s.categories;
  j["sessions"] = s.sessions;
  j["events"] = s.events;
  j["events_by_type"] = nlohmann::ordered_json::object();
  for (const TypeCount& t : s.events_by_type) j["events_by_type"][t.type] = t.events;
  j["pairs"] = s.pairs;
  j["sparsity"] = s.sparsity;
  j["weights"] = s.weighting;
  j["pairs_per_user"] = quantiles_json(s.pairs_per_user);
  j["pairs_per_item"] = quantiles_json(s.pairs_per_item);
  j["events_per_user"] = quantiles_json(s.events_per_user);
  j["top_items"] = nlohmann::ordered_json::array();
  for (const TopItem& t : s.top_items) {
    j["top_items"].push_back({{"item", t.id}, {"name", t.name}, {"events", t.events}, {"users", t.users}});
  }
  j["category_shares"] = nlohmann::ordered_json::array();
  for (const CategoryShare& c : s.category_shares) {
    j["category_shares"].push_back({{"category", c.category}, {"events", c.events}, {"share", c.share}});
  }
  j["prices"] = {{"items_with_price", s.prices.items_with_price},
                 {"min", s.prices.min},
                 {"median", s.prices.median},
                 {"mean", s.prices.mean},
                 {"max", s.prices.max}};
  j["first_event"] = s.events > 0 ? format_timestamp(s.first_time) : "";
  j["last_event"] = s.events > 0 ? format_timestamp(s.last_time) : "";
  j["days"] = static_cast<double>(s.last_time - s.first_time) / 86400.0;
  return j;
}

void print_quantiles(const char* label, const Quantiles& q) {
  std::printf("%-18s min %g  p25 %g  median %g  p75 %g  p90 %g  p99 %g  max %g  mean %.2f\n", label, q.min, q.p25,
              q.p50, q.p75, q.p90, q.p99, q.max, q.mean);
}

void print_text(const LogStats& s, const std::string& url) {
  std::printf("store              %s\n", url.c_str());
  std::printf("users              %s\n", with_commas(s.users).c_str());
  std::printf("items              %s with events; %s in the catalog (%s without events)\n",
              with_commas(s.items).c_str(), with_commas(s.catalog_items).c_str(),
              with_commas(s.catalog_only_items).c_str());
  std::printf("categories         %s\n", with_commas(s.categories).c_str());
  std::printf("events             %s\n", with_commas(s.events).c_str());
  for (const TypeCount& t : s.events_by_type) {
    std::printf("  %-16s %s (%.2f%%)\n", t.type.c_str(), with_commas(t.events).c_str(),
                s.events ? 100.0 * static_cast<double>(t.events) / static_cast<double>(s.events) : 0.0);
  }
  std::printf("pairs              %s (sparsity %.6f%%; weights %s)\n", with_commas(s.pairs).c_str(), 100.0 * s.sparsity,
              s.weighting.c_str());
  print_quantiles("pairs per user", s.pairs_per_user);
  print_quantiles("pairs per item", s.pairs_per_item);
  print_quantiles("events per user", s.events_per_user);
  if (s.events > 0) {
    std::printf("time span          %s .. %s (%.1f days)\n", format_timestamp(s.first_time).c_str(),
                format_timestamp(s.last_time).c_str(), static_cast<double>(s.last_time - s.first_time) / 86400.0);
  }
  std::printf("prices             %s items with a price; min %g  median %g  mean %.2f  max %g\n",
              with_commas(s.prices.items_with_price).c_str(), s.prices.min, s.prices.median, s.prices.mean,
              s.prices.max);
  std::printf("top items\n");
  for (const TopItem& t : s.top_items) {
    std::printf("  %-12s %8s events %7s users  %s\n", t.id.c_str(), with_commas(t.events).c_str(),
                with_commas(t.users).c_str(), t.name.c_str());
  }
  std::printf("category shares (top level, by events)\n");
  for (std::size_t k = 0; k < s.category_shares.size() && k < 10; ++k) {
    const CategoryShare& c = s.category_shares[k];
    std::printf("  %-24s %6.2f%%  %s events\n", c.category.c_str(), 100.0 * c.share, with_commas(c.events).c_str());
  }
}

}  // namespace

void add_stats_command(CLI::App& sub, const GlobalOptions& global) {
  auto store = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto weights = std::make_shared<std::string>();
  sub.add_option("--store", *store, "store URL (default: store.url of the config)");
  sub.add_option("--weights", *weights, "event type weights for the pair counts (default: interactions.weights)");
  sub.add_flag("--json", *json, "print JSON instead of text");
  sub.callback([store, json, weights, &global] {
    Config config = global.load();
    if (!weights->empty()) config.weighting = Weighting::parse(*weights);
    const std::string url = store_url(*store, config);
    const EventLog log = open_store(url, OpenMode::kExisting)->read();
    const LogStats s = compute_stats(log, config.weighting);
    if (*json)
      std::printf("%s\n", json_text(stats_json(s, url), 2).c_str());
    else
      print_text(s, url);
  });
}

}  // namespace aisle::cli

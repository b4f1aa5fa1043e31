// aisle recommend [--model model.bin] (--user U | --items I,J,K | both) [--k 10] [--category C]
//                 [--exclude I,J] [--include I,J] [--keep-seen] [--available-only] [--json]
// aisle similar   [--model model.bin] --item I [--k 10] [--category C] [--exclude I,J] [--json]
// External ids are turned into indices here; an unknown id is an error that names it.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/cli/command.h"
#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/core/text.h"
#include "aisle/models/model_file.h"

namespace aisle::cli {

namespace {

struct RecommendFlags {
  std::string model, user, items, item, category, exclude, include;
  std::size_t k = 10;
  bool keep_seen = false, available_only = false, json = false;
};

ItemIdx item_index(const TrainedModel& m, std::string_view id, std::string_view flag) {
  const ItemIdx i = m.items().find(id);
  if (i == kNoIndex) throw InputError(std::string(flag) + ": item '" + std::string(id) + "' is not in the model");
  return i;
}

std::vector<ItemIdx> item_list(const TrainedModel& m, const std::string& csv, std::string_view flag) {
  std::vector<ItemIdx> out;
  for (std::string_view id : split(csv, ",")) {
    id = trim(id);
    if (!id.empty()) out.push_back(item_index(m, id, flag));
  }
  return out;
}

Filter make_filter(const TrainedModel& m, const RecommendFlags& f) {
  Filter filter;
  filter.exclude_seen = !f.keep_seen;
  filter.exclude = item_list(m, f.exclude, "--exclude");
  if (!f.include.empty()) filter.include_only = item_list(m, f.include, "--include");
  if (!f.category.empty()) {
    const CategoryIdx c = m.facts().categories.find(f.category);
    if (c == kNoIndex) throw InputError("--category: category '" + f.category + "' is not in the model's catalog");
    filter.categories.push_back(c);
  }
  filter.available_only = f.available_only;
  return filter;
}

void print(const TrainedModel& m, const std::vector<Scored>& list, bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Scored& s : list) out.push_back({{"item", m.items().name(s.item)}, {"score", s.score}});
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  for (std::size_t r = 0; r < list.size(); ++r) {
    const std::string_view id = m.items().name(list[r].item);
    std::printf("%3zu  %-24.*s %.6g\n", r + 1, static_cast<int>(id.size()), id.data(), list[r].score);
  }
}

void run_recommend(const RecommendFlags& f, const Config& config) {
  if (f.user.empty() && f.items.empty()) throw ConfigError("give --user, --items, or both");
  const TrainedModel m = load_model(f.model.empty() ? config.model_path : f.model);
  Query q;
  if (!f.user.empty()) {
    q.user = m.users().find(f.user);
    if (q.user == kNoIndex) {
      throw InputError("--user: user '" + f.user + "' is not in the model's training data; give --items for a history");
    }
  }
  q.items = item_list(m, f.items, "--items");
  print(m, m.recommend(std::span<const Query>(&q, 1), make_filter(m, f), f.k, 1).front(), f.json);
}

void run_similar(const RecommendFlags& f, const Config& config) {
  const TrainedModel m = load_model(f.model.empty() ? config.model_path : f.model);
  print(m, m.similar(item_index(m, f.item, "--item"), make_filter(m, f), f.k), f.json);
}

void add_filter_flags(CLI::App& sub, RecommendFlags& f) {
  sub.add_option("--model", f.model, "model file written by aisle train (default: model.path of the config)");
  sub.add_option("--k", f.k, "number of items (default 10)");
  sub.add_option("--category", f.category, "only items in this category or below it");
  sub.add_option("--exclude", f.exclude, "never these items (comma-separated ids)");
  sub.add_option("--include", f.include, "only these items (comma-separated ids)");
  sub.add_flag("--available-only", f.available_only, "leave out items the catalog marks unavailable");
  sub.add_flag("--json", f.json, "print JSON: [{\"item\": id, \"score\": s}, ...]");
}

}  // namespace

void add_recommend_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<RecommendFlags>();
  add_filter_flags(sub, *flags);
  sub.add_option("--user", flags->user, "a user of the training data");
  sub.add_option("--items", flags->items, "a history of item ids, oldest first (anonymous, or added to --user's)");
  sub.add_flag("--keep-seen", flags->keep_seen, "allow items already in the history");
  sub.callback([flags, &global] { run_recommend(*flags, global.load()); });
}

void add_similar_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<RecommendFlags>();
  add_filter_flags(sub, *flags);
  sub.add_option("--item", flags->item, "the item to find similar items for")->required();
  sub.callback([flags, &global] { run_similar(*flags, global.load()); });
}

}  // namespace aisle::cli

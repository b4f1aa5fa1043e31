// aisle recommend [--model model.bin] (--user U | --items I,J,K | both | --users FILE) [--k 10]
//                 [--category C] [--exclude I,J] [--include I,J] [--keep-seen] [--available-only]
//                 [--strict-ids] [--session] [--explain] [--json] [--out FILE]
// aisle similar   [--model model.bin] --item I [--k 10] [--category C] [--exclude I,J] [--json]
// Requests are translated by app/requests.h (ids, cold start, catalog fields); this file parses
// flags and prints.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "aisle/app/requests.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/models/model_file.h"

namespace aisle::cli {

namespace {

struct RecommendFlags {
  std::string model, user, items, item, category, exclude, include, k = "10", users, out;
  bool keep_seen = false, available_only = false, json = false, strict_ids = false, explain = false, session = false;
};

std::vector<std::string> id_list(const std::string& csv) {
  std::vector<std::string> out;
  for (std::string_view id : split(csv, ",")) {
    if (!trim(id).empty()) out.emplace_back(trim(id));
  }
  return out;
}

ItemRequest make_request(const RecommendFlags& f) {
  ItemRequest r;
  r.user = f.user;
  r.items = id_list(f.items);
  r.category = f.category;
  r.exclude = id_list(f.exclude);
  r.include = id_list(f.include);
  r.keep_seen = f.keep_seen;
  r.available_only = f.available_only;
  r.strict_ids = f.strict_ids;
  r.explain = f.explain;
  r.session = f.session;
  r.k = parse_k(f.k, "--k");
  return r;
}

std::string price_text(float price) {
  return is_present(price) ? format_float(price) : "";
}

// "85123A (62%), 22423 (21%)": the history items behind a row, each with its share of the row's
// score (its contribution alone when the score is not positive); "" without them.
std::string because_text(const ItemRow& row) {
  if (!row.because) return "";
  std::string out;
  for (std::size_t b = 0; b < row.because->size(); ++b) {
    const Because& c = (*row.because)[b];
    const std::string share = row.score > 0.0f ? format_float(std::round(100.0f * c.contribution / row.score)) + "%"
                                               : format_float(c.contribution);
    out += (b == 0 ? "" : ", ") + printable(c.item_id, 40) + " (" + share + ")";
  }
  return out;
}

void print(const TrainedModel& m, const Answer& a, std::string_view user, bool json) {
  if (json) {
    std::printf("%s\n", answer_json(a, user, m.spec()).c_str());
    return;
  }
  for (const std::string& note : a.notes) std::fprintf(stderr, "note: %s\n", note.c_str());
  std::fflush(stderr);
  if (!a.items.empty()) {
    std::printf("  #  %-14s %-9s %-36s %-24s %s\n", "item", "score", "name", "category", "price");
  }
  for (std::size_t r = 0; r < a.items.size(); ++r) {
    const ItemRow& row = a.items[r];
    std::string last = price_text(row.price);
    if (const std::string because = because_text(row); !because.empty()) {
      last.resize(std::max<std::size_t>(last.size(), 8), ' ');
      last += "  because: " + because;
    }
    std::printf("%3zu  %-14s %-9.6g %-36s %-24s %s\n", r + 1, printable(row.item_id, 40).c_str(),
                static_cast<double>(row.score), printable(row.name, 36).c_str(), printable(row.category, 24).c_str(),
                last.c_str());
  }
}

// A CSV field, quoted when it needs to be (RFC 4180).
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// User ids, one per line; a first line "user" or "user_id" is a header.
std::vector<std::string> read_users(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the users file");
  std::vector<std::string> users;
  std::string line;
  for (std::uint64_t n = 1; std::getline(in, line); ++n) {
    const std::string_view id = trim(line);
    if (id.empty() || (n == 1 && (to_lower(id) == "user" || to_lower(id) == "user_id"))) continue;
    users.emplace_back(utf8_or_latin1(id));
  }
  if (users.empty()) throw InputError(path + ": no user ids (one per line)");
  return users;
}

// --users FILE: every user through the batch path, in chunks so that progress shows; CSV
// (user,rank,item_id,name,category,price,score,served_as, and `because` with --explain) or JSON
// Lines (one answer per line, when --json or --out ends in .jsonl).
void run_batch(const TrainedModel& m, const RecommendFlags& f, const ItemRequest& shared, const RunContext& run) {
  const std::vector<std::string> users = read_users(f.users);
  const bool jsonl = f.json || f.out.ends_with(".jsonl");
  std::FILE* out = f.out.empty() ? stdout : std::fopen(f.out.c_str(), "wb");
  if (out == nullptr) throw InputError(f.out + ": cannot write");
  if (!jsonl) {
    std::fprintf(out, "user,rank,item_id,name,category,price,score,served_as%s\n", f.explain ? ",because" : "");
  }
  ProgressBar progress;
  constexpr std::size_t kChunk = 4096;
  std::uint64_t cold = 0;
  for (std::size_t first = 0; first < users.size(); first += kChunk) {
    const std::span<const std::string> chunk(users.data() + first, std::min(kChunk, users.size() - first));
    const std::vector<Answer> answers = recommend_for_users(m, chunk, shared, run);
    for (std::size_t u = 0; u < chunk.size(); ++u) {
      const Answer& a = answers[u];
      cold += a.served_as == ServedAs::kColdStart;
      if (jsonl) {
        std::fprintf(out, "%s\n", answer_json(a, chunk[u], m.spec()).c_str());
        continue;
      }
      for (std::size_t r = 0; r < a.items.size(); ++r) {
        const ItemRow& row = a.items[r];
        std::fprintf(out, "%s,%zu,%s,%s,%s,%s,%s,%s", csv_field(chunk[u]).c_str(), r + 1,
                     csv_field(row.item_id).c_str(), csv_field(row.name).c_str(), csv_field(row.category).c_str(),
                     price_text(row.price).c_str(), format_float(row.score).c_str(),
                     std::string(served_as_name(a.served_as)).c_str());
        if (f.explain) std::fprintf(out, ",%s", csv_field(because_text(row)).c_str());
        std::fputc('\n', out);
      }
    }
    progress.update("recommend", first + chunk.size(), first + chunk.size(), users.size());
  }
  progress.finish();
  if (out != stdout && std::fclose(out) != 0) throw InputError(f.out + ": cannot write");
  std::fprintf(stderr, "recommended for %zu users (%llu unknown to the model: cold start)%s%s\n", users.size(),
               static_cast<unsigned long long>(cold), f.out.empty() ? "" : "; wrote ", f.out.c_str());
}

void run_recommend(const RecommendFlags& f, const Config& config) {
  const ItemRequest request = make_request(f);  // a bad --k fails before the model is read
  if (!f.users.empty() && (!f.user.empty() || !f.items.empty())) throw ConfigError("give --users or --user/--items");
  if (f.users.empty() && f.user.empty() && f.items.empty()) throw ConfigError("give --user, --items, or both");
  const TrainedModel m = load_model(f.model.empty() ? config.model_path : f.model);
  if (!f.users.empty()) {
    run_batch(m, f, request, config.read_options().context);
    return;
  }
  print(m, recommend(m, request), f.user, f.json);
}

void run_similar(const RecommendFlags& f, const Config& config) {
  const ItemRequest request = make_request(f);
  const TrainedModel m = load_model(f.model.empty() ? config.model_path : f.model);
  print(m, similar(m, f.item, request), "", f.json);
}

void add_filter_flags(CLI::App& sub, RecommendFlags& f) {
  sub.add_option("--model", f.model, "model file written by aisle train (default: model.path of the config)");
  sub.add_option("--k", f.k, "number of items, 1 to 10000 (default 10)");
  sub.add_option("--category", f.category,
                 "only items in this category or below it: its id or name, any case (aisle categories lists them)");
  sub.add_option("--exclude", f.exclude, "never these items (comma-separated ids; unknown ids are ignored)");
  sub.add_option("--include", f.include, "only these items (comma-separated ids)");
  sub.add_flag("--available-only", f.available_only, "leave out items the catalog marks unavailable");
  sub.add_flag("--json", f.json,
               "print JSON: {\"user\", \"model\", \"served_as\", \"items\": [{\"item_id\", \"name\", \"category\", "
               "\"price\", \"score\"}], \"notes\"}");
}

}  // namespace

void add_recommend_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<RecommendFlags>();
  add_filter_flags(sub, *flags);
  sub.add_option("--user", flags->user, "a user of the training data (an unknown one gets popular items)");
  sub.add_option("--items", flags->items, "a history of item ids, oldest first (anonymous, or added to --user's)");
  sub.add_option("--users", flags->users, "a file of user ids, one per line: recommend for all of them (batch)");
  sub.add_option("--out", flags->out, "with --users: write here (.jsonl: JSON Lines, else CSV; default stdout)");
  sub.add_flag("--keep-seen", flags->keep_seen, "allow items already in the history");
  sub.add_flag("--strict-ids", flags->strict_ids, "an unknown user or history item is an error (exit 3)");
  sub.add_flag("--session", flags->session,
               "--items are one visit's clicks in order: a route model answers with its session member");
  sub.add_flag("--explain", flags->explain,
               "show, per item, the history items that contributed most to its score and their share "
               "(\"because\" in JSON; models that can explain: ease, item_knn, session_knn, sequential_rules, "
               "als, bpr, mf)");
  sub.callback([flags, &global] { run_recommend(*flags, global.load()); });
}

void add_similar_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<RecommendFlags>();
  add_filter_flags(sub, *flags);
  sub.add_option("--item", flags->item, "the item to find similar items for")->required();
  sub.callback([flags, &global] { run_similar(*flags, global.load()); });
}

}  // namespace aisle::cli

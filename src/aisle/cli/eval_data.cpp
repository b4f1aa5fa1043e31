#include "aisle/cli/eval_data.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "aisle/app/training_data.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/core/timestamp.h"
#include "aisle/data/exchange.h"
#include "aisle/data/readers/input_stream.h"
#include "aisle/data/readers/reader.h"
#include "aisle/eval/new_users.h"

namespace aisle::cli {

namespace {

// The pairs of `all` that `kept` (a split's training side, same indices) does not hold.
Interactions pairs_not_in(const Interactions& all, const Interactions& kept) {
  std::vector<std::uint8_t> missing(all.num_pairs(), 0);
  for (UserIdx u = 0; u < all.num_users; ++u) {
    const auto have = u < kept.num_users ? kept.items_of(u) : std::span<const ItemIdx>{};
    for (std::uint64_t p = all.row_ptr[u]; p < all.row_ptr[u + 1]; ++p) {
      missing[p] = std::binary_search(have.begin(), have.end(), all.item[p]) ? 0 : 1;
    }
  }
  return pairs_flagged(all, missing, 1);
}

}  // namespace

void add_data_flags(CLI::App& sub, DataFlags& flags, bool with_given_split) {
  sub.add_option("--store", flags.store, "store URL to read (default: store.url of the config)");
  sub.add_option("--events", flags.events, "event files to read instead of the store");
  sub.add_option("--format", flags.format, "format of --events files (default csv: user,item,weight,timestamp)");
  if (with_given_split) {
    sub.add_option("--train", flags.train, "training pairs in the exchange format (with --test)");
    sub.add_option("--test", flags.test, "test pairs in the exchange format (with --train)");
  }
  sub.add_option("--protocol", flags.protocol,
                 "split: leave-last-out (default), temporal or random; new-users (cold start); next-item: session "
                 "files given by --train/--test");
  if (with_given_split) {
    sub.add_option("--first", flags.first, "new-users: lengths of the anonymous histories asked for (default 1,3,5)");
    sub.add_option("--holdout-share", flags.holdout_share, "new-users: share of users held out whole (default 0.1)");
  }
  sub.add_option("--cutoff", flags.cutoff, "temporal split: cut-off time (default: the 90% quantile of event times)");
  sub.add_option("--test-fraction", flags.test_fraction, "random split: share of each user's pairs held out (0.2)");
  sub.add_option("--weights", flags.weights, "event type weights (default: interactions.weights of the config)");
  sub.add_option("--threads", flags.threads, "threads (default: run.threads of the config; 0 = one per core)");
  sub.add_option("--seed", flags.seed, "seed (default: run.seed of the config)");
}

EvalData load_eval_data(const DataFlags& flags, const Config& config_in) {
  Config config = config_in;
  if (!flags.weights.empty()) config.weighting = Weighting::parse(flags.weights);
  ReadOptions options = config.read_options();
  if (flags.threads >= 0) options.context = RunContext(flags.threads, options.context.seed);
  if (flags.seed >= 0) options.context.seed = static_cast<std::uint64_t>(flags.seed);
  EvalData data;
  data.run = options.context;

  if (!flags.train.empty() || !flags.test.empty()) {
    if (flags.train.empty()) throw ConfigError("--test needs --train");
    if (flags.test.empty() && !flags.train_only) throw ConfigError("give both --train and --test");
    if (!flags.events.empty() || !flags.store.empty()) throw ConfigError("give --train/--test or --store/--events");
    ExchangeSplit given = read_exchange_split(flags.format, flags.train, flags.test, options);
    if (flags.sequences) data.sequences = build_sequences(given.train, config.sequence_options());
    data.train = std::move(given.train_pairs);
    data.test = std::move(given.test_pairs);
    data.info.rows = given.train.events.size() + given.test_events;
    data.info.source = flags.test.empty() ? flags.train : flags.train + " + " + flags.test;
    data.info.file_sha256 = {{flags.train, content_sha256(flags.train)}};
    if (!flags.test.empty()) data.info.file_sha256.emplace_back(flags.test, content_sha256(flags.test));
    data.split = "given (" + data.info.source + ")";
    data.without_test = users_without_test_pairs(data.train, data.test);
    data.users = std::move(given.train.users);
    data.items = std::move(given.train.items);
    data.catalog = std::move(given.train.catalog);
  } else {
    // Strict for files: an evaluation on part of the data would be a silent partial result.
    options.strict = !flags.events.empty();
    LoadedEvents loaded = load_events({flags.store, flags.events, flags.format}, config, options, /*fingerprint=*/true);
    EventLog& log = loaded.log;
    data.info.source = loaded.description;
    data.info.file_sha256 = std::move(loaded.file_sha256);
    const Interactions pairs = pairs_of(log, config);
    data.info.rows = log.events.size();
    if (flags.protocol == "new-users") {
      NewUsersOptions split;
      split.share = flags.holdout_share;
      split.first = parse_positive_list<std::size_t>(flags.first, "--first");
      split.seed = data.run.seed;
      NewUsersSplit s = split_new_users(log, pairs, split);
      for (std::size_t i = 0; i < split.first.size(); ++i) {
        if (s.tests[i].size() == 0) {
          throw InputError("new-users: no held-out user has more than " + std::to_string(split.first[i]) + " events");
        }
        data.new_user_tests.emplace_back("first-" + std::to_string(split.first[i]), std::move(s.tests[i]));
      }
      data.train = std::move(s.train);
      data.split = std::move(s.description);
    }
    SplitOptions split;
    if (data.new_user_tests.empty()) split.protocol = parse_protocol(flags.protocol);
    split.seed = data.run.seed;
    split.test_fraction = flags.test_fraction;
    if (!flags.cutoff.empty()) {
      const auto t = parse_timestamp(flags.cutoff, TimeFormat::kAuto);
      if (!t) throw ConfigError("--cutoff: expected a time (unix seconds or ISO 8601), found '" + flags.cutoff + "'");
      split.cutoff = *t;
    }
    if (data.new_user_tests.empty()) {
      Split s = split_pairs(pairs, split);
      data.train = std::move(s.train);
      data.test = std::move(s.test);
      data.split = std::move(s.description);
      data.without_test = s.left_out;
    }
    if (flags.sequences) {
      const SequenceOptions order = sequence_options({flags.store, flags.events, flags.format}, config);
      data.sequences = without_pairs(build_sequences(log, order), pairs_not_in(pairs, data.train));
    }
    data.users = std::move(log.users);
    data.items = std::move(log.items);
    data.catalog = std::move(log.catalog);
  }
  data.info.users = data.train.num_users;
  data.info.items = data.train.num_items;
  data.info.train_pairs = data.train.num_pairs();
  return data;
}

std::vector<std::string> split_model_list(const std::vector<std::string>& flags) {
  std::vector<std::string> specs;
  for (const std::string& flag : flags) {
    // Commas inside a pipeline's parentheses belong to its members.
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= flag.size(); ++i) {
      if (i == flag.size() || (flag[i] == ',' && depth == 0)) {
        parts.push_back(std::string_view(flag).substr(start, i - start));
        start = i + 1;
      } else if (flag[i] == '(') {
        ++depth;
      } else if (flag[i] == ')') {
        --depth;
      }
    }
    bool first = true;
    for (std::string_view part : parts) {
      const std::string_view t = trim(part);
      if (t.empty()) continue;
      const bool param = t.find('=') != std::string_view::npos && t.find_first_of(":(") == std::string_view::npos;
      if (param && !first && !specs.empty()) {
        specs.back() += "," + std::string(t);
      } else {
        specs.emplace_back(t);
      }
      first = false;
    }
  }
  return specs;
}

}  // namespace aisle::cli

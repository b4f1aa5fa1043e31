#include "aisle/eval/split.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "aisle/core/error.h"
#include "aisle/core/timestamp.h"

namespace aisle {

Interactions pairs_flagged(const Interactions& pairs, std::span<const std::uint8_t> to_test, std::uint8_t want) {
  Interactions out;
  out.num_users = pairs.num_users;
  out.num_items = pairs.num_items;
  out.row_ptr.assign(pairs.num_users + 1, 0);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (to_test[p] != want) continue;
      out.item.push_back(pairs.item[p]);
      out.weight.push_back(pairs.weight[p]);
      out.last_time.push_back(pairs.last_time[p]);
      out.count.push_back(pairs.count[p]);
    }
    out.row_ptr[u + 1] = out.item.size();
  }
  return out;
}

namespace {

Timestamp time_quantile(const Interactions& pairs, double q) {
  std::vector<std::pair<Timestamp, std::uint32_t>> times;
  times.reserve(pairs.num_pairs());
  std::uint64_t total = 0;
  for (std::size_t p = 0; p < pairs.num_pairs(); ++p) {
    times.emplace_back(pairs.last_time[p], pairs.count[p]);
    total += pairs.count[p];
  }
  std::sort(times.begin(), times.end());
  const auto target = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (const auto& [t, n] : times) {
    seen += n;
    if (seen >= target) return t;
  }
  return times.empty() ? 0 : times.back().first;
}

// One seeded random positive pair of each user with at least `min_pairs` pairs, or a share.
void random_holdout(const Interactions& pairs, double fraction, bool one_per_user, std::uint64_t seed,
                    std::vector<std::uint8_t>& to_test) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> candidates;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    const std::uint64_t b = pairs.row_ptr[u], e = pairs.row_ptr[u + 1];
    if (e - b < 2) continue;
    candidates.clear();
    for (std::uint64_t p = b; p < e; ++p) {
      if (pairs.weight[p] > 0) candidates.push_back(p);
    }
    if (candidates.empty()) continue;
    std::size_t take = 1;
    if (!one_per_user) {
      take = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(e - b)));
      take = std::clamp<std::size_t>(take, 1, std::min<std::size_t>(candidates.size(), e - b - 1));
    }
    // A partial Fisher-Yates shuffle: the first `take` candidates are a uniform sample.
    for (std::size_t i = 0; i < take; ++i) {
      std::uniform_int_distribution<std::size_t> pick(i, candidates.size() - 1);
      std::swap(candidates[i], candidates[pick(rng)]);
      to_test[candidates[i]] = 1;
    }
  }
}

// How a protocol picks test pairs, as far as the reasons for leaving a user out go.
enum class Holdout { kLastBasket, kRandomPair, kCutOff };

// Every user with no pair flagged in `to_test`, by why not.
LeftOutUsers count_left_out(const Interactions& pairs, const std::vector<std::uint8_t>& to_test, Holdout holdout) {
  LeftOutUsers out;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    const std::uint64_t b = pairs.row_ptr[u], e = pairs.row_ptr[u + 1];
    bool tested = false;
    for (std::uint64_t p = b; p < e && !tested; ++p) tested = to_test[p] != 0;
    if (tested) continue;
    const auto first = pairs.last_time.begin() + static_cast<std::ptrdiff_t>(b);
    const auto last = pairs.last_time.begin() + static_cast<std::ptrdiff_t>(e);
    if (b == e) {
      ++out[LeftOutReason::kNoPairs];
    } else if (holdout == Holdout::kCutOff) {
      ++out[LeftOutReason::kNoTestPairs];
    } else if (e - b == 1) {
      ++out[LeftOutReason::kSinglePair];
    } else if (holdout == Holdout::kLastBasket && std::all_of(first, last, [&](Timestamp t) { return t == *first; })) {
      ++out[LeftOutReason::kOneTime];
    } else {
      ++out[LeftOutReason::kCancelled];
    }
  }
  return out;
}

}  // namespace

std::string_view left_out_key(LeftOutReason r) {
  switch (r) {
    case LeftOutReason::kNoPairs:
      return "no_pairs";
    case LeftOutReason::kSinglePair:
      return "single_pair";
    case LeftOutReason::kOneTime:
      return "one_time";
    case LeftOutReason::kCancelled:
      return "cancelled";
    case LeftOutReason::kNoTestPairs:
      return "no_test_pairs";
    case LeftOutReason::kNoTrainingPairs:
      return "no_training_pairs";
  }
  return "?";
}

std::string_view left_out_text(LeftOutReason r) {
  switch (r) {
    case LeftOutReason::kNoPairs:
      return "with no pairs";
    case LeftOutReason::kSinglePair:
      return "with a single pair";
    case LeftOutReason::kOneTime:
      return "with all pairs at one time (nothing before the last basket)";
    case LeftOutReason::kCancelled:
      return "with only cancelled pairs to hold out";
    case LeftOutReason::kNoTestPairs:
      return "without test pairs";
    case LeftOutReason::kNoTrainingPairs:
      return "without training pairs";
  }
  return "?";
}

std::uint64_t LeftOutUsers::total() const {
  std::uint64_t n = 0;
  for (std::uint64_t v : users) n += v;
  return n;
}

std::string describe(const LeftOutUsers& left_out) {
  std::string out = std::to_string(left_out.total()) + (left_out.total() == 1 ? " user" : " users") + " not evaluated";
  const char* sep = ": ";
  for (std::size_t r = 0; r < kLeftOutReasons; ++r) {
    if (left_out.users[r] == 0) continue;
    out += sep + std::to_string(left_out.users[r]) + " " + std::string(left_out_text(static_cast<LeftOutReason>(r)));
    sep = ", ";
  }
  return out;
}

std::string_view protocol_name(SplitProtocol p) {
  switch (p) {
    case SplitProtocol::kLeaveLastOut:
      return "leave-last-out";
    case SplitProtocol::kTemporal:
      return "temporal";
    case SplitProtocol::kRandom:
      return "random";
  }
  return "?";
}

SplitProtocol parse_protocol(std::string_view name) {
  for (SplitProtocol p : {SplitProtocol::kLeaveLastOut, SplitProtocol::kTemporal, SplitProtocol::kRandom}) {
    if (name == protocol_name(p)) return p;
  }
  throw ConfigError("unknown split protocol '" + std::string(name) + "'; known: leave-last-out, temporal, random");
}

Split split_pairs(const Interactions& pairs, const SplitOptions& options) {
  std::vector<std::uint8_t> to_test(pairs.num_pairs(), 0);
  Split split;
  Holdout holdout = Holdout::kRandomPair;
  switch (options.protocol) {
    case SplitProtocol::kLeaveLastOut: {
      const bool timed =
          std::any_of(pairs.last_time.begin(), pairs.last_time.end(), [](Timestamp t) { return t != 0; });
      if (!timed) {
        random_holdout(pairs, 0, true, options.seed, to_test);
        split.description = "leave-last-out (no timestamps: one seeded random pair per user)";
        break;
      }
      split.description = "leave-last-out";
      holdout = Holdout::kLastBasket;
      for (UserIdx u = 0; u < pairs.num_users; ++u) {
        const std::uint64_t b = pairs.row_ptr[u], e = pairs.row_ptr[u + 1];
        if (b == e) continue;
        const auto [lo, hi] = std::minmax_element(pairs.last_time.begin() + static_cast<std::ptrdiff_t>(b),
                                                  pairs.last_time.begin() + static_cast<std::ptrdiff_t>(e));
        if (*lo == *hi) continue;  // one basket only: stays in training, not evaluated (kOneTime)
        for (std::uint64_t p = b; p < e; ++p) {
          if (pairs.last_time[p] == *hi && pairs.weight[p] > 0) to_test[p] = 1;
        }
      }
      break;
    }
    case SplitProtocol::kTemporal: {
      const Timestamp cutoff = options.cutoff ? *options.cutoff : time_quantile(pairs, options.quantile);
      for (std::size_t p = 0; p < pairs.num_pairs(); ++p) {
        if (pairs.last_time[p] >= cutoff && pairs.weight[p] > 0) to_test[p] = 1;
      }
      split.description = "temporal (cut-off " + format_timestamp(cutoff) + ")";
      holdout = Holdout::kCutOff;
      break;
    }
    case SplitProtocol::kRandom: {
      if (!(options.test_fraction > 0 && options.test_fraction < 1)) {
        throw ConfigError("random split: the test fraction must be in (0, 1), not " +
                          std::to_string(options.test_fraction));
      }
      random_holdout(pairs, options.test_fraction, false, options.seed, to_test);
      split.description = "random (" + std::to_string(static_cast<int>(std::lround(options.test_fraction * 100))) +
                          "% of each user's pairs, seed " + std::to_string(options.seed) + ")";
      break;
    }
  }
  split.left_out = count_left_out(pairs, to_test, holdout);
  split.train = pairs_flagged(pairs, to_test, 0);
  split.test = pairs_flagged(pairs, to_test, 1);
  return split;
}

std::vector<std::uint8_t> trained_items(const Interactions& train) {
  std::vector<std::uint8_t> trained(train.num_items, 0);
  for (std::size_t p = 0; p < train.num_pairs(); ++p) {
    if (train.weight[p] > 0) trained[train.item[p]] = 1;
  }
  return trained;
}

TestSet make_test_set(const Interactions& train, const Interactions& test) {
  const std::vector<std::uint8_t> trained = trained_items(train);
  TestSet set;
  for (UserIdx u = 0; u < test.num_users; ++u) {
    std::uint32_t relevant = 0;
    for (std::uint64_t p = test.row_ptr[u]; p < test.row_ptr[u + 1]; ++p) relevant += test.weight[p] > 0 ? 1 : 0;
    if (relevant == 0) continue;
    bool known = false;
    if (u < train.num_users) {
      for (std::uint64_t p = train.row_ptr[u]; p < train.row_ptr[u + 1] && !known; ++p) known = train.weight[p] > 0;
    }
    if (!known) {
      ++set.unknown_users;
      set.unknown_user_pairs += relevant;
      continue;
    }
    set.users.push_back(u);
    set.num_relevant.push_back(relevant);
    set.test_pairs += relevant;
    for (std::uint64_t p = test.row_ptr[u]; p < test.row_ptr[u + 1]; ++p) {
      if (test.weight[p] <= 0) continue;
      const ItemIdx i = test.item[p];
      if (i >= trained.size() || trained[i] == 0) {
        ++set.unreachable_pairs;
        continue;
      }
      set.items.push_back(i);
      set.values.push_back(test.weight[p]);
    }
    set.row_ptr.push_back(set.items.size());
  }
  return set;
}

LeftOutUsers users_without_test_pairs(const Interactions& train, const Interactions& test) {
  LeftOutUsers out;
  const std::uint32_t users = std::max(train.num_users, test.num_users);
  for (UserIdx u = 0; u < users; ++u) {
    bool tested = false;
    if (u < test.num_users) {
      for (std::uint64_t p = test.row_ptr[u]; p < test.row_ptr[u + 1] && !tested; ++p) tested = test.weight[p] > 0;
    }
    if (!tested) ++out[LeftOutReason::kNoTestPairs];
  }
  return out;
}

LeftOutUsers left_out_users(const LeftOutUsers& without_test, const TestSet& set) {
  LeftOutUsers out = without_test;
  out[LeftOutReason::kNoTrainingPairs] += set.unknown_users;
  return out;
}

}  // namespace aisle

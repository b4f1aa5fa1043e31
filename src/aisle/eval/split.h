// Train/test splits of aggregated pairs (docs EVALUATION.md sections 2 and 5) and the test set
// the evaluator ranks against.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aisle/data/interactions.h"
#include "aisle/models/request.h"

namespace aisle {

enum class SplitProtocol { kLeaveLastOut, kTemporal, kRandom };

// "leave-last-out", "temporal", "random"; the parse throws ConfigError naming the choices.
std::string_view protocol_name(SplitProtocol p);
SplitProtocol parse_protocol(std::string_view name);

struct SplitOptions {
  SplitProtocol protocol = SplitProtocol::kLeaveLastOut;
  std::optional<Timestamp> cutoff;  // temporal: pairs whose last event is at or after it test
  double quantile = 0.9;            // temporal without a cutoff: this quantile of event times
  double test_fraction = 0.2;       // random: share of each user's pairs held out
  std::uint64_t seed = 42;
};

// Why a user is not evaluated. Each user who is not has exactly one reason.
enum class LeftOutReason : std::uint8_t {
  kNoPairs,          // no pair at all
  kSinglePair,       // one pair: nothing to train on beside it (leave-last-out, random)
  kOneTime,          // several pairs, all at one time: nothing before the last basket (leave-last-out)
  kCancelled,        // nothing positive to hold out: the latest (or every) pair was cancelled
  kNoTestPairs,      // temporal: no pair at or after the cut-off; a given split: none in its test half
  kNoTrainingPairs,  // test pairs but no positive training pair (a user new after the cut-off)
};
inline constexpr std::size_t kLeftOutReasons = 6;

// "single_pair" (the JSON key) and "with a single pair" (the text after a count of users).
std::string_view left_out_key(LeftOutReason r);
std::string_view left_out_text(LeftOutReason r);

// Users not evaluated, counted by reason.
struct LeftOutUsers {
  std::array<std::uint64_t, kLeftOutReasons> users{};

  std::uint64_t& operator[](LeftOutReason r) { return users[static_cast<std::size_t>(r)]; }
  std::uint64_t operator[](LeftOutReason r) const { return users[static_cast<std::size_t>(r)]; }
  std::uint64_t total() const;
};

// "12 users not evaluated: 5 with a single pair, 7 with all pairs at one time ..." (reasons with
// no user are left out; "0 users not evaluated" when none is). What split and evaluate both print.
std::string describe(const LeftOutUsers& left_out);

// Both halves keep the input's user and item indices.
struct Split {
  Interactions train, test;
  // The protocol as reports print it, with what it did: "leave-last-out", "leave-last-out (no
  // timestamps: one seeded random pair per user)", "temporal (cut-off 2011-11-09T12:00:00Z)".
  std::string description;
  // Every user of the input without a test pair, by reason (those with test pairs but no
  // training pair are make_test_set's to count).
  LeftOutUsers left_out;
};

// Leave-last-out: for every user whose pairs carry at least two distinct times, all pairs at
// the user's latest time test; when no pair has a time (all 0), one seeded random pair of each
// user with at least two pairs tests. Temporal: pairs whose last event is at or after the
// cut-off (default: the `quantile` of event times, each pair counted once per event) test;
// the test half may hold users and items that training lacks (make_test_set counts them).
// Random: a seeded `test_fraction` of the pairs of each user with at least two pairs (at least
// one, never all). Pairs with weight <= 0 (cancelled) stay in training.
Split split_pairs(const Interactions& pairs, const SplitOptions& options);

// What the evaluator ranks against, in the training data's index space. A test pair counts when
// its weight is positive. Users with no positive training pair cannot be ranked and are only
// counted; test items no training pair holds cannot be recommended and count as misses.
struct TestSet {
  std::vector<UserIdx> users;               // evaluated users, ascending
  std::vector<std::uint64_t> row_ptr{0};    // their recommendable test items:
  std::vector<ItemIdx> items;               //   ascending within a user
  std::vector<float> values;                //   the test pair's weight (a rating for rating data)
  std::vector<std::uint32_t> num_relevant;  // per user, all test items (unreachable ones too)
  std::uint64_t test_pairs = 0;             // of evaluated users
  std::uint64_t unreachable_pairs = 0;      // their test items that training lacks
  std::uint64_t unknown_users = 0;          // users with test pairs but no training pair
  std::uint64_t unknown_user_pairs = 0;
  // Empty, or one per evaluated user: the user is ranked as this anonymous history instead of by
  // their training history (the new-users protocol, eval/new_users.h).
  std::vector<Query> anonymous;

  std::size_t size() const { return users.size(); }
  std::span<const ItemIdx> items_of(std::size_t i) const {
    return {items.data() + row_ptr[i], items.data() + row_ptr[i + 1]};
  }
};

// `train` and `test` share indices; test.num_items may exceed train.num_items (new items).
TestSet make_test_set(const Interactions& train, const Interactions& test);

// A split made elsewhere (`train` and `test` share indices): its users without a positive test
// pair, all as kNoTestPairs since the split does not say why. The counterpart of Split::left_out.
LeftOutUsers users_without_test_pairs(const Interactions& train, const Interactions& test);

// Every user not evaluated, by reason: `without_test` (Split::left_out or
// users_without_test_pairs) and the users `set` found without training pairs. With them, every
// user of the split is either evaluated or counted once.
LeftOutUsers left_out_users(const LeftOutUsers& without_test, const TestSet& set);

// Items with at least one positive training pair: what full ranking ranks.
std::vector<std::uint8_t> trained_items(const Interactions& train);

// The pairs whose flag (one per pair) equals `want`, keeping indices and each row's item order.
Interactions pairs_flagged(const Interactions& pairs, std::span<const std::uint8_t> flags, std::uint8_t want);

}  // namespace aisle

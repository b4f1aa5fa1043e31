#include "aisle/eval/new_users.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "aisle/core/error.h"
#include "aisle/data/sequences.h"

namespace aisle {

namespace {

std::uint32_t positive_items(const Interactions& pairs, UserIdx u) {
  std::uint32_t n = 0;
  for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) n += pairs.weight[p] > 0 ? 1 : 0;
  return n;
}

// The held-out users, ascending: a seeded sample of `share` of the users with two items or more.
std::vector<UserIdx> held_out_users(const Interactions& pairs, double share, std::uint64_t seed) {
  std::vector<UserIdx> eligible;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    if (positive_items(pairs, u) >= 2) eligible.push_back(u);
  }
  std::mt19937_64 rng(seed);
  std::shuffle(eligible.begin(), eligible.end(), rng);
  const auto n = static_cast<std::size_t>(std::llround(share * static_cast<double>(eligible.size())));
  eligible.resize(std::min(eligible.size(), std::max<std::size_t>(n, 1)));
  std::sort(eligible.begin(), eligible.end());
  return eligible;
}

Interactions without_users(const Interactions& pairs, const std::vector<UserIdx>& users) {
  std::vector<std::uint8_t> drop(pairs.num_users, 0);
  for (UserIdx u : users) drop[u] = 1;
  Interactions out;
  out.num_users = pairs.num_users;
  out.num_items = pairs.num_items;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    if (drop[u] == 0) {
      for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
        out.item.push_back(pairs.item[p]);
        out.weight.push_back(pairs.weight[p]);
        out.last_time.push_back(pairs.last_time[p]);
        out.count.push_back(pairs.count[p]);
      }
    }
    out.row_ptr.push_back(out.item.size());
  }
  return out;
}

}  // namespace

NewUsersSplit split_new_users(const EventLog& log, const Interactions& pairs, const NewUsersOptions& options) {
  if (!(options.share > 0 && options.share < 1)) {
    throw ConfigError("new-users: the share of users held out must be between 0 and 1 (exclusive)");
  }
  for (std::size_t n : options.first) {
    if (n == 0) throw ConfigError("new-users: history lengths must be at least 1");
  }
  const std::vector<UserIdx> held = held_out_users(pairs, options.share, options.seed);
  if (held.empty()) throw InputError("new-users: no user has two items or more: nobody to hold out");
  NewUsersSplit out;
  out.held_out = held.size();
  out.train = without_users(pairs, held);
  const std::vector<std::uint8_t> trained = trained_items(out.train);

  SequenceOptions sequence_options;
  sequence_options.session_gap_seconds = 0;  // one sequence per user
  sequence_options.use_session_ids = false;
  sequence_options.seed = options.seed;
  const Sequences sequences = build_sequences(log, sequence_options);
  std::vector<std::size_t> sequence_of(pairs.num_users, sequences.size());
  for (std::size_t s = 0; s < sequences.size(); ++s) sequence_of[sequences.users[s]] = s;

  for (std::size_t n : options.first) {
    TestSet set;
    for (UserIdx u : held) {
      const std::size_t s = sequence_of[u];
      if (s == sequences.size() || sequences.length(s) <= n) continue;
      Query query;
      const auto items = sequences.items_of(s).first(n);
      const auto times = sequences.times_of(s).first(n);
      query.items.assign(items.begin(), items.end());
      query.times.assign(times.begin(), times.end());
      std::vector<ItemIdx> asked(items.begin(), items.end());
      std::sort(asked.begin(), asked.end());
      std::uint32_t relevant = 0;
      const std::size_t first_item = set.items.size();
      std::uint64_t unreachable = 0;
      for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
        const ItemIdx i = pairs.item[p];
        if (pairs.weight[p] <= 0 || std::binary_search(asked.begin(), asked.end(), i)) continue;
        ++relevant;
        if (trained[i] == 0) {
          ++unreachable;
          continue;
        }
        set.items.push_back(i);
        set.values.push_back(pairs.weight[p]);
      }
      if (relevant == 0) {
        set.items.resize(first_item);
        set.values.resize(first_item);
        continue;
      }
      set.users.push_back(u);
      set.num_relevant.push_back(relevant);
      set.test_pairs += relevant;
      set.unreachable_pairs += unreachable;
      set.row_ptr.push_back(set.items.size());
      set.anonymous.push_back(std::move(query));
    }
    out.tests.push_back(std::move(set));
  }
  out.description = "new-users: " + std::to_string(held.size()) + " users held out whole (share " +
                    std::to_string(options.share).substr(0, 4) + ", seed " + std::to_string(options.seed) + ")";
  return out;
}

}  // namespace aisle

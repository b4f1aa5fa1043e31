#include "aisle/models/sequential_rules/sequential_rules.h"

#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/models/session_order.h"

namespace aisle {

const ParamSchema<SequentialRulesParams>& SequentialRulesParams::schema() {
  static const ParamSchema<SequentialRulesParams> kSchema(
      "sequential_rules",
      {
          {"steps",
           &SequentialRulesParams::steps,
           1,
           1000,
           false,
           {},
           "how many later events of a session each event's rules reach; weight 1 / distance"},
          {"pruning",
           &SequentialRulesParams::pruning,
           0,
           1000000,
           false,
           {},
           "rules kept per item, the heaviest (0: all; session-rec's 20 gives the same top 20)"},
      },
      {{"steps", 1, 30}});
  return kSchema;
}

namespace {

constexpr std::uint32_t kFormatVersion = 1;

// Where each item occurs: (session start, position in the session), by item (CSR).
struct Occurrences {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> at;  // index into Sequences::items
};

Occurrences occurrences(const Sequences& sessions, std::uint32_t num_items) {
  Occurrences o;
  o.offsets.assign(num_items + 1, 0);
  for (ItemIdx i : sessions.items) ++o.offsets[i + 1];
  for (std::uint32_t i = 0; i < num_items; ++i) o.offsets[i + 1] += o.offsets[i];
  o.at.resize(sessions.items.size());
  std::vector<std::uint64_t> next(o.offsets.begin(), o.offsets.end() - 1);
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    for (std::uint64_t e = sessions.offsets[s]; e < sessions.offsets[s + 1]; ++e) o.at[next[sessions.items[e]]++] = e;
  }
  return o;
}

}  // namespace

void SequentialRules::fit(const TrainSet& data, const FitContext& context) {
  Sequences derived;
  const Sequences& sessions = training_sessions(data, context.run.seed, derived);
  const std::uint32_t n = data.pairs.num_items;
  for (ItemIdx i : sessions.items) AISLE_CHECK_MSG(i < n, "sequence item out of range");
  // The session end of every event, so that a rule never reaches into the next session.
  std::vector<std::uint64_t> end_of(sessions.items.size());
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    std::fill(end_of.begin() + static_cast<std::ptrdiff_t>(sessions.offsets[s]),
              end_of.begin() + static_cast<std::ptrdiff_t>(sessions.offsets[s + 1]), sessions.offsets[s + 1]);
  }
  const Occurrences occ = occurrences(sessions, n);
  const auto steps = static_cast<std::uint64_t>(params_.steps);
  const auto keep = static_cast<std::size_t>(params_.pruning);

  std::vector<std::vector<Scored>> lists(n);
  const auto threads = static_cast<std::size_t>(context.run.threads());
  std::vector<std::vector<double>> acc(threads, std::vector<double>(n, 0.0));
  std::vector<std::vector<ItemIdx>> touched(threads);
  parallel_for(context.run, n, 64, [&](std::size_t begin, std::size_t end, int worker) {
    std::vector<double>& weight = acc[static_cast<std::size_t>(worker)];
    std::vector<ItemIdx>& seen = touched[static_cast<std::size_t>(worker)];
    for (std::size_t a = begin; a < end; ++a) {
      for (std::uint64_t o = occ.offsets[a]; o < occ.offsets[a + 1]; ++o) {
        const std::uint64_t e = occ.at[o];
        const std::uint64_t last = std::min(end_of[e], e + steps + 1);
        for (std::uint64_t f = e + 1; f < last; ++f) {
          const ItemIdx b = sessions.items[f];
          if (weight[b] == 0.0) seen.push_back(b);
          weight[b] += 1.0 / static_cast<double>(f - e);
        }
      }
      std::vector<Scored>& list = lists[a];
      list.reserve(seen.size());
      for (ItemIdx b : seen) {
        list.push_back({b, static_cast<float>(weight[b])});
        weight[b] = 0.0;
      }
      seen.clear();
      std::sort(list.begin(), list.end(), ranks_before);
      if (keep > 0 && list.size() > keep) list.resize(keep);
    }
  });
  offsets_.assign(1, 0);
  rules_.clear();
  for (const std::vector<Scored>& l : lists) {
    rules_.insert(rules_.end(), l.begin(), l.end());
    offsets_.push_back(rules_.size());
  }
}

std::size_t SequentialRules::newest(const UserQuery& query) {
  // The last of the largest time (a session's own order among equal times).
  std::size_t last = query.items.size() - 1;
  if (query.times.size() == query.items.size()) {
    last = 0;
    for (std::size_t p = 1; p < query.items.size(); ++p) {
      if (query.times[p] >= query.times[last]) last = p;
    }
  }
  return last;
}

std::span<const Scored> SequentialRules::rules_for(const UserQuery& query) const {
  if (query.items.empty()) return {};
  return rules_of(query.items[newest(query)]);
}

void SequentialRules::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  if (query.items.empty() || n == 0) return;
  const ItemIdx from = query.items[newest(query)];
  for (const Scored& r : rules_of(from)) {
    if (r.item == item && r.score > 0.0f) out.push_back({from, r.score});
  }
}

void SequentialRules::score_one(const UserQuery& query, std::span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (const Scored& r : rules_for(query)) scores[r.item] = r.score;
}

void SequentialRules::candidates(const UserQuery& query, std::vector<Scored>& out) const {
  const std::span<const Scored> rules = rules_for(query);
  out.insert(out.end(), rules.begin(), rules.end());
}

void SequentialRules::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(kFormatVersion);
  out.put_vector(offsets_);
  out.put_vector(rules_);
}

void SequentialRules::load(BinaryReader& in) {
  in.expect_version(kFormatVersion, "sequential_rules format version");
  offsets_ = in.get_vector<std::uint64_t>("rule offsets");
  rules_ = in.get_vector<Scored>("rules");
  if (offsets_.empty()) in.fail("rule offsets", "empty");
  in.check_offsets(offsets_, offsets_.size() - 1, rules_.size(), "rules");
  for (const Scored& r : rules_) {
    if (r.item >= offsets_.size() - 1) in.fail("rules", "item index out of range");
  }
}

}  // namespace aisle

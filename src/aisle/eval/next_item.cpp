#include "aisle/eval/next_item.h"

#include <algorithm>
#include <chrono>

#include "aisle/eval/metrics.h"

namespace aisle {

NextItemTest make_next_item_test(const Sequences& test, const IdMap& test_items, const IdMap& train_items) {
  std::vector<ItemIdx> to_train(test_items.size());
  for (ItemIdx i = 0; i < test_items.size(); ++i) to_train[i] = train_items.find(test_items.name(i));
  NextItemTest out;
  for (std::size_t s = 0; s < test.size(); ++s) {
    const auto items = test.items_of(s);
    const auto times = test.times_of(s);
    if (items.size() < 2) continue;
    ++out.sessions;
    Query prefix;
    prefix.session = true;
    for (std::size_t t = 0; t < items.size(); ++t) {
      const ItemIdx item = to_train[items[t]];
      if (t > 0) {
        out.queries.push_back(prefix);
        out.targets.push_back(item);
        if (item == kNoIndex) ++out.unknown_targets;
      }
      if (item != kNoIndex) {
        prefix.items.push_back(item);
        prefix.times.push_back(times[t]);
      }
    }
  }
  return out;
}

NextItemResult evaluate_next_item(const Ranker& model, const NextItemTest& test, std::span<const std::size_t> ks,
                                  const RunContext& run) {
  const std::size_t max_k = *std::max_element(ks.begin(), ks.end());
  Filter filter;
  filter.exclude_seen = false;  // the protocol: items already in the session stay eligible
  const auto start = std::chrono::steady_clock::now();
  const auto ranked = model.recommend(test.queries, filter, max_k, run);
  NextItemResult out;
  out.rank_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  UserMetrics& m = out.per_prediction;
  for (std::size_t k : ks) {
    m.names.push_back("hr@" + std::to_string(k));
    m.names.push_back("mrr@" + std::to_string(k));
  }
  m.values.reserve(test.targets.size() * m.names.size());
  std::vector<ItemIdx> items;
  std::vector<std::uint8_t> relevant;
  for (std::size_t p = 0; p < test.targets.size(); ++p) {
    items.clear();
    for (const Scored& s : ranked[p]) items.push_back(s.item);
    const ItemIdx target[] = {test.targets[p]};
    metrics::mark_relevant(items, target[0] == kNoIndex ? std::span<const ItemIdx>{} : target, relevant);
    for (std::size_t k : ks) {
      m.values.push_back(metrics::hit_rate(relevant, k));
      m.values.push_back(metrics::reciprocal_rank(relevant, k));
    }
  }
  return out;
}

}  // namespace aisle

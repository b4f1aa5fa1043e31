// sequential_rules: "what follows what" (Kamehkhosh et al. 2017; session-rec's sr.py with its
// default 1/distance weighting). Fit: in every training session (data/sequences.h, repeats
// kept), each event at position i and each later event at position j <= i + steps add
// 1 / (j - i) to the rule item(i) -> item(j). Query: the session's last item (the newest by time;
// session_order.h) scores every item by the weight of its rule from that item; items no rule
// reaches score 0. Earlier items of the session do not count, as in sr.py.
//
// Parameters: `steps` (sr.py's steps, default 10): how far ahead of an event a rule reaches.
// `pruning` (sr.py's pruning): rules kept per item, the heaviest; 0 keeps them all. sr.py's
// default is 20, which gives the same top 20 as keeping all; aisle keeps all by default so that
// longer lists are ordered by the rules too.
//
// Model file: format version, then per item (CSR offsets) its rules, heaviest first (ties by
// item index). Fit cost: O(events x steps), in parallel over source items.
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct SequentialRulesParams {
  int steps = 10;
  int pruning = 0;
  static const ParamSchema<SequentialRulesParams>& schema();
};

class SequentialRules final : public ParameterizedModel<SequentialRulesParams>,
                              public CandidateScorer,
                              public Explainer {
 public:
  using ParameterizedModel::ParameterizedModel;
  std::string_view kind() const override { return "sequential_rules"; }
  bool learns_from_sequences() const override { return true; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  // The last item's rules (CandidateScorer): no row over the catalog.
  void candidates(const UserQuery& query, std::vector<Scored>& out) const override;
  // The newest item alone, with its rule's weight (the whole score), when it has a rule to `item`.
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return static_cast<std::uint32_t>(offsets_.size() - 1); }

  // The rules from an item, heaviest first.
  std::span<const Scored> rules_of(ItemIdx item) const {
    return {rules_.data() + offsets_[item], rules_.data() + offsets_[item + 1]};
  }

 private:
  // The position in the query of its newest item; the query must not be empty.
  static std::size_t newest(const UserQuery& query);
  // The rules of the query's newest item; empty for an empty query.
  std::span<const Scored> rules_for(const UserQuery& query) const;

  std::vector<std::uint64_t> offsets_{0};
  std::vector<Scored> rules_;
};

}  // namespace aisle

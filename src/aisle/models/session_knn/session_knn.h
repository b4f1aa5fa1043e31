// session_knn: session-based nearest neighbours, in the four variants of the literature as
// session-rec implements them (knn/sknn.py, vsknn.py, stan.py, vstan.py), chosen by `variant`.
//
// The current session s is the query's items in time order (session_order.h), c_1 .. c_n with
// repeats; D is its set of distinct items and pos(i) the position of item i's last click.
// Candidates: the training sessions sharing an item with s; when there are more than
// `sample_size`, the `sample_size` most recent (by their last event; 0: all candidates).
// Each candidate t gets a similarity sim(s, t) > 0; the `neighbors` most similar are kept (k in
// session-rec), and item i scores the sum over kept neighbours t holding i of sim(s, t) x w(t, i).
// Items no neighbour holds score 0. Items of the session itself stay eligible ("remind").
//
//   sknn   Jaccard of the item sets, |D & T| / |D | T|; w = 1 (sknn.py, its default similarity).
//   vsknn  sum over shared items of pos(i) / n (linear decay), divided by |D|; w = 1 / step,
//          where step is 1 for the newest click and counts back to the newest click whose item
//          t holds (vsknn.py's defaults: weighting div, weighting_score div).
//   stan   (Garg et al., SIGIR 2019) cosine with position weights: sum over shared items of
//          exp((pos(i) - n) / lambda_spw), divided by sqrt(sum over D of the weight squared) x
//          sqrt(|T|); times the neighbour's recency exp(-(now - last time of t) / lambda_snh);
//          w = exp(-|p(i) - p*| / lambda_inh), p(i) the last position of i in t and p* the
//          last position in t of an item of s.
//   vstan  (Ludewig et al. 2021) stan's similarity and w, times the V-SKNN-like position
//          weight of the neighbour exp(-(step - 1) / lambda_ipw) and the IDF weight
//          1 + lambda_idf x log(sessions / events of i) (at least 0: an item with more events
//          than there are sessions is not scored below the items no neighbour holds).
//
// A lambda of 0 turns its weight off (session-rec's None). lambda_snh is in days. Recency is
// taken relative to the newest candidate, not the query's clock: a factor common to every
// candidate of a query, so rankings are session-rec's while scores stay finite whatever the
// query's time. Ties among candidates and neighbours go to the more recent session.
//
// Parameters and defaults are session-rec's (STAN's and VSTAN's constructor defaults; k = 100 as
// in its example configurations), except `sample_size`, whose default 5000 is STAN's and VSTAN's
// (sknn.py and vsknn.py default to 1000: variant=vsknn,sample_size=1000 reproduces them).
//
// Model file: format version, item count, the training sessions (items in time order, repeats
// kept) ordered most recent first, and their last times; the index (each item's sessions, each
// session's distinct items with their last positions, IDF) is rebuilt on load.
// Query cost: the postings of the session's items plus the kept neighbours' distinct items; the
// items scored are listed as candidates (CandidateScorer), so no row over the catalog is written.
// Per-thread scratch (thread_local) of a float and an int per session and per item.
#pragma once

#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct SessionKnnParams {
  std::string variant = "vstan";  // sknn | vsknn | stan | vstan
  int neighbors = 100;
  int sample_size = 5000;
  float lambda_spw = 1.02f;
  float lambda_snh = 5;
  float lambda_inh = 2.05f;
  float lambda_ipw = 1.02f;
  float lambda_idf = 5;
  static const ParamSchema<SessionKnnParams>& schema();
};

class SessionKnn final : public ParameterizedModel<SessionKnnParams>, public CandidateScorer, public Explainer {
 public:
  explicit SessionKnn(SessionKnnParams params);
  std::string_view kind() const override { return "session_knn"; }
  bool learns_from_sequences() const override { return true; }
  void fit(const TrainSet& data, const FitContext& context) override;
  void score_one(const UserQuery& query, std::span<float> scores) const override;
  void candidates(const UserQuery& query, std::vector<Scored>& out) const override;
  // What each kept neighbour adds to `item`, split among the session's items it holds in
  // proportion to their weight in the similarity's numerator (1 for sknn, pos / n for vsknn,
  // exp((pos - n) / lambda_spw) for stan and vstan): the contributions sum to the score.
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;
  void save(BinaryWriter& out) const override;
  void load(BinaryReader& in) override;
  std::uint32_t num_items() const override { return num_items_; }

  enum class Variant { kSknn, kVsknn, kStan, kVstan };

  // A training session's distinct item and the position (1-based) of its last click.
  struct SessionItem {
    ItemIdx item = 0;
    std::uint32_t last_pos = 0;
  };
  // A candidate session (by recency rank) and its similarity to the query.
  struct Candidate {
    float similarity = 0;
    std::uint32_t session = 0;
  };
  struct Scratch;

 private:
  // What a kept neighbour adds to every item it holds (before stan's item weights), and the
  // neighbour's last position of an item of the session (stan's anchor).
  struct NeighbourWeight {
    float base = 0;
    std::uint32_t anchor = 0;
  };

  void build_index();
  std::span<const SessionItem> items_of(std::uint32_t session) const {
    return {distinct_.data() + distinct_offsets_[session], distinct_.data() + distinct_offsets_[session + 1]};
  }
  // The weight in the similarity's numerator of the session item whose last click is at `pos`
  // (1-based) of `n`.
  double position_weight(double pos, double n) const;
  // Lists the session's distinct items in scratch.distinct and their positions in
  // scratch.query_pos (which the caller resets to 0 when done).
  void begin_session(std::span<const ItemIdx> session, Scratch& scratch) const;
  NeighbourWeight neighbour_weight(const Candidate& c, std::uint32_t n, const Scratch& scratch) const;
  // What the neighbour adds to its item `t`.
  float item_value(const NeighbourWeight& nw, const SessionItem& t) const;
  void score_session(std::span<const ItemIdx> session, Scratch& scratch) const;
  void find_neighbors(std::span<const ItemIdx> session, Scratch& scratch) const;

  Variant variant_;
  std::uint32_t num_items_ = 0;
  // Training sessions by recency rank (0: the newest last event), items in time order.
  std::vector<std::uint64_t> offsets_{0};
  std::vector<ItemIdx> items_;
  std::vector<Timestamp> last_time_;
  // Built from the above: distinct items per session, sessions per item (ascending rank).
  std::vector<std::uint64_t> distinct_offsets_{0};
  std::vector<SessionItem> distinct_;
  std::vector<std::uint64_t> posting_offsets_{0};
  std::vector<std::uint32_t> postings_;
  std::vector<float> idf_weight_;  // 1 + lambda_idf x idf, per item (vstan)
  std::vector<float> inh_weight_;  // exp(-d / lambda_inh) by distance d
};

}  // namespace aisle

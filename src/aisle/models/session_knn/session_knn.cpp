#include "aisle/models/session_knn/session_knn.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "aisle/core/error.h"
#include "aisle/models/session_order.h"

namespace aisle {

const ParamSchema<SessionKnnParams>& SessionKnnParams::schema() {
  static const ParamSchema<SessionKnnParams> kSchema(
      "session_knn",
      {
          {"variant",
           &SessionKnnParams::variant,
           0,
           0,
           false,
           {"sknn", "vsknn", "stan", "vstan"},
           "sknn: Jaccard; vsknn: linear position decay; stan: position, recency and neighbour-position "
           "weights; vstan: stan with V-SKNN's neighbour weight and IDF"},
          {"neighbors",
           &SessionKnnParams::neighbors,
           1,
           100000,
           true,
           {},
           "most similar sessions whose items are scored (session-rec's k)"},
          {"sample_size",
           &SessionKnnParams::sample_size,
           0,
           10000000,
           false,
           {},
           "most recent sessions sharing an item that are compared (0: all)"},
          {"lambda_spw",
           &SessionKnnParams::lambda_spw,
           0,
           1000,
           false,
           {},
           "stan, vstan: weight exp((pos - n) / lambda) of the session's items (0: off)"},
          {"lambda_snh",
           &SessionKnnParams::lambda_snh,
           0,
           36500,
           false,
           {},
           "stan, vstan: days; neighbour weight exp(-age / lambda) (0: off)"},
          {"lambda_inh",
           &SessionKnnParams::lambda_inh,
           0,
           1000,
           false,
           {},
           "stan, vstan: item weight exp(-distance in the neighbour to its last shared item / lambda) (0: off)"},
          {"lambda_ipw",
           &SessionKnnParams::lambda_ipw,
           0,
           1000,
           false,
           {},
           "vstan: neighbour weight exp(-(step - 1) / lambda), step of its newest shared click (0: off)"},
          {"lambda_idf",
           &SessionKnnParams::lambda_idf,
           0,
           1000,
           false,
           {},
           "vstan: item weight 1 + lambda x log(sessions / item events) (0: off)"},
      },
      {{"variant"},
       {"neighbors", 20, 3000},
       {"sample_size", 500, 20000},
       {"lambda_spw", 0.1, 20},
       {"lambda_snh", 0.5, 100},
       {"lambda_inh", 0.1, 20},
       {"lambda_ipw", 0.1, 20},
       {"lambda_idf", 0, 10}});
  return kSchema;
}

namespace {

constexpr std::uint32_t kFormatVersion = 1;
constexpr double kSecondsPerDay = 86400.0;

SessionKnn::Variant parse_variant(std::string_view v) {
  if (v == "sknn") return SessionKnn::Variant::kSknn;
  if (v == "vsknn") return SessionKnn::Variant::kVsknn;
  if (v == "stan") return SessionKnn::Variant::kStan;
  return SessionKnn::Variant::kVstan;
}

// exp(-d / lambda), or 1 when lambda is 0 (the weight is off).
double decay(double d, double lambda) {
  return lambda > 0 ? std::exp(-d / lambda) : 1.0;
}

bool better(const SessionKnn::Candidate& a, const SessionKnn::Candidate& b) {
  return a.similarity > b.similarity || (a.similarity == b.similarity && a.session < b.session);
}

}  // namespace

// The state of a query, one per thread (thread_local), reused by every query and every
// SessionKnn on that thread: the per-session and per-item arrays are all zero between queries
// (each query resets what it touched), so they only ever grow.
struct SessionKnn::Scratch {
  std::vector<float> numerator;       // per session: the similarity's sum over shared items
  std::vector<std::uint32_t> shared;  // per session: shared distinct items (0: not a candidate)
  std::vector<std::uint32_t> touched;
  std::vector<std::uint32_t> query_pos;  // per item: 1-based position of its last click, 0: absent
  std::vector<float> item_score;         // per item: the query's score
  std::vector<ItemIdx> ordered, distinct, scored;
  std::vector<Candidate> candidates;

  static Scratch& for_this_thread(std::size_t sessions, std::uint32_t items) {
    thread_local Scratch w;
    if (w.numerator.size() < sessions) w.numerator.resize(sessions, 0.0f), w.shared.resize(sessions, 0);
    if (w.query_pos.size() < items) w.query_pos.resize(items, 0), w.item_score.resize(items, 0.0f);
    return w;
  }
};

SessionKnn::SessionKnn(SessionKnnParams params)
    : ParameterizedModel(std::move(params)), variant_(parse_variant(params_.variant)) {}

void SessionKnn::fit(const TrainSet& data, const FitContext& context) {
  Sequences derived;
  const Sequences& sessions = training_sessions(data, context.run.seed, derived);
  num_items_ = data.pairs.num_items;
  for (ItemIdx i : sessions.items) AISLE_CHECK_MSG(i < num_items_, "sequence item out of range");
  // Most recent first: by last event, then by the later session.
  std::vector<std::uint32_t> order;
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    if (sessions.length(s) > 0) order.push_back(static_cast<std::uint32_t>(s));
  }
  const auto last = [&](std::uint32_t s) { return sessions.times[sessions.offsets[s + 1] - 1]; };
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return last(a) > last(b) || (last(a) == last(b) && a > b); });
  offsets_.assign(1, 0);
  items_.clear();
  last_time_.clear();
  for (std::uint32_t s : order) {
    const auto items = sessions.items_of(s);
    items_.insert(items_.end(), items.begin(), items.end());
    offsets_.push_back(items_.size());
    last_time_.push_back(last(s));
  }
  build_index();
}

void SessionKnn::build_index() {
  const std::size_t num_sessions = last_time_.size();
  distinct_offsets_.assign(1, 0);
  distinct_.clear();
  std::vector<std::uint32_t> pos(num_items_, 0);
  std::vector<std::uint64_t> events(num_items_, 0);
  std::size_t longest = 0;
  for (std::size_t s = 0; s < num_sessions; ++s) {
    const std::uint64_t begin = offsets_[s], end = offsets_[s + 1];
    longest = std::max<std::size_t>(longest, end - begin);
    for (std::uint64_t e = begin; e < end; ++e) {
      ++events[items_[e]];
      if (pos[items_[e]] == 0) distinct_.push_back({items_[e], 0});
      pos[items_[e]] = static_cast<std::uint32_t>(e - begin + 1);
    }
    for (std::uint64_t d = distinct_offsets_.back(); d < distinct_.size(); ++d) {
      distinct_[d].last_pos = pos[distinct_[d].item];
      pos[distinct_[d].item] = 0;
    }
    distinct_offsets_.push_back(distinct_.size());
  }
  posting_offsets_.assign(num_items_ + 1, 0);
  for (const SessionItem& d : distinct_) ++posting_offsets_[d.item + 1];
  for (std::uint32_t i = 0; i < num_items_; ++i) posting_offsets_[i + 1] += posting_offsets_[i];
  postings_.resize(distinct_.size());
  std::vector<std::uint64_t> next(posting_offsets_.begin(), posting_offsets_.end() - 1);
  for (std::size_t s = 0; s < num_sessions; ++s) {
    for (std::uint64_t d = distinct_offsets_[s]; d < distinct_offsets_[s + 1]; ++d) {
      postings_[next[distinct_[d].item]++] = static_cast<std::uint32_t>(s);
    }
  }
  // idf = log(sessions / events of the item), events counting repeats (as vstan.py does).
  idf_weight_.assign(num_items_, 1.0f);
  if (variant_ == Variant::kVstan && params_.lambda_idf > 0) {
    for (std::uint32_t i = 0; i < num_items_; ++i) {
      if (events[i] == 0) continue;
      const double idf = std::log(static_cast<double>(num_sessions) / static_cast<double>(events[i]));
      idf_weight_[i] = static_cast<float>(std::max(0.0, 1.0 + params_.lambda_idf * idf));
    }
  }
  inh_weight_.resize(longest + 1);
  for (std::size_t d = 0; d <= longest; ++d)
    inh_weight_[d] = static_cast<float>(decay(static_cast<double>(d), params_.lambda_inh));
}

double SessionKnn::position_weight(double pos, double n) const {
  if (variant_ == Variant::kVsknn) return pos / n;
  if (variant_ == Variant::kStan || variant_ == Variant::kVstan) return decay(n - pos, params_.lambda_spw);
  return 1;
}

void SessionKnn::begin_session(std::span<const ItemIdx> session, Scratch& w) const {
  w.distinct.clear();
  for (std::size_t p = 0; p < session.size(); ++p) {
    if (w.query_pos[session[p]] == 0) w.distinct.push_back(session[p]);
    w.query_pos[session[p]] = static_cast<std::uint32_t>(p + 1);
  }
}

// Fills scratch.candidates with the kept neighbours of the session (`session` in time order;
// scratch.query_pos and scratch.distinct describe it).
void SessionKnn::find_neighbors(std::span<const ItemIdx> session, Scratch& w) const {
  const double n = static_cast<double>(session.size());
  double norm = 0;
  w.touched.clear();
  for (ItemIdx i : w.distinct) {
    const double weight = position_weight(w.query_pos[i], n);
    norm += weight * weight;
    const auto weight_f = static_cast<float>(weight);
    for (std::uint64_t p = posting_offsets_[i]; p < posting_offsets_[i + 1]; ++p) {
      const std::uint32_t s = postings_[p];
      if (w.shared[s]++ == 0) w.touched.push_back(s);
      w.numerator[s] += weight_f;
    }
  }
  // The sample: the most recent candidates, i.e. the lowest ranks.
  const auto sample = static_cast<std::size_t>(params_.sample_size);
  std::span<std::uint32_t> sampled(w.touched);
  if (sample > 0 && sampled.size() > sample) {
    std::nth_element(sampled.begin(), sampled.begin() + static_cast<std::ptrdiff_t>(sample), sampled.end());
    sampled = sampled.first(sample);
  }
  // Recency relative to the newest sampled candidate (see the header).
  std::uint32_t newest = 0;
  if (!sampled.empty()) newest = *std::min_element(sampled.begin(), sampled.end());
  const double snh_seconds = static_cast<double>(params_.lambda_snh) * kSecondsPerDay;
  const double distinct = static_cast<double>(w.distinct.size());
  const double root_norm = std::sqrt(norm);
  w.candidates.clear();
  for (std::uint32_t s : sampled) {
    const double shared = w.shared[s];
    const double size = static_cast<double>(distinct_offsets_[s + 1] - distinct_offsets_[s]);
    double sim = 0;
    switch (variant_) {
      case Variant::kSknn:
        sim = shared / (distinct + size - shared);
        break;
      case Variant::kVsknn:
        sim = w.numerator[s] / distinct;
        break;
      case Variant::kStan:
      case Variant::kVstan:
        sim = w.numerator[s] / (root_norm * std::sqrt(size)) *
              decay(static_cast<double>(last_time_[newest] - last_time_[s]), snh_seconds);
        break;
    }
    if (sim > 0) w.candidates.push_back({static_cast<float>(sim), s});
  }
  for (std::uint32_t s : w.touched) w.shared[s] = 0, w.numerator[s] = 0.0f;
  const auto k = static_cast<std::size_t>(params_.neighbors);
  if (w.candidates.size() > k) {
    std::nth_element(w.candidates.begin(), w.candidates.begin() + static_cast<std::ptrdiff_t>(k), w.candidates.end(),
                     better);
    w.candidates.resize(k);
  }
}

SessionKnn::NeighbourWeight SessionKnn::neighbour_weight(const Candidate& c, std::uint32_t n, const Scratch& w) const {
  // The newest click of the session the neighbour holds, and the neighbour's last position of an
  // item of the session.
  std::uint32_t newest_shared = 0;
  NeighbourWeight out;
  for (const SessionItem& t : items_of(c.session)) {
    const std::uint32_t q = w.query_pos[t.item];
    if (q == 0) continue;
    newest_shared = std::max(newest_shared, q);
    out.anchor = std::max(out.anchor, t.last_pos);
  }
  const std::uint32_t step = n - newest_shared + 1;
  out.base = c.similarity;
  if (variant_ == Variant::kVsknn) out.base /= static_cast<float>(step);
  if (variant_ == Variant::kVstan) out.base *= static_cast<float>(decay(step - 1.0, params_.lambda_ipw));
  return out;
}

float SessionKnn::item_value(const NeighbourWeight& nw, const SessionItem& t) const {
  if (variant_ != Variant::kStan && variant_ != Variant::kVstan) return nw.base;
  const std::uint32_t d = t.last_pos > nw.anchor ? t.last_pos - nw.anchor : nw.anchor - t.last_pos;
  return nw.base * inh_weight_[d] * idf_weight_[t.item];
}

// Scores the session (`session` in time order) into scratch.item_score, listing the items it
// touched in scratch.scored; the caller reads them and resets them to 0.
void SessionKnn::score_session(std::span<const ItemIdx> session, Scratch& w) const {
  w.scored.clear();
  if (session.empty() || last_time_.empty()) return;
  begin_session(session, w);
  find_neighbors(session, w);
  const auto n = static_cast<std::uint32_t>(session.size());
  const auto add = [&](ItemIdx i, float v) {  // v >= 0; once above 0, a score stays above 0
    if (v == 0.0f) return;
    if (w.item_score[i] == 0.0f) w.scored.push_back(i);
    w.item_score[i] += v;
  };
  for (const Candidate& c : w.candidates) {
    const NeighbourWeight nw = neighbour_weight(c, n, w);
    if (nw.base == 0.0f) continue;  // underflow: nothing to add
    for (const SessionItem& t : items_of(c.session)) add(t.item, item_value(nw, t));
  }
  for (ItemIdx i : w.distinct) w.query_pos[i] = 0;
}

void SessionKnn::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  Scratch& w = Scratch::for_this_thread(last_time_.size(), num_items_);
  session_in_time_order(query, w.ordered);
  const std::span<const ItemIdx> session = w.ordered;
  if (session.empty() || last_time_.empty() || item >= num_items_) return;
  begin_session(session, w);
  find_neighbors(session, w);
  const auto length = static_cast<std::uint32_t>(session.size());
  for (const Candidate& c : w.candidates) {
    const std::span<const SessionItem> items = items_of(c.session);
    const auto held = std::find_if(items.begin(), items.end(), [&](const SessionItem& t) { return t.item == item; });
    if (held == items.end()) continue;
    const NeighbourWeight nw = neighbour_weight(c, length, w);
    if (nw.base == 0.0f) continue;
    const float value = item_value(nw, *held);
    // What the neighbour adds to the item, split among the shared items by their weight in the
    // similarity's numerator.
    double total = 0;
    for (const SessionItem& t : items) {
      if (w.query_pos[t.item] != 0) total += static_cast<float>(position_weight(w.query_pos[t.item], length));
    }
    if (value == 0.0f || total <= 0) continue;
    for (const SessionItem& t : items) {
      if (w.query_pos[t.item] == 0) continue;
      const double weight = static_cast<float>(position_weight(w.query_pos[t.item], length));
      out.push_back({t.item, static_cast<float>(value * weight / total)});
    }
  }
  for (ItemIdx i : w.distinct) w.query_pos[i] = 0;
  keep_top_contributions(out, n);
}

void SessionKnn::score_one(const UserQuery& query, std::span<float> scores) const {
  Scratch& w = Scratch::for_this_thread(last_time_.size(), num_items_);
  session_in_time_order(query, w.ordered);
  score_session(w.ordered, w);
  std::fill(scores.begin(), scores.end(), 0.0f);
  for (ItemIdx i : w.scored) scores[i] = w.item_score[i], w.item_score[i] = 0.0f;
}

void SessionKnn::candidates(const UserQuery& query, std::vector<Scored>& out) const {
  Scratch& w = Scratch::for_this_thread(last_time_.size(), num_items_);
  session_in_time_order(query, w.ordered);
  score_session(w.ordered, w);
  for (ItemIdx i : w.scored) {
    if (w.item_score[i] > 0.0f) out.push_back({i, w.item_score[i]});
    w.item_score[i] = 0.0f;
  }
}

void SessionKnn::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(kFormatVersion);
  out.put<std::uint32_t>(num_items_);
  out.put_vector(offsets_);
  out.put_vector(items_);
  out.put_vector(last_time_);
}

void SessionKnn::load(BinaryReader& in) {
  in.expect_version(kFormatVersion, "session_knn format version");
  num_items_ = in.get<std::uint32_t>("item count");
  offsets_ = in.get_vector<std::uint64_t>("session offsets");
  items_ = in.get_vector<ItemIdx>("session items");
  last_time_ = in.get_vector<Timestamp>("session times");
  in.check_offsets(offsets_, last_time_.size(), items_.size(), "session items");
  for (ItemIdx i : items_) {
    if (i >= num_items_) in.fail("session items", "item index out of range");
  }
  build_index();
}

}  // namespace aisle

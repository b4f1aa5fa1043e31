#include "aisle/models/trained_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/models/pipeline/pipeline.h"
#include "aisle/models/registry.h"
#include "aisle/models/selection.h"

namespace aisle {

TrainedModel::TrainedModel(std::unique_ptr<Recommender> model, IdMap users, IdMap items, History history,
                           ItemFacts facts, Provenance provenance)
    : model_(std::move(model)),
      users_(std::move(users)),
      items_(std::move(items)),
      history_(std::move(history)),
      facts_(std::move(facts)),
      provenance_(std::move(provenance)) {
  AISLE_CHECK(model_->num_items() == items_.size());
  AISLE_CHECK(history_.num_users() == users_.size());
  AISLE_CHECK(facts_.num_items() == items_.size());
  item_users_.assign(items_.size(), 0.0f);
  for (const ItemIdx i : history_.item) item_users_[i] += 1.0f;
}

std::string TrainedModel::spec() const {
  const std::string params = model_->params();
  return std::string(model_->kind()) + (params.empty() ? "" : ":" + params);
}

std::vector<Scored> TrainedModel::popular(const Filter& filter, std::size_t k) const {
  std::vector<float> row = item_users_;
  return select_top(row, {}, compile_filter(filter, facts_, num_items()), k);
}

std::vector<Scored> TrainedModel::trending(const Filter& filter, std::size_t k, float half_life_days) const {
  const Timestamp now = reference_time(history_.last_time);
  const double half_life = std::max(1.0, static_cast<double>(half_life_days) * 86400.0);
  std::vector<float> row(num_items(), 0.0f);
  for (std::size_t p = 0; p < history_.item.size(); ++p) {
    const double age = std::max<double>(0.0, static_cast<double>(now - history_.last_time[p]));
    row[history_.item[p]] += static_cast<float>(std::exp2(-age / half_life));
  }
  return select_top(row, {}, compile_filter(filter, facts_, num_items()), k);
}

std::vector<Scored> TrainedModel::similar(ItemIdx item, const Filter& filter, std::size_t k) const {
  AISLE_CHECK(item < num_items());
  const SimilarItems* sim = similar_items_of(*model_);
  if (sim == nullptr) {
    throw ConfigError("model '" + std::string(model_->kind()) +
                      "' cannot find similar items; models that can: " + models_with_similar_items());
  }
  std::vector<float> row(num_items());
  sim->similar_scores(item, row);
  const ItemIdx self[] = {item};
  return select_top(row, self, compile_filter(filter, facts_, num_items()), k);
}

namespace {

// A fitted model must score every item with a finite number (the Recommender contract): checked
// on the first users with a history and on an empty anonymous query, whatever the model, so that
// a fit that went wrong without a per-step check still cannot be saved as a success.
void check_scores_finite(const Recommender& model, const History& history, const RunContext& run) {
  constexpr UserIdx kUsersChecked = 16;
  std::vector<UserQuery> queries(1);  // the anonymous empty query
  for (UserIdx u = 0; u < history.num_users() && queries.size() <= kUsersChecked; ++u) {
    const std::uint64_t b = history.row_ptr[u], e = history.row_ptr[u + 1];
    if (b == e) continue;
    queries.push_back({u,
                       {history.item.data() + b, history.item.data() + e},
                       {history.weight.data() + b, history.weight.data() + e},
                       {history.last_time.data() + b, history.last_time.data() + e},
                       true});
  }
  const std::size_t n = model.num_items();
  std::vector<float> scores(queries.size() * n);
  parallel_for(run, queries.size(), 1, [&](std::size_t begin, std::size_t end, int) {
    model.score(std::span(queries).subspan(begin, end - begin),
                std::span(scores).subspan(begin * n, (end - begin) * n));
  });
  const auto bad = std::find_if(scores.begin(), scores.end(), [](float v) { return !std::isfinite(v); });
  if (bad != scores.end()) {
    throw FitError(std::string(model.kind()) + ":" + model.params() +
                   ": the fitted model scores items with non-finite numbers; its parameters or the weights do not "
                   "suit this data (try a transform, --weights ...,transform=log1p, or smaller step sizes)");
  }
}

}  // namespace

std::string fingerprint_pairs(const Interactions& pairs) {
  // FNV-1a over the CSR arrays taken 8 bytes at a time (the tail bytewise): cheap, stable across
  // runs and builds (not a security digest). Bytewise it took 0.2 s for 5M pairs.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      h = (h ^ word) * 0x100000001b3ULL;
    }
    for (; i < bytes; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  };
  mix(&pairs.num_users, sizeof pairs.num_users);
  mix(&pairs.num_items, sizeof pairs.num_items);
  mix(pairs.row_ptr.data(), pairs.row_ptr.size() * sizeof(std::uint64_t));
  mix(pairs.item.data(), pairs.item.size() * sizeof(ItemIdx));
  mix(pairs.weight.data(), pairs.weight.size() * sizeof(float));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

TrainedModel train_model(std::string_view spec, const Interactions& pairs, const Catalog& catalog, IdMap users,
                         IdMap items, const FitContext& context, Timestamp data_as_of, const Sequences* sequences) {
  AISLE_CHECK(pairs.num_users == users.size() && pairs.num_items == items.size());
  if (data_as_of == 0) data_as_of = static_cast<Timestamp>(std::time(nullptr));
  std::unique_ptr<Recommender> model = create_model(spec);
  ItemFacts facts = ItemFacts::from_catalog(catalog, pairs.num_items);
  model->fit(TrainSet{pairs, facts, catalog, sequences}, context);
  History history = History::from_pairs(pairs);
  check_scores_finite(*model, history, context.run);
  Provenance provenance{static_cast<Timestamp>(std::time(nullptr)), data_as_of, fingerprint_pairs(pairs),
                        AISLE_VERSION_TEXT};
  return TrainedModel(std::move(model), std::move(users), std::move(items), std::move(history), std::move(facts),
                      std::move(provenance));
}

std::optional<TrainedModel> train_model_parts(std::string_view spec, const PairParts& parts,
                                              const Interactions* all_pairs, const Catalog& catalog, IdMap users,
                                              IdMap items, const FitContext& context, Timestamp data_as_of) {
  if (data_as_of == 0) data_as_of = static_cast<Timestamp>(std::time(nullptr));
  std::unique_ptr<Recommender> model = create_model(spec);
  auto* fit = dynamic_cast<PartsFit*>(model.get());
  if (fit == nullptr) {
    throw ConfigError("model " + std::string(model->kind()) + " cannot fit from parts of the pairs across ranks");
  }
  fit->fit_parts(parts, context);
  if (all_pairs == nullptr) return std::nullopt;
  AISLE_CHECK(all_pairs->num_users == users.size() && all_pairs->num_items == items.size());
  AISLE_CHECK(all_pairs->num_users == parts.num_users && all_pairs->num_items == parts.num_items);
  ItemFacts facts = ItemFacts::from_catalog(catalog, all_pairs->num_items);
  History history = History::from_pairs(*all_pairs);
  check_scores_finite(*model, history, context.run);
  Provenance provenance{static_cast<Timestamp>(std::time(nullptr)), data_as_of, fingerprint_pairs(*all_pairs),
                        AISLE_VERSION_TEXT};
  return TrainedModel(std::move(model), std::move(users), std::move(items), std::move(history), std::move(facts),
                      std::move(provenance));
}

void FitContext::end_step(const StepEnd& s) const {
  run.check_cancelled();
  if (!s.finite || std::isinf(s.loss)) {
    throw FitError(std::string(s.label) + " " + std::to_string(s.step) + " of " + std::to_string(s.last) +
                   ": the fit diverged (its loss or parameters are no longer finite numbers); " +
                   std::string(s.remedy));
  }
  if (log != nullptr) log->push_back({s.step, s.loss, s.validation});
  if (run.progress != nullptr) {
    run.progress->step(s.label, static_cast<std::uint64_t>(s.step), static_cast<std::uint64_t>(s.last), s.loss);
  }
}

void Recommender::score(std::span<const UserQuery> queries, std::span<float> scores) const {
  const std::size_t n = num_items();
  AISLE_CHECK(scores.size() == queries.size() * n);
  for (std::size_t q = 0; q < queries.size(); ++q) score_one(queries[q], scores.subspan(q * n, n));
}

void keep_top_contributions(std::vector<Scored>& contributions, std::size_t n) {
  std::sort(contributions.begin(), contributions.end(),
            [](const Scored& a, const Scored& b) { return a.item < b.item; });
  std::size_t kept = 0;
  for (std::size_t c = 0; c < contributions.size();) {
    Scored merged = contributions[c];
    for (++c; c < contributions.size() && contributions[c].item == merged.item; ++c) {
      merged.score += contributions[c].score;
    }
    if (merged.score > 0.0f) contributions[kept++] = merged;
  }
  contributions.resize(kept);
  std::sort(contributions.begin(), contributions.end(), ranks_before);
  if (contributions.size() > n) contributions.resize(n);
}

}  // namespace aisle

#include "aisle/models/pipeline/blend.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

const ParamSchema<BlendParams>& BlendParams::schema() {
  static const ParamSchema<BlendParams> kSchema(
      "blend", {
                   {"normalize",
                    &BlendParams::normalize,
                    0,
                    0,
                    false,
                    {"none", "min-max", "z-score", "rank"},
                    "how each member's scores are put on one scale before they are weighted and summed"},
               });
  return kSchema;
}

Blend::Blend(BlendParams params, std::vector<PipelineMember> members)
    : PipelineModel(std::move(params), std::move(members)) {
  if (members_.empty()) throw ConfigError("blend: needs members, e.g. blend(0.6*als; 0.4*popularity)");
  for (const PipelineMember& m : members_) {
    if (m.separator == 0) {
      weights_.push_back(1.0f);
      continue;
    }
    const std::optional<double> w = parse_double(m.role);
    if (m.separator != '*' || !w || !std::isfinite(*w) || *w <= 0 || *w > 1e6) {
      throw ConfigError("blend: member '" + m.role + m.separator + "...' needs a positive weight, as in 0.6*" +
                        std::string(m.model->kind()));
    }
    weights_.push_back(static_cast<float>(*w));
  }
}

void normalize_scores(std::string_view how, std::span<float> row) {
  if (how == "none" || row.empty()) return;
  if (how == "min-max") {
    const auto [lo, hi] = std::minmax_element(row.begin(), row.end());
    const float min = *lo, range = *hi - *lo;
    for (float& v : row) v = range > 0 ? (v - min) / range : 0.0f;
  } else if (how == "z-score") {
    double sum = 0, squares = 0;
    for (float v : row) sum += v;
    const double mean = sum / static_cast<double>(row.size());
    for (float v : row) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / static_cast<double>(row.size()));
    for (float& v : row) v = sd > 0 ? static_cast<float>((v - mean) / sd) : 0.0f;
  } else {
    AISLE_CHECK(how == "rank");
    std::vector<std::uint32_t> order(row.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return row[a] > row[b]; });
    const auto n = static_cast<float>(row.size());
    std::vector<float> ranked(row.size());
    std::size_t first_of_tie = 0;
    for (std::size_t r = 0; r < order.size(); ++r) {
      if (r > 0 && row[order[r]] != row[order[r - 1]]) first_of_tie = r;
      ranked[order[r]] = 1.0f - static_cast<float>(first_of_tie) / n;
    }
    std::copy(ranked.begin(), ranked.end(), row.begin());
  }
}

void Blend::score(std::span<const UserQuery> queries, std::span<float> scores) const {
  const std::size_t n = num_items();
  AISLE_CHECK(scores.size() == queries.size() * n);
  std::fill(scores.begin(), scores.end(), 0.0f);
  // Each member scores the whole batch through its own batch path (a matrix product for EASE).
  std::vector<float> member_scores(scores.size());
  for (std::size_t m = 0; m < members_.size(); ++m) {
    members_[m].model->score(queries, member_scores);
    for (std::size_t q = 0; q < queries.size(); ++q) {
      const std::span<float> row(member_scores.data() + q * n, n);
      normalize_scores(params_.normalize, row);
      float* out = scores.data() + q * n;
      for (std::size_t i = 0; i < n; ++i) out[i] += weights_[m] * row[i];
    }
  }
}

void Blend::score_one(const UserQuery& query, std::span<float> scores) const {
  score(std::span(&query, 1), scores);
}

void Blend::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  std::vector<Scored> member;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const auto* explainer = capability<Explainer>(*members_[m].model);
    if (explainer == nullptr) continue;
    member.clear();
    explainer->explain(query, item, query.items.size(), member);
    double total = 0;
    for (const Scored& c : member) total += c.score;
    if (total <= 0) continue;
    for (const Scored& c : member) out.push_back({c.item, static_cast<float>(weights_[m] * c.score / total)});
  }
  keep_top_contributions(out, n);
}

}  // namespace aisle

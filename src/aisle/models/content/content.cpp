#include "aisle/models/content/content.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>

#include "aisle/models/item_score_model.h"

namespace aisle {

const ParamSchema<ContentParams>& ContentParams::schema() {
  static const ParamSchema<ContentParams> kSchema(
      "content",
      {
          {"category_weight", &ContentParams::category_weight, 0, 100, false, {}, "weight of categories"},
          {"brand_weight", &ContentParams::brand_weight, 0, 100, false, {}, "weight of the brand"},
          {"price_weight", &ContentParams::price_weight, 0, 100, false, {}, "weight of the price band"},
          {"text_weight", &ContentParams::text_weight, 0, 100, false, {}, "weight of name and description words"},
      },
      {{"category_weight", 0, 4}, {"brand_weight", 0, 4}, {"price_weight", 0, 4}, {"text_weight", 0, 4}});
  return kSchema;
}

namespace {

constexpr float kPriorScale = 1e-6f;
constexpr int kPriceBands = 10;

// Lower-cased runs of letters and digits of at least two characters.
void add_words(std::string_view text, std::vector<std::string>& out) {
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const unsigned char ch = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalnum(ch) || ch >= 0x80) {
      word += static_cast<char>(std::tolower(ch));
    } else {
      if (word.size() >= 2) out.push_back("w:" + word);
      word.clear();
    }
  }
}

}  // namespace

void Content::fit(const TrainSet& data, const FitContext&) {
  const std::uint32_t n = data.pairs.num_items;
  prior_ = popularity_prior(data.pairs, kPriorScale);
  // Price bands: deciles of the prices present.
  std::vector<float> prices;
  for (ItemIdx i = 0; i < n; ++i) {
    const ItemInfo* info = data.catalog.find_item(i);
    if (info != nullptr && is_present(info->price) && info->price > 0) prices.push_back(info->price);
  }
  std::sort(prices.begin(), prices.end());
  std::vector<float> band_edges;
  for (int b = 1; b < kPriceBands && !prices.empty(); ++b)
    band_edges.push_back(prices[prices.size() * b / kPriceBands]);

  // Features per item with their group weight; feature ids in order of first appearance.
  std::map<std::string, std::uint32_t> ids;
  std::vector<std::vector<std::pair<std::uint32_t, float>>> raw(n);
  std::vector<std::uint32_t> df;
  for (ItemIdx i = 0; i < n; ++i) {
    const ItemInfo* info = data.catalog.find_item(i);
    if (info == nullptr) continue;
    std::vector<std::pair<std::string, float>> named;
    for (CategoryIdx c : data.facts.categories_of(i)) {
      for (CategoryIdx a : data.facts.ancestors(c)) {
        named.emplace_back("c:" + std::string(data.facts.categories.name(a)), params_.category_weight);
      }
    }
    if (!info->brand.empty()) named.emplace_back("b:" + info->brand, params_.brand_weight);
    if (is_present(info->price) && info->price > 0) {
      const auto band = std::upper_bound(band_edges.begin(), band_edges.end(), info->price) - band_edges.begin();
      named.emplace_back("p:" + std::to_string(band), params_.price_weight);
    }
    std::vector<std::string> words;
    add_words(info->name, words);
    for (const auto& [key, value] : info->attributes) {
      if (key == "description") add_words(value, words);
    }
    for (std::string& w : words) named.emplace_back(std::move(w), params_.text_weight);
    for (auto& [name, weight] : named) {
      if (weight <= 0.0f) continue;
      const auto [it, added] = ids.emplace(name, static_cast<std::uint32_t>(ids.size()));
      if (added) df.push_back(0);
      const std::uint32_t feature = it->second;
      auto& list = raw[i];
      auto found = std::find_if(list.begin(), list.end(), [&](const auto& p) { return p.first == feature; });
      if (found == list.end()) {
        list.emplace_back(feature, weight);
        ++df[feature];
      } else {
        found->second += weight;  // term frequency
      }
    }
  }
  num_features_ = static_cast<std::uint32_t>(ids.size());
  const double described =
      static_cast<double>(std::count_if(raw.begin(), raw.end(), [](const auto& l) { return !l.empty(); }));
  ptr_.assign(1, 0);
  features_.clear();
  for (ItemIdx i = 0; i < n; ++i) {
    auto& list = raw[i];
    std::sort(list.begin(), list.end());
    double norm = 0;
    const std::size_t first = features_.size();
    for (const auto& [f, tf] : list) {
      const double idf = std::log((1.0 + described) / (1.0 + df[f])) + 1.0;
      const auto v = static_cast<float>(tf * idf);
      features_.push_back({f, v});
      norm += static_cast<double>(v) * v;
    }
    for (std::size_t k = first; k < features_.size(); ++k) features_[k].value /= static_cast<float>(std::sqrt(norm));
    ptr_.push_back(features_.size());
  }
  build_postings();
}

void Content::build_postings() {
  post_ptr_.assign(num_features_ + 1, 0);
  for (const Weighted& w : features_) ++post_ptr_[w.feature + 1];
  for (std::uint32_t f = 0; f < num_features_; ++f) post_ptr_[f + 1] += post_ptr_[f];
  postings_.assign(features_.size(), {0, 0.0f});
  std::vector<std::uint64_t> fill(post_ptr_.begin(), post_ptr_.end() - 1);
  for (ItemIdx i = 0; i + 1 < ptr_.size(); ++i) {
    for (std::uint64_t k = ptr_[i]; k < ptr_[i + 1]; ++k)
      postings_[fill[features_[k].feature]++] = {i, features_[k].value};
  }
}

void Content::accumulate(std::span<const Weighted> vector, float scale, std::span<float> scores) const {
  for (const Weighted& w : vector) {
    for (std::uint64_t k = post_ptr_[w.feature]; k < post_ptr_[w.feature + 1]; ++k) {
      scores[postings_[k].first] += scale * w.value * postings_[k].second;
    }
  }
}

void Content::score_one(const UserQuery& query, std::span<float> scores) const {
  // Profile = sum of weighted item vectors, normalized; scoring by it is the cosine.
  std::map<std::uint32_t, float> profile;
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = std::log1p(std::max(query.weights[h], 0.0f));
    const ItemIdx i = query.items[h];
    for (std::uint64_t k = ptr_[i]; k < ptr_[i + 1]; ++k) profile[features_[k].feature] += w * features_[k].value;
  }
  std::vector<Weighted> vec;
  double norm = 0;
  for (const auto& [f, v] : profile) {
    vec.push_back({f, v});
    norm += static_cast<double>(v) * v;
  }
  std::copy(prior_.begin(), prior_.end(), scores.begin());
  if (norm > 0) accumulate(vec, static_cast<float>(1.0 / std::sqrt(norm)), scores);
}

void Content::similar_scores(ItemIdx item, std::span<float> scores) const {
  std::copy(prior_.begin(), prior_.end(), scores.begin());
  accumulate({features_.data() + ptr_[item], features_.data() + ptr_[item + 1]}, 1.0f, scores);
}

void Content::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(num_features_);
  out.put_vector(ptr_);
  out.put_vector(features_);
  out.put_vector(prior_);
}

void Content::load(BinaryReader& in) {
  num_features_ = in.get<std::uint32_t>("feature count");
  ptr_ = in.get_vector<std::uint64_t>("item features");
  features_ = in.get_vector<Weighted>("item features");
  prior_ = in.get_vector<float>("popularity prior");
  in.check_offsets(ptr_, prior_.size(), features_.size(), "item features");
  for (const Weighted& w : features_) {
    if (w.feature >= num_features_) in.fail("item features", "feature out of range");
  }
  build_postings();
}

}  // namespace aisle

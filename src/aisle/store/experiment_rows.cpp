#include "aisle/store/experiment_rows.h"

#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/store/append_plan.h"
#include "aisle/store/schema.h"

namespace aisle {

namespace {

void check_id(std::string_view id, std::size_t at, std::string_view field, bool may_be_empty = false) {
  if (id.empty() && may_be_empty) return;
  if (auto problem = id_problem(id)) {
    throw InputError("impressions[" + std::to_string(at) + "]." + std::string(field) + " " + *problem);
  }
}

}  // namespace

void check_impressions(std::span<const Impression> impressions) {
  for (std::size_t i = 0; i < impressions.size(); ++i) {
    const Impression& m = impressions[i];
    check_id(m.request_id, i, "request_id");
    check_id(m.experiment, i, "experiment");
    check_id(m.arm, i, "arm", !m.credits.empty());
    check_id(m.visitor, i, "visitor");
    for (const std::string& item : m.items) check_id(item, i, "items");
    for (const std::string& arm : m.credits) check_id(arm, i, "credits");
    if (!m.credits.empty() && m.credits.size() != m.items.size()) {
      throw InputError("impressions[" + std::to_string(i) + "].credits: one arm per item, or none");
    }
  }
}

std::string encode_ids(const std::vector<std::string>& ids) {
  return nlohmann::json(ids).dump();
}

std::vector<std::string> decode_ids(std::string_view text, const std::string& url) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) throw StoreError(url + ": an impressions row holds no id list: " + printable(text));
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const nlohmann::json& e : j) {
    if (!e.is_string()) throw StoreError(url + ": an impressions row holds an id that is not a string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

bool needs_schema_upgrade(std::string_view version, const std::string& url) {
  if (version.empty() || version == std::to_string(kStoreSchemaVersion)) return false;
  for (int v = schema::kOldestUpgradableVersion; v < kStoreSchemaVersion; ++v) {
    if (version == std::to_string(v)) return true;
  }
  throw StoreError(url + ": schema version " + std::string(version) + ", this aisle reads versions " +
                   std::to_string(schema::kOldestUpgradableVersion) + " to " + std::to_string(kStoreSchemaVersion));
}

}  // namespace aisle

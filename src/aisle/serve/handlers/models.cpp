// The models: which serve (the serving model and the companions, with their status), which the
// registry has (with their parameter schemas), and the offline evaluation reports of
// serve.reports (what `aisle evaluate --out` wrote).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aisle/core/timestamp.h"
#include "aisle/models/registry.h"
#include "aisle/serve/companions.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"

namespace aisle::serve::handlers {

namespace {

const char* kind_name(ParamKind kind) {
  return kind == ParamKind::kInt ? "int" : kind == ParamKind::kFloat ? "float" : "choice";
}

// The registry: every model with its summary and parameter schema (the schema `aisle models` prints).
Json registry_json() {
  Json out = Json::array();
  for (const ModelInfo& m : model_table()) {
    Json params = Json::array();
    for (const ParamInfo& p : m.params()) {
      Json j{{"name", p.name}, {"type", kind_name(p.kind)}, {"default", p.default_value}};
      if (p.kind == ParamKind::kChoice) {
        j["choices"] = p.choices;
      } else {
        j["min"] = p.min;
        j["max"] = p.max;
        j["log_scale"] = p.log_scale;
      }
      j["help"] = p.help;
      params.push_back(std::move(j));
    }
    out.push_back({{"name", m.name},
                   {"summary", m.summary},
                   {"pipeline", m.pipeline},
                   {"members", m.pipeline ? Json(m.members) : Json(nullptr)},
                   {"available", model_available(m)},
                   {"parameters", params}});
  }
  return out;
}

// `parameters` as the model writes them ("k=100,shrink=10") as an object of strings.
Json parameters_json(const std::string& params) {
  Json out = Json::object();
  std::stringstream in(params);
  for (std::string pair; std::getline(in, pair, ',');) {
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos) out[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return out;
}

// report.json of `folder` (named `name`): {"name", "path", "modified", "report"}, or "error"
// in place of "report" when the file is not JSON.
Json report_entry(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Json entry{{"name", name}, {"path", file.string()}};
  std::error_code error;
  const auto modified = std::filesystem::last_write_time(file, error);
  if (!error) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::file_clock::to_sys(modified).time_since_epoch());
    entry["modified"] = format_timestamp(seconds.count());
  }
  Json report = Json::parse(text.str(), nullptr, false);
  if (report.is_discarded() || !report.is_object()) {
    entry["error"] = file.string() + " is not an evaluation report (JSON object)";
  } else {
    entry["report"] = std::move(report);
  }
  return entry;
}

}  // namespace

Reply get_models(ServeState& state, const httplib::Request&) {
  Json serving = nullptr;
  if (const auto snapshot = state.snapshots.current()) {
    const TrainedModel& m = *snapshot->model;
    serving = {{"name", "serving"},
               {"status", "ready"},
               {"kind", m.model().kind()},
               {"spec", snapshot->spec},
               {"parameters", parameters_json(m.model().params())},
               {"version", snapshot->version},
               {"source", snapshot->source},
               {"store_version", snapshot->store_version == 0 ? Json(nullptr) : Json(snapshot->store_version)}};
  } else {
    serving = {{"name", "serving"}, {"status", "loading"}};
  }
  Json companions = state.companions != nullptr ? state.companions->list() : Json::array();
  for (Json& c : companions) {
    if (c["parameters"].is_string()) c["parameters"] = parameters_json(c["parameters"].get<std::string>());
  }
  return json_reply(Json{{"serving", serving}, {"companions", companions}, {"registry", registry_json()}});
}

// Every report.json in serve.reports and its subfolders (one level), newest first.
Reply get_reports(ServeState& state, const httplib::Request&) {
  const std::string& folder = state.config.serve.reports;
  if (folder.empty()) return json_reply(Json{{"folder", nullptr}, {"reports", Json::array()}});
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw RequestError(404, "no_reports", "serve.reports = '" + folder + "' is not a folder here");
  }
  std::vector<std::pair<fs::path, std::string>> files;
  if (fs::is_regular_file(fs::path(folder) / "report.json", error)) {
    const std::string name = fs::path(folder).lexically_normal().parent_path().filename().string();
    files.emplace_back(fs::path(folder) / "report.json",
                       fs::path(folder).filename().empty() ? name : fs::path(folder).filename().string());
  }
  for (const fs::directory_entry& sub : fs::directory_iterator(folder, error)) {
    if (sub.is_directory(error) && fs::is_regular_file(sub.path() / "report.json", error)) {
      files.emplace_back(sub.path() / "report.json", sub.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    std::error_code e;
    return fs::last_write_time(a.first, e) > fs::last_write_time(b.first, e);
  });
  Json reports = Json::array();
  for (const auto& [file, name] : files) reports.push_back(report_entry(file, name));
  return json_reply(Json{{"folder", folder}, {"reports", reports}});
}

}  // namespace aisle::serve::handlers

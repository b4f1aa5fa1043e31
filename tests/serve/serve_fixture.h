// A running `aisle serve` for tests: a checkerboard shop (20 users, 16 items with names,
// categories and image URLs) in a fresh SQLite store, a model file fitted on it, and a Server on
// a free loopback port, answered through a real socket with httplib's client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "aisle/app/training_data.h"
#include "aisle/models/model_file.h"
#include "aisle/serve/server.h"
#include "aisle/store/event_store.h"

namespace aisle::testing {

using Json = nlohmann::json;

// The checkerboard as events: user u bought item i iff (u + i) is even, at times that rise with i
// (so each user's newest pair is the highest item). Catalog: names, parity categories, images.
inline EventLog checkerboard_log() {
  EventLog log;
  const EventTypeIdx purchase = log.event_types.intern("purchase");
  const CategoryIdx even = log.catalog.add_category("even", "Even things"),
                    odd = log.catalog.add_category("odd", "Odd things");
  for (int i = 0; i < 16; ++i) {
    const ItemIdx item = log.items.intern("i" + std::to_string(i));
    ItemInfo& info = log.catalog.item(item);
    info.name = "item " + std::to_string(i);
    info.categories = {i % 2 == 0 ? even : odd};
    info.price = 1.5f + static_cast<float>(i);
    info.image_url = "https://shop.example/i" + std::to_string(i) + ".jpg";
  }
  for (int u = 0; u < 20; ++u) {
    const UserIdx user = log.users.intern("u" + std::to_string(u));
    for (int i = 0; i < 16; ++i) {
      if ((u + i) % 2 != 0) continue;
      Event e;
      e.user = user;
      e.item = log.items.find("i" + std::to_string(i));
      e.type = purchase;
      e.time = 1'600'000'000 + i * 3600 + u;
      log.events.push_back(e);
    }
  }
  log.sort_canonical();
  return log;
}

class ServeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("AISLE_API_TOKEN");  // the tests choose the token
    dir_ =
        std::filesystem::path(::testing::TempDir()) / ("aisle-serve-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_url_ = "sqlite:" + (dir_ / "store.db").string();
    EventLog log = checkerboard_log();
    open_store(store_url_)->load(log, IngestionRun{"test", {}, 0, 0, 0, 0, ""});
    model_path_ = (dir_ / "model.aislemodel").string();
    write_model("item_knn", model_path_);
  }

  void TearDown() override {
    stop();
    std::filesystem::remove_all(dir_);
  }

  // Fits `spec` on the store's events and writes a model file.
  void write_model(const std::string& spec, const std::string& path) {
    Config config;
    LoadedEvents loaded = load_events({store_url_, {}, "csv"}, config, config.read_options());
    const Interactions pairs = pairs_of(loaded.log, config);
    FitContext context;
    context.run = RunContext(1);
    save_model(train_model(spec, pairs, loaded.log.catalog, loaded.log.users, loaded.log.items, context), path);
  }

  // Starts the server with `config` (listen and store set here) on a free port.
  void start(Config config = {}, const std::string& token = "") {
    config.serve.listen = "127.0.0.1:0";
    serve::ServeOptions options;
    options.config = config;
    options.store_url = store_url_;
    options.model_path = model_path_;
    options.api_token = token;
    server_ = std::make_unique<serve::Server>(options);
    port_ = server_->start();
    thread_ = std::thread([this] { server_->wait(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(30, 0);
  }

  void stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  // GET/POST returning status and parsed body (null when the body is not JSON).
  std::pair<int, Json> get(const std::string& path, const httplib::Headers& headers = {}) {
    auto res = client_->Get(path.c_str(), headers);
    if (!res) return {0, Json()};
    return {res->status, Json::parse(res->body, nullptr, false)};
  }
  std::pair<int, Json> post(const std::string& path, const std::string& body, const httplib::Headers& headers = {}) {
    auto res = client_->Post(path.c_str(), headers, body, "application/json");
    if (!res) return {0, Json()};
    return {res->status, Json::parse(res->body, nullptr, false)};
  }
  static std::vector<std::string> ids(const Json& items) {
    std::vector<std::string> out;
    for (const Json& row : items) out.push_back(row.at("item_id").get<std::string>());
    return out;
  }

  std::filesystem::path dir_;
  std::string store_url_, model_path_;
  std::unique_ptr<serve::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

}  // namespace aisle::testing

// Durability of feedback against a crash: a client sends events one by one as fast as it can and
// records every 2xx; the `aisle serve` process gets SIGKILL mid-stream; every acknowledged event
// is then in the store, none twice; the server restarts on that store and stops cleanly on
// SIGTERM. Against SQLite, and PostgreSQL when AISLE_TEST_POSTGRES_URL is set (make test).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "serve/serve_fixture.h"
#include "store/store_fixture.h"

namespace aisle::testing {
namespace {

// `aisle serve` as a child process; the port is read from its "listening on" line.
struct ServeProcess {
  pid_t pid = -1;
  int port = 0;

  // The child's stderr goes to a file (a pipe nobody drains could fill and block it); the port is
  // read from its "listening on" line, waiting up to 30 s.
  ServeProcess(const std::string& store, const std::string& model, const std::string& log) {
    pid = fork();
    if (pid == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDERR_FILENO);
      // As a user runs it: OpenBLAS starts its threads before main, so a signal may land on one.
      unsetenv("OPENBLAS_NUM_THREADS");
      unsetenv("OMP_NUM_THREADS");
      execl(AISLE_BINARY, AISLE_BINARY, "serve", "--store", store.c_str(), "--model", model.c_str(), "--listen",
            "127.0.0.1:0", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int waited = 0; waited < 3000 && port == 0; ++waited) {
      std::ifstream in(log);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (const auto p = text.find("(port "); p != std::string::npos) port = std::atoi(text.c_str() + p + 6);
      if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~ServeProcess() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  // Sends `sig` and waits up to 30 s for the exit; a process still running then is killed and
  // reported as such (status -1), so a shutdown that hangs fails the test instead of hanging it.
  int kill_with(int sig) {
    kill(pid, sig);
    int status = 0;
    for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; ++waited) {
      if (waited == 3000) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        pid = -1;
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid = -1;
    return status;
  }
};

// A fresh store per backend (store/store_fixture.h) with the checkerboard shop and a model file.
class Durability : public test::StoreTest {
 protected:
  void SetUp() override {
    test::StoreTest::SetUp();
    if (IsSkipped()) return;
    EventLog log = checkerboard_log();
    open_store(url_)->load(log, IngestionRun{"test", {}, 0, 0, 0, 0, ""});
    Config config;
    LoadedEvents loaded = load_events({url_, {}, "csv"}, config, config.read_options());
    FitContext context;
    context.run = RunContext(1);
    model_ = dir_.file("model.aislemodel");
    save_model(train_model("popularity", pairs_of(loaded.log, config), loaded.log.catalog, loaded.log.users,
                           loaded.log.items, context),
               model_);
  }

  std::string model_;
};

TEST_P(Durability, EveryAcknowledgedEventSurvivesSigkillAndNoneIsStoredTwice) {
  std::set<int> acknowledged;
  int sent = 0;
  {
    ServeProcess server(url_, model_, dir_.file("serve1.log"));
    ASSERT_GT(server.port, 0) << "the server did not start";
    std::atomic<bool> killed{false};
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      killed = true;
      server.kill_with(SIGKILL);
    });
    httplib::Client client("127.0.0.1", server.port);
    client.set_read_timeout(5, 0);
    // Bounded: at most 20,000 events or until requests fail after the kill.
    for (int n = 0; n < 20000; ++n) {
      const std::string body = R"({"user_id": "d)" + std::to_string(n) + R"(", "item_id": "i)" +
                               std::to_string(n % 16) + R"(", "event": "view"})";
      ++sent;
      auto res = client.Post("/api/feedback", body, "application/json");
      if (res && res->status == 200) {
        acknowledged.insert(n);
      } else if (killed) {
        break;
      }
    }
    killer.join();
  }
  ASSERT_GT(acknowledged.size(), 20u) << "too few events acknowledged before the kill to test anything";
  ASSERT_LT(acknowledged.size(), static_cast<std::size_t>(sent)) << "the kill did not interrupt the stream";

  const EventLog stored = open_store(url_)->read();
  std::map<std::string, int> per_user;
  for (const Event& e : stored.events) ++per_user[std::string(stored.users.name(e.user))];
  for (const int n : acknowledged) EXPECT_EQ(per_user["d" + std::to_string(n)], 1) << "event " << n;
  for (const auto& [user, count] : per_user) EXPECT_LE(count, user[0] == 'd' ? 1 : 8) << user;

  // The server starts again on the same store, takes feedback, and stops cleanly on SIGTERM.
  ServeProcess again(url_, model_, dir_.file("serve2.log"));
  ASSERT_GT(again.port, 0);
  httplib::Client client("127.0.0.1", again.port);
  auto res =
      client.Post("/api/feedback", R"({"user_id": "after", "item_id": "i1", "event": "view"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const int status = again.kill_with(SIGTERM);
  std::ifstream log(dir_.file("serve2.log"));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "status " << status << "; the server's log:\n"
      << std::string((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(open_store(url_)->read().users.find("after"), kNoIndex);
}

INSTANTIATE_TEST_SUITE_P(Stores, Durability, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace aisle::testing

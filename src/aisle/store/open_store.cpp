#include <filesystem>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "aisle/store/postgres/postgres_store.h"
#include "aisle/store/sqlite/sqlite_store.h"

namespace aisle {

std::unique_ptr<EventStore> open_store(const std::string& url, OpenMode mode) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) throw ConfigError("store URL '" + url + "' has no file path (sqlite:PATH)");
    if (mode == OpenMode::kExisting && !std::filesystem::exists(path)) {
      throw StoreError(url + ": no store there (create one with aisle ingest)");
    }
    return open_sqlite_store(url, path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgres_store(url);
  throw ConfigError("unknown store URL '" + url + "'; expected sqlite:PATH or postgresql://USER@HOST:PORT/DB");
}

}  // namespace aisle

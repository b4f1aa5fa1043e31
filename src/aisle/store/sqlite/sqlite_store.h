// SQLite backend of EventStore (sqlite:PATH). WAL journal, synchronous=NORMAL; a load is one
// BEGIN IMMEDIATE ... COMMIT transaction, so concurrent loads queue instead of interleaving.
#pragma once

#include <memory>
#include <string>

#include "aisle/store/event_store.h"

namespace aisle {

std::unique_ptr<EventStore> open_sqlite_store(const std::string& url, const std::string& path);

}  // namespace aisle

// PostgreSQL backend of EventStore (postgresql://user@host:port/db). Loads stream rows with
// COPY ... FROM STDIN inside one transaction; a transaction-scoped advisory lock serialises
// concurrent loads. Into an empty events table rows are copied directly; otherwise they go
// through a temporary table and INSERT ... ON CONFLICT DO NOTHING (the dedup contract).
#pragma once

#include <memory>
#include <string>

#include "aisle/store/event_store.h"

namespace aisle {

std::unique_ptr<EventStore> open_postgres_store(const std::string& url);

}  // namespace aisle

// PostgreSQL's side of StoreWatch: a connection of its own that LISTENs and waits with poll() on
// its socket and on a pipe that stop() writes to.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aisle/store/store_watch.h"

namespace aisle::pg {

std::unique_ptr<StoreWatch> listen_to(const std::string& url, const std::vector<std::string>& channels);

}  // namespace aisle::pg

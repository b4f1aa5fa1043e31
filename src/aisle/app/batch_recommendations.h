// Batch recommendations: every user's list computed ahead of requests and written to the store as
// one batch (docs/STORE.md, "Recommendation batches"; docs/SCALE.md), for a server to answer from
// (GET /api/users/{id}/recommendations?source=batch). The ranks of a distributed job each write
// their share of the users; cli/cmd_batch.cpp orders the batch's begin, the writes and its
// completion across them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "aisle/app/requests.h"
#include "aisle/store/event_store.h"

namespace aisle {

// A model file's identity as a batch version: its CRC-32 (the file's last four bytes, which
// load_model checks) in eight hex digits. The same file gives the same version on every rank and
// every run; a model trained again gives another. Throws InputError when the file cannot be read.
std::string model_file_version(const std::string& path);

// The model's users [first, last) (dense indices) that rank `rank` of `ranks` takes: contiguous
// blocks whose sizes differ by at most one, in rank order.
struct UserRange {
  UserIdx first = 0, last = 0;
};
UserRange user_share(std::uint32_t users, int rank, int ranks);

struct BatchWritten {
  std::uint64_t users = 0, rows = 0;  // lists (users with at least one item) and rows written
};

// Recommends for the model's users in `range` as recommend_for_users does (the model's top k,
// seen items excluded unless `shared.keep_seen`, under `shared`'s filter; on the run's threads),
// and writes their lists to the begun batch `version`, `chunk` users per write_recommendations
// call (one transaction each). Users left with no item get no list. `run.progress`, when set,
// hears of the users done (stage "batch"). Throws what the store throws; the chunks written
// before stay (the batch is not complete, so nothing serves them).
BatchWritten write_batch_share(const TrainedModel& model, EventStore& store, std::string_view version, UserRange range,
                               const ItemRequest& shared, const RunContext& run, std::size_t chunk = 4096);

}  // namespace aisle

// The training data of a distributed fit (aisle train --distributed), each rank reading its part.
//
// - Files of the csv format are read in byte ranges (data/readers/file_part.h): rank r of N reads
//   the header line and the rows that start in its N-th of the file, with the same reader, checks
//   and messages as a whole read; line numbers are the file's own (the ranks' line counts are
//   exchanged first). Compressed files (gzip, zstd) cannot be entered at an offset, and the other
//   formats join several files into one log: rank 0 reads those whole (a note says so), and its
//   events are handed out like everyone's.
// - The store (--store) is queried in parts (EventStore::read_part): rank r of N reads the events
//   of the users whose store index % N == r, in read()'s order, with the store's id maps whole
//   (rank 0 also the catalog). The store's indices are a one-process read's (read() gives the
//   same maps), so no ids are merged. Each rank reads in its own snapshot: the ranks compare the
//   store's event count and id-map sizes (the store only grows, so equal means the same state)
//   and all read again, up to 3 times, when a load or append committed in between (then
//   StoreError). Every rank holds the id maps, not only rank 0.
// - Ids get the indices of a one-process read: each rank's new ids, in the order they appeared,
//   are all-gathered and interned in file order, then rank order (a row belongs to the part
//   where it starts, so that is the order of the whole file).
// - Ranks own contiguous ranges of users and of items, balanced by their events (counts are
//   all-reduced first). Each kept event goes to the owner of its user (one all-to-all), which
//   aggregates the user's pairs exactly as aggregate() does: same pairs, weights summed in the
//   events' file order, so the same bits. Each pair then goes to the owner of its item. (From
//   the store, a user's events are all in one rank's part, in read()'s order: their order keys,
//   the rank's base plus the event's place in its part, rise as in a one-process read.)
// - Rank 0 gathers every aggregated pair (the model file holds each user's history) and keeps
//   the merged id maps; the other ranks keep only their rows.
// A reading error on any rank is raised on every rank (the lowest failing rank's message and
// type), so no rank waits in a collective for one that gave up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aisle/app/training_data.h"
#include "aisle/data/interactions.h"
#include "aisle/data/pair_parts.h"
#include "aisle/dist/communicator.h"

namespace aisle {

struct DistributedData {
  PairParts parts;  // this rank's rows of both sides
  // On rank 0 only (empty elsewhere): every user's pairs and the id maps, equal to
  // pairs_of(load_events(...)) and its log's maps on one process.
  Interactions all_pairs;
  IdMap users, items;
  Catalog catalog;  // empty: catalog columns are not read in parts
  std::string description;
  Timestamp read_at = 0;
  std::uint64_t rejected_rows = 0;                // all ranks'
  std::vector<std::uint64_t> rank_bytes;          // per rank: bytes of input it read (store: its events' in memory)
  std::vector<std::string> notes;                 // what was not read in parts, and why
  double read_seconds = 0, exchange_seconds = 0;  // this rank's: reading its part; ids and pairs to owners
};

// Collective: every rank of `comm` calls it with the same arguments. Throws like load_events
// (InputError with file:line, ConfigError, StoreError) on every rank; ConfigError when files
// carry catalog columns (name, category, ...), which are not merged across ranks.
DistributedData load_distributed(dist::Communicator& comm, const DataSource& source, const Config& config,
                                 const ReadOptions& options);

// Splits rows weighted by `counts` (one per row) into `parts` contiguous ranges of about equal
// count + 1 per row; parts + 1 bounds.
std::vector<std::uint32_t> balanced_bounds(const std::vector<double>& counts, int parts);

}  // namespace aisle

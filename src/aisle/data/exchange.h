// The exchange format of docs EVALUATION.md section 6, so that aisle and any other system can be
// run on identical data: `user,item,weight,timestamp`, one line per user-item pair, ids as the
// source wrote them (RFC 4180 quoting where needed), weight = the pair's aggregated weight,
// timestamp = its last event in UTC seconds (empty when unknown, i.e. 0). The csv reader reads
// it back without any column mapping.
#pragma once

#include <cstdint>
#include <string>

#include "aisle/data/event_log.h"
#include "aisle/data/id_map.h"
#include "aisle/data/interactions.h"
#include "aisle/data/readers/reader.h"

namespace aisle {

struct ExchangeCounts {
  std::uint64_t written = 0;
  std::uint64_t dropped = 0;  // pairs with weight <= 0 (events that cancel out), left out
};

// Writes the pairs with a positive weight, by user then item. `path` "-" is standard output;
// a file is written beside its final name and renamed into place. Throws InputError when it
// cannot be written.
ExchangeCounts write_exchange_csv(const std::string& path, const Interactions& pairs, const IdMap& users,
                                  const IdMap& items);

// A split given as two files (`aisle evaluate --train F --test F`): the training file's log (id
// maps, catalog) and pairs, and the test file's pairs in the same index space; test ids the
// training file lacks get indices past the end of its maps. `test` may be empty (no test pairs).
// Weights come from options.weighting. The read is strict: a rejected row fails it, naming its
// file and line, since an evaluation on part of the data would be a silent partial result.
struct ExchangeSplit {
  EventLog train;
  Interactions train_pairs, test_pairs;
  std::size_t test_events = 0;
};
ExchangeSplit read_exchange_split(std::string_view format, const std::string& train, const std::string& test,
                                  ReadOptions options);

}  // namespace aisle

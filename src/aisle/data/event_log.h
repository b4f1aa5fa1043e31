// EventLog: what a reader produces and a store holds. Events plus the id maps their indices refer
// to and the catalog. Event types are an IdMap of canonical type names (see weighting.h); their
// weights are not part of the log but of a Weighting, applied when pairs are aggregated.
#pragma once

#include <vector>

#include "aisle/data/catalog.h"
#include "aisle/data/event.h"
#include "aisle/data/id_map.h"

namespace aisle {

struct EventLog {
  IdMap users;
  IdMap items;
  IdMap sessions;
  IdMap event_types;
  std::vector<Event> events;
  Catalog catalog;

  // Sorts events into canonical_less order (stable: equal keys keep their input order).
  void sort_canonical();
};

}  // namespace aisle

// A recommendation request in dense indices: who it is for (Query), what may come back
// (Filter) and how many (k). Each request of a batch carries its own filter and k, so a server
// can batch requests from different pages. External ids are translated in app/requests.h.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "aisle/core/types.h"

namespace aisle {

// A known user, an anonymous history (items with optional times, newest last), or both (the
// history is added to the user's training history).
struct Query {
  UserIdx user = kNoIndex;
  std::vector<ItemIdx> items;
  std::vector<Timestamp> times;  // empty, or one per item
  // The items are the clicks of one visit, in order (the next-item protocol, the session
  // endpoint): a route answers such a query with its session member.
  bool session = false;
};

// Applied while selecting the top k, so k items come back whenever k items are eligible.
struct Filter {
  bool exclude_seen = true;                          // the query's history (training + given)
  std::vector<ItemIdx> exclude;                      // never these
  std::optional<std::vector<ItemIdx>> include_only;  // only these (when set)
  std::vector<CategoryIdx> categories;               // only items in one of these or below them
  bool available_only = false;                       // drop items the catalog marks unavailable
  friend bool operator==(const Filter&, const Filter&) = default;
};

struct Request {
  Query query;
  Filter filter;
  std::size_t k = 10;  // 1..kMaxK where it comes from outside (parse_k)
};

}  // namespace aisle

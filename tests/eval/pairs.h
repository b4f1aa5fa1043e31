// Pairs written out by hand for the evaluation tests.
#pragma once

#include <algorithm>
#include <tuple>
#include <vector>

#include "aisle/data/interactions.h"

namespace aisle::test {

struct P {
  UserIdx user;
  ItemIdx item;
  float weight;
  Timestamp time;
};

// One pair per (user, item) as listed; rows sorted by user, items ascending within a user.
inline Interactions pairs_of(std::vector<P> rows, std::uint32_t users, std::uint32_t items) {
  std::sort(rows.begin(), rows.end(),
            [](const P& a, const P& b) { return std::tie(a.user, a.item) < std::tie(b.user, b.item); });
  Interactions out;
  out.num_users = users;
  out.num_items = items;
  out.row_ptr.assign(users + 1, 0);
  for (const P& r : rows) {
    out.item.push_back(r.item);
    out.weight.push_back(r.weight);
    out.last_time.push_back(r.time);
    out.count.push_back(1);
    ++out.row_ptr[r.user + 1];
  }
  for (std::uint32_t u = 0; u < users; ++u) out.row_ptr[u + 1] += out.row_ptr[u];
  return out;
}

}  // namespace aisle::test

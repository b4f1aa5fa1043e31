#include "aisle/models/history.h"

#include <algorithm>

namespace aisle {

History History::from_pairs(const Interactions& pairs) {
  History h;
  h.row_ptr.reserve(pairs.num_users + 1);
  const auto kept = static_cast<std::size_t>(
      std::count_if(pairs.weight.begin(), pairs.weight.end(), [](float w) { return w > 0.0f; }));
  h.item.reserve(kept);
  h.weight.reserve(kept);
  h.last_time.reserve(kept);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) continue;
      h.item.push_back(pairs.item[p]);
      h.weight.push_back(pairs.weight[p]);
      h.last_time.push_back(pairs.last_time[p]);
    }
    h.row_ptr.push_back(h.item.size());
  }
  return h;
}

void History::save(BinaryWriter& out) const {
  out.put_vector(row_ptr);
  out.put_vector(item);
  out.put_vector(weight);
  out.put_vector(last_time);
}

void History::load(BinaryReader& in, std::uint32_t num_items) {
  row_ptr = in.get_vector<std::uint64_t>("history offsets");
  item = in.get_vector<ItemIdx>("history items");
  weight = in.get_vector<float>("history weights");
  last_time = in.get_vector<Timestamp>("history times");
  if (row_ptr.empty() || weight.size() != item.size() || last_time.size() != item.size()) {
    in.fail("history", "sizes do not match");
  }
  in.check_offsets(row_ptr, row_ptr.size() - 1, item.size(), "history offsets");
  for (ItemIdx i : item) {
    if (i >= num_items) in.fail("history items", "item index out of range");
  }
}

}  // namespace aisle

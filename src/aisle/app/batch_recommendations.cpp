#include "aisle/app/batch_recommendations.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>

#include "aisle/core/error.h"

namespace aisle {

std::string model_file_version(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(path + ": cannot open the model file");
  if (in.tellg() < 4) throw InputError(path + ": not a model file (shorter than its checksum)");
  in.seekg(-4, std::ios::end);
  std::array<unsigned char, 4> crc{};
  if (!in.read(reinterpret_cast<char*>(crc.data()), crc.size())) throw InputError(path + ": cannot read the checksum");
  char text[9];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x", crc[3], crc[2], crc[1], crc[0]);  // little-endian u32
  return text;
}

UserRange user_share(std::uint32_t users, int rank, int ranks) {
  AISLE_CHECK(ranks > 0 && rank >= 0 && rank < ranks);
  const auto at = [&](int r) {
    return static_cast<UserIdx>(std::uint64_t{users} * static_cast<std::uint64_t>(r) /
                                static_cast<std::uint64_t>(ranks));
  };
  return {at(rank), at(rank + 1)};
}

BatchWritten write_batch_share(const TrainedModel& model, EventStore& store, std::string_view version, UserRange range,
                               const ItemRequest& shared, const RunContext& run, std::size_t chunk) {
  AISLE_CHECK(chunk > 0 && range.first <= range.last && range.last <= model.users().size());
  BatchWritten written;
  std::vector<std::string> users;
  std::vector<UserRecommendations> lists;
  for (UserIdx first = range.first; first < range.last;) {
    const UserIdx last = static_cast<UserIdx>(std::min<std::uint64_t>(range.last, std::uint64_t{first} + chunk));
    users.clear();
    for (UserIdx u = first; u < last; ++u) users.emplace_back(model.users().name(u));
    const std::vector<Answer> answers = recommend_for_users(model, users, shared, run);
    lists.clear();
    for (std::size_t k = 0; k < answers.size(); ++k) {
      if (answers[k].items.empty()) continue;
      UserRecommendations& list = lists.emplace_back(UserRecommendations{std::move(users[k]), {}});
      list.items.reserve(answers[k].items.size());
      for (const ItemRow& row : answers[k].items) list.items.push_back({row.item_id, row.score});
      written.rows += list.items.size();
    }
    store.write_recommendations(version, lists);
    written.users += lists.size();
    if (run.progress != nullptr) run.progress->update("batch", last - range.first, 0, 0);
    first = last;
  }
  return written;
}

}  // namespace aisle

#include "aisle/data/id_map.h"

#include <functional>

namespace aisle {

namespace {
std::uint32_t hash_key(std::string_view key) {
  const std::size_t h = std::hash<std::string_view>{}(key);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}
}  // namespace

std::uint32_t IdMap::find(std::string_view key) const {
  if (slots_.empty()) return kNoIndex;
  const std::uint32_t h = hash_key(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
    const std::uint32_t idx = slots_[pos];
    if (idx == kNoIndex) return kNoIndex;
    if (hashes_[idx] == h && name(idx) == key) return idx;
  }
}

std::uint32_t IdMap::intern(std::string_view key) {
  // Keep the load factor at or below 1/2.
  if ((size() + 1) * 2 > slots_.size()) grow();
  const std::uint32_t h = hash_key(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t pos = h & mask;
  for (;; pos = (pos + 1) & mask) {
    const std::uint32_t idx = slots_[pos];
    if (idx == kNoIndex) break;
    if (hashes_[idx] == h && name(idx) == key) return idx;
  }
  const std::uint32_t idx = size();
  slots_[pos] = idx;
  hashes_.push_back(h);
  arena_.append(key);
  offsets_.push_back(arena_.size());
  return idx;
}

void IdMap::reserve(std::size_t keys, std::size_t bytes) {
  arena_.reserve(bytes);
  offsets_.reserve(keys + 1);
  hashes_.reserve(keys);
  while (slots_.size() < keys * 2) grow();
}

void IdMap::grow() {
  const std::size_t capacity = slots_.empty() ? 64 : slots_.size() * 2;
  slots_.assign(capacity, kNoIndex);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t idx = 0; idx < size(); ++idx) {
    std::size_t pos = hashes_[idx] & mask;
    while (slots_[pos] != kNoIndex) pos = (pos + 1) & mask;
    slots_[pos] = idx;
  }
}

}  // namespace aisle

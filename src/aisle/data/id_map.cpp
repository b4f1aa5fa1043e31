#include "aisle/data/id_map.h"

#include <cstring>
#include <functional>

namespace aisle {

namespace {
constexpr std::size_t kInlineMax = 7;
}  // namespace

IdMap::Slot IdMap::probe_key(std::string_view key) const {
  const std::size_t h = std::hash<std::string_view>{}(key);
  Slot s{0, static_cast<std::uint32_t>(h ^ (h >> 32)) & ~1u, kNoIndex};
  if (key.size() <= kInlineMax) {
    std::memcpy(&s.inline_key, key.data(), key.size());
    s.inline_key |= std::uint64_t{key.size()} << 56;
    s.tag |= 1u;
  }
  return s;
}

// The position of the slot holding key, or of the free slot where it belongs.
std::size_t IdMap::find_slot(const Slot& wanted, std::string_view key) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t pos = wanted.tag & mask;; pos = (pos + 1) & mask) {
    const Slot& s = slots_[pos];
    if (s.index == kNoIndex) return pos;
    if (s.tag != wanted.tag) continue;
    if ((wanted.tag & 1u) != 0 ? s.inline_key == wanted.inline_key : name(s.index) == key) return pos;
  }
}

std::uint32_t IdMap::find(std::string_view key) const {
  if (slots_.empty()) return kNoIndex;
  return slots_[find_slot(probe_key(key), key)].index;
}

void IdMap::prefetch(std::string_view key) const {
  if (slots_.empty()) return;
  __builtin_prefetch(&slots_[probe_key(key).tag & (slots_.size() - 1)]);
}

std::uint32_t IdMap::intern(std::string_view key) {
  if ((static_cast<std::size_t>(size()) + 1) * 2 > slots_.size()) grow();
  Slot wanted = probe_key(key);
  Slot& s = slots_[find_slot(wanted, key)];
  if (s.index != kNoIndex) return s.index;
  wanted.index = size();
  s = wanted;
  arena_.append(key);
  offsets_.push_back(arena_.size());
  return wanted.index;
}

void IdMap::grow() {
  std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 64 : slots_.size() * 2, Slot{0, 0, kNoIndex});
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.index == kNoIndex) continue;
    std::size_t pos = s.tag & mask;
    while (slots_[pos].index != kNoIndex) pos = (pos + 1) & mask;
    slots_[pos] = s;
  }
}

}  // namespace aisle

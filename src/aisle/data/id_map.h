// IdMap: external string ids <-> dense uint32 indices, in order of first appearance, so the same
// data gives the same indices on every run. Keys live in one arena (no allocation per key) and
// are found through an open-addressing table of 16-byte slots. A key of up to 7 bytes (most
// user and item ids) is stored whole in its slot, so finding it costs one cache miss; a longer
// key is compared with the arena only when its hash agrees. ~40 bytes per key plus its text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/core/huge_pages.h"
#include "aisle/core/types.h"

namespace aisle {

class IdMap {
 public:
  // The index of key, adding it when new. Invalidates string_views returned by name().
  std::uint32_t intern(std::string_view key);
  // The index of key, or kNoIndex.
  std::uint32_t find(std::string_view key) const;
  // Starts loading the table slot where key's probe begins into the cache (a hint only).
  void prefetch(std::string_view key) const;
  // The external id of idx (idx < size()). Valid until the next intern().
  std::string_view name(std::uint32_t idx) const {
    return {arena_.data() + offsets_[idx], offsets_[idx + 1] - offsets_[idx]};
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  bool empty() const { return size() == 0; }

  friend bool operator==(const IdMap& a, const IdMap& b) { return a.arena_ == b.arena_ && a.offsets_ == b.offsets_; }

 private:
  void grow();

  std::string arena_;
  std::vector<std::uint64_t> offsets_{0};  // key i is arena_[offsets_[i], offsets_[i+1])
  struct Slot {
    std::uint64_t inline_key;  // short keys: bytes, zero padding, length in the last byte
    std::uint32_t tag;         // hash with its lowest bit set for a short (inline) key
    std::uint32_t index;       // kNoIndex when the slot is free
  };
  Slot probe_key(std::string_view key) const;
  std::size_t find_slot(const Slot& wanted, std::string_view key) const;

  std::vector<Slot, HugePageAllocator<Slot>> slots_;  // power-of-two size, at most half full
};

}  // namespace aisle

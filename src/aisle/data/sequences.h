// Order and sessions: the events of a log as time-ordered sequences, one per session, in one
// CSR-like structure. What session and sequence models train on and what the next-item protocol
// walks through; pairs (interactions.h) lose the order, this keeps it.
//
// Layout: sequence s holds positions [offsets[s], offsets[s + 1]) of `items`, `times` and
// `types`, oldest first; `users[s]` is the user of every event in it. Repeated events are kept
// (a click on the same item twice is two positions). Immutable once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aisle/data/event_log.h"
#include "aisle/data/interactions.h"

namespace aisle {

struct Sequences {
  std::vector<std::uint64_t> offsets{0};
  std::vector<ItemIdx> items;
  std::vector<Timestamp> times;
  std::vector<EventTypeIdx> types;
  std::vector<UserIdx> users;  // one per sequence

  std::size_t size() const { return offsets.size() - 1; }
  std::size_t length(std::size_t s) const { return offsets[s + 1] - offsets[s]; }
  std::span<const ItemIdx> items_of(std::size_t s) const {
    return {items.data() + offsets[s], items.data() + offsets[s + 1]};
  }
  std::span<const Timestamp> times_of(std::size_t s) const {
    return {times.data() + offsets[s], times.data() + offsets[s + 1]};
  }
};

struct SequenceOptions {
  // A user's events further apart than this start a new session, for events without a session
  // id in the log. 0: one sequence per user (no gap splits).
  std::int64_t session_gap_seconds = 30 * 60;
  // Events of the log's session ids form one sequence per (user, session id); false: the gap
  // alone decides, ids ignored.
  bool use_session_ids = true;
  // Events with equal timestamps within a sequence are put in an order drawn from this seed
  // (EVALUATION.md s. 2: never by id, which leaks sibling products).
  std::uint64_t seed = 42;
  // Equal timestamps keep the log's order instead: for a source known to be ordered more finely
  // than seconds (session-rec's files have fractional times, sorted within each session).
  bool ties_in_log_order = false;
};

// The log's events as sequences: sequences ordered by their first event's time (then user),
// events by time. O(events log events).
Sequences build_sequences(const EventLog& log, const SequenceOptions& options = {});

// `sequences` without the events of `held_out`'s pairs: a position whose (user, item) is a pair
// of held_out is left out, and a sequence left empty is dropped; the others keep their order.
// What a model fitted on the training side of a pair split (eval/split.h) may see of the order:
// a held-out pair loses every event of it, as its aggregate does. held_out is indexed like the
// sequences (users and items of the same id maps). O(positions log pairs per user).
Sequences without_pairs(const Sequences& sequences, const Interactions& held_out);

// Each user's pairs as one sequence ordered by the pair's last time (equal times in a seeded
// order): the order a model can still see when it only has pairs.
Sequences sequences_from_pairs(const Interactions& pairs, std::uint64_t seed = 42);

}  // namespace aisle

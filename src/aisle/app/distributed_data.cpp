#include "aisle/app/distributed_data.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <numeric>
#include <span>
#include <tuple>

#include "aisle/core/error.h"
#include "aisle/core/huge_pages.h"
#include "aisle/data/readers/file_part.h"
#include "aisle/data/readers/reader.h"
#include "aisle/store/event_store.h"

namespace aisle {

namespace {

using dist::Communicator;

// Runs `step` on this rank, then agrees with the others: when any rank failed, every rank throws
// the error of the lowest failing rank, with its type (so its exit code).
template <class Step>
void on_all_ranks(Communicator& comm, Step&& step) {
  std::string failure;  // kind letter, then the message
  try {
    step();
  } catch (const InputError& e) {
    failure = std::string("I") + e.what();
  } catch (const ConfigError& e) {
    failure = std::string("C") + e.what();
  } catch (const StoreError& e) {
    failure = std::string("S") + e.what();
  } catch (const std::exception& e) {
    failure = std::string("E") + e.what();
  }
  std::vector<std::size_t> counts;
  const std::vector<std::byte> all = dist::all_gather_bytes(comm, std::as_bytes(std::span(failure)), counts);
  std::size_t at = 0;
  for (const std::size_t n : counts) {
    if (n == 0) continue;
    const std::string text(reinterpret_cast<const char*>(all.data()) + at, n);
    switch (text[0]) {
      case 'I':
        throw InputError(text.substr(1));
      case 'C':
        throw ConfigError(text.substr(1));
      case 'S':
        throw StoreError(text.substr(1));
      default:
        throw Error(text.substr(1));
    }
  }
}

template <class T>
std::vector<T> all_gather_values(Communicator& comm, const std::vector<T>& mine) {
  std::vector<std::size_t> counts;
  const std::vector<std::byte> all = dist::all_gather_bytes(comm, std::as_bytes(std::span(mine)), counts);
  std::vector<T> out(all.size() / sizeof(T));
  if (!all.empty()) std::memcpy(out.data(), all.data(), all.size());
  return out;
}

// Sends record make(k) to rank dest(k) for k in [0, n) (dest < 0: nowhere); returns what every
// rank sent here, in rank order, each rank's records in its k order.
template <class T, class Dest, class Make>
std::vector<T> route(Communicator& comm, std::size_t n, Dest dest, Make make) {
  const auto ranks = static_cast<std::size_t>(comm.size());
  std::vector<std::size_t> start(ranks + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const int d = dest(k);
    if (d >= 0) ++start[static_cast<std::size_t>(d) + 1];
  }
  for (std::size_t r = 0; r < ranks; ++r) start[r + 1] += start[r];
  // The record buffers are large and filled at once: huge pages spare most of their page faults.
  std::vector<T> send;
  resize_on_huge_pages(send, start[ranks]);
  std::vector<std::size_t> cursor(start.begin(), start.end() - 1), counts(ranks);
  for (std::size_t k = 0; k < n; ++k) {
    const int d = dest(k);
    if (d >= 0) send[cursor[static_cast<std::size_t>(d)]++] = make(k);
  }
  for (std::size_t r = 0; r < ranks; ++r) counts[r] = (start[r + 1] - start[r]) * sizeof(T);
  const std::vector<std::size_t> recv_counts = dist::exchange_counts(comm, counts);
  std::size_t total = 0;
  for (const std::size_t bytes : recv_counts) total += bytes;
  std::vector<T> out;
  resize_on_huge_pages(out, total / sizeof(T));
  comm.all_to_all(std::as_bytes(std::span(send)), counts, recv_counts, std::as_writable_bytes(std::span(out)));
  return out;
}

int owner_of(const std::vector<std::uint32_t>& bounds, std::uint32_t row) {
  return static_cast<int>(std::upper_bound(bounds.begin() + 1, bounds.end(), row) - (bounds.begin() + 1));
}

// What this rank read: its log, and where each block (a file, or everything rank 0 read whole)
// ends in it: events, users and items after the block (cumulative).
struct LocalRead {
  EventLog log;
  std::vector<std::uint64_t> events_after, users_after, items_after;
  std::vector<double> kept;  // rows kept per block
  std::uint64_t rejected = 0, bytes = 0;
  // A part of the store: every rank's log holds the store's id maps whole, so its indices are
  // already the global ones (no merge_ids).
  bool global_ids = false;
  void end_block(std::uint64_t rows_kept) {
    events_after.push_back(log.events.size());
    users_after.push_back(log.users.size());
    items_after.push_back(log.items.size());
    kept.push_back(static_cast<double>(rows_kept));
  }
};

// Plain csv files in parts; compressed ones whole on rank 0.
void read_csv_parts(Communicator& comm, const DataSource& source, const ReadOptions& options, LocalRead& read,
                    std::vector<std::string>& notes) {
  const std::size_t files = source.events.size();
  const int me = comm.rank(), ranks = comm.size();
  std::vector<FilePart> parts(files);
  std::vector<std::uint64_t> split(files, 0), lines(files, 0);
  on_all_ranks(comm, [&] {
    for (std::size_t f = 0; f < files; ++f) {
      split[f] = can_read_in_parts(source.events[f]) ? 1 : 0;
      if (split[f] == 0) continue;
      parts[f] = plan_part(source.events[f], me, ranks);
      lines[f] = count_lines(parts[f]);
    }
  });
  // Rows of a part are numbered after the lines of the parts before it.
  const std::vector<std::uint64_t> all_lines = all_gather_values(comm, lines);
  for (std::size_t f = 0; f < files; ++f) {
    for (int r = 0; r < me; ++r) parts[f].first_line += all_lines[static_cast<std::size_t>(r) * files + f];
    if (split[f] == 0) {
      notes.push_back(source.events[f] +
                      ": compressed, so rank 0 reads it whole (a compressed stream cannot be entered at a byte "
                      "offset; decompress it to have every rank read a part)");
    }
  }
  on_all_ranks(comm, [&] {
    for (std::size_t f = 0; f < files; ++f) {
      if (split[f] == 0 && me != 0) {
        read.end_block(0);
        continue;
      }
      ReadOptions o = options;
      o.allow_empty = true;  // a part may hold no row: the file is checked as a whole below
      o.part = split[f] != 0 ? &parts[f] : nullptr;
      const ReadReport report = read_files(source.format, std::span(&source.events[f], 1), o, read.log);
      read.rejected += report.issues.rejected_rows();
      read.bytes += split[f] != 0 ? parts[f].header_end + (parts[f].end - parts[f].begin) : report.bytes_read;
      read.end_block(report.rows_kept);
    }
    if (read.log.catalog.num_categories() > 0 || read.log.catalog.num_described_items() > 0) {
      throw ConfigError(
          "--distributed reads csv files in parts, whose catalog columns (name, category, brand, "
          "price, ...) are not merged across ranks: train on the events' columns alone");
    }
  });
}

// The store in parts (EventStore::read_part): rank r of N reads the events of the users whose
// index % N == r, with the store's id maps; rank 0 also its catalog. Each rank reads in its own
// snapshot, so the ranks check that they read one state of the store (the same number of
// events and of ids: the store only grows) and read again, up to 3 times, when a load or append
// committed between their reads.
void read_store_parts(Communicator& comm, const std::string& url, LocalRead& read, Catalog& catalog) {
  const auto me = static_cast<std::uint32_t>(comm.rank()), ranks = static_cast<std::uint32_t>(comm.size());
  constexpr int kTries = 3;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::uint64_t> state(3, 0);
    on_all_ranks(comm, [&] {
      StorePart part = open_store(url, OpenMode::kExisting)->read_part(me, ranks, me == 0);
      read.log = std::move(part.log);
      state = {part.events_stored, read.log.users.size(), read.log.items.size()};
    });
    const std::vector<std::uint64_t> all = all_gather_values(comm, state);
    bool same = true;  // every rank's state is rank 0's
    for (std::size_t k = state.size(); k < all.size(); ++k) same = same && all[k] == all[k % state.size()];
    if (same) break;
    if (attempt == kTries) {
      throw StoreError(url + ": the store changed while the ranks read their parts (a load or append committed " +
                       "between their reads), " + std::to_string(kTries) + " times; train again when it is quiet");
    }
  }
  read.bytes = read.log.events.size() * sizeof(Event);  // no file: its events as held here
  read.end_block(read.log.events.size());
  read.global_ids = true;
  if (me == 0) catalog = std::move(read.log.catalog);
}

// The ids of every rank in one map, in the order of a one-process read: block by block, each
// block's ids rank by rank, each rank's in its own order. Returns the global index of each of
// this rank's ids.
std::vector<std::uint32_t> merge_ids(Communicator& comm, const IdMap& local, const std::vector<std::uint64_t>& after,
                                     IdMap& merged) {
  std::string names;
  for (std::uint32_t i = 0; i < local.size(); ++i) {
    const std::string_view name = local.name(i);
    const auto length = static_cast<std::uint32_t>(name.size());
    names.append(reinterpret_cast<const char*>(&length), sizeof length).append(name);
  }
  std::vector<std::size_t> counts;
  const std::vector<std::byte> all = dist::all_gather_bytes(comm, std::as_bytes(std::span(names)), counts);
  std::string().swap(names);
  const std::vector<std::uint64_t> all_after = all_gather_values(comm, after);
  const auto ranks = static_cast<std::size_t>(comm.size()), me = static_cast<std::size_t>(comm.rank());
  const std::size_t blocks = after.size();
  // Each rank's names, in its index order.
  std::vector<std::vector<std::string_view>> by_rank(ranks);
  std::size_t at = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    const char* bytes = reinterpret_cast<const char*>(all.data()) + at;
    for (std::size_t p = 0; p < counts[r];) {
      std::uint32_t length = 0;
      std::memcpy(&length, bytes + p, sizeof length);
      by_rank[r].emplace_back(bytes + p + sizeof length, length);
      p += sizeof length + length;
    }
    at += counts[r];
  }
  std::vector<std::uint32_t> global(local.size());
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = 0; r < ranks; ++r) {
      const std::uint64_t first = b == 0 ? 0 : all_after[r * blocks + b - 1], end = all_after[r * blocks + b];
      for (std::uint64_t i = first; i < end; ++i) {
        const std::uint32_t g = merged.intern(by_rank[r][i]);
        if (r == me) global[i] = g;
      }
    }
  }
  return global;
}

struct EventRecord {    // an event on its way to its user's owner
  std::uint64_t order;  // its index in a one-process read
  Timestamp time;
  std::uint32_t user, item;
  float weight;
  std::uint32_t unused;
};
struct PairRecord {  // an aggregated pair on its way to its item's owner
  std::uint32_t user, item;
  float weight;
};
struct FullPairRecord {  // an aggregated pair on its way to rank 0
  Timestamp last_time;
  std::uint32_t user, item;
  float weight;
  std::uint32_t count;
};

}  // namespace

std::vector<std::uint32_t> balanced_bounds(const std::vector<double>& counts, int parts) {
  double total = 0;
  for (const double c : counts) total += c + 1;
  std::vector<std::uint32_t> bounds{0};
  std::size_t row = 0;
  double done = 0;
  for (int p = 1; p < parts; ++p) {
    const double target = total * p / parts;
    while (row < counts.size() && done < target) done += counts[row++] + 1;
    bounds.push_back(static_cast<std::uint32_t>(row));
  }
  bounds.push_back(static_cast<std::uint32_t>(counts.size()));
  return bounds;
}

namespace {

// Reads this rank's part of the source (see the header), then checks the input as a whole: a
// file no rank kept a row of, no events at all. Sets out's description, notes, catalog, counts.
LocalRead read_local(Communicator& comm, const DataSource& source, const Config& config, const ReadOptions& options,
                     DistributedData& out) {
  if (!source.events.empty() && !source.store.empty()) throw ConfigError("give --store or --events, not both");
  const bool csv_parts = !source.events.empty() && source.format == "csv";
  for (const std::string& f : source.events) out.description += (out.description.empty() ? "" : " ") + f;
  if (source.events.empty()) out.description = store_url(source.store, config);
  LocalRead read;
  if (csv_parts) {
    read_csv_parts(comm, source, options, read, out.notes);
  } else if (source.events.empty()) {
    read_store_parts(comm, out.description, read, out.catalog);
  } else {
    out.notes.push_back(out.description + ": rank 0 reads it whole (only the csv format is read in parts)");
    on_all_ranks(comm, [&] {
      if (comm.rank() != 0) return;
      LoadedEvents loaded = load_events(source, config, options);
      read.log = std::move(loaded.log);
      read.rejected = loaded.rejected_rows;
    });
    read.end_block(read.log.events.size());
    if (comm.rank() == 0) out.catalog = std::move(read.log.catalog);
  }
  std::vector<double> totals = read.kept;
  totals.push_back(static_cast<double>(read.rejected));
  totals.push_back(static_cast<double>(read.log.events.size()));
  dist::all_reduce_sum(comm, totals);
  out.rejected_rows = static_cast<std::uint64_t>(totals[totals.size() - 2]);
  if (csv_parts && !options.allow_empty) {
    for (std::size_t f = 0; f < source.events.size(); ++f) {
      if (totals[f] == 0) {
        throw InputError(source.events[f] + ": nothing to load: no row kept (aisle ingest shows why); pass " +
                         "--allow-empty to accept it");
      }
    }
  }
  if (totals.back() == 0) throw InputError("no interactions in " + out.description);
  out.rank_bytes = all_gather_values(comm, std::vector<std::uint64_t>{read.bytes});
  return read;
}

// Where this rank's events stand in a one-process read (the blocks in order, each block's events
// rank by rank): its event k of block b is event order_base[b] + k there.
std::vector<std::uint64_t> order_bases(Communicator& comm, const std::vector<std::uint64_t>& events_after) {
  const std::vector<std::uint64_t> after = all_gather_values(comm, events_after);
  const std::size_t blocks = events_after.size(), ranks = static_cast<std::size_t>(comm.size());
  std::vector<std::uint64_t> base(blocks);
  std::uint64_t at = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = 0; r < ranks; ++r) {
      if (r == static_cast<std::size_t>(comm.rank())) base[b] = at - (b == 0 ? 0 : events_after[b - 1]);
      at += after[r * blocks + b] - (b == 0 ? 0 : after[r * blocks + b - 1]);
    }
  }
  return base;
}

// Records grouped by row (row(x) in [first, end)) by a counting sort, each row then sorted by
// `less`: O(n) plus a sort per row (rows are short; one sort of everything was most of the time).
// Returns the records and the row bounds (end - first + 1 entries).
template <class T, class Row, class Less>
std::vector<std::uint64_t> group_rows(std::vector<T>& records, std::uint32_t first, std::uint32_t end, Row row,
                                      Less less) {
  std::vector<std::uint64_t> start(static_cast<std::size_t>(end - first) + 1, 0);
  for (const T& x : records) {
    AISLE_CHECK(row(x) >= first && row(x) < end);
    ++start[row(x) - first + 1];
  }
  for (std::size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  std::vector<T> grouped;
  resize_on_huge_pages(grouped, records.size());
  std::vector<std::uint64_t> cursor(start.begin(), start.end() - 1);
  for (const T& x : records) grouped[cursor[row(x) - first]++] = x;
  records.swap(grouped);
  for (std::size_t r = 0; r + 1 < start.size(); ++r) {
    std::sort(records.begin() + static_cast<std::ptrdiff_t>(start[r]),
              records.begin() + static_cast<std::ptrdiff_t>(start[r + 1]), less);
  }
  return start;
}

// Users [users.first, end) from the events routed here, as aggregate() makes them: per user by
// item, each pair's weights summed from 0 in the events' one-process order. last_times and counts
// get each pair's last time and number of events.
void aggregate_users(std::vector<EventRecord>& events, std::uint32_t end, RowPart& users,
                     std::vector<Timestamp>& last_times, std::vector<std::uint32_t>& counts) {
  const std::vector<std::uint64_t> start = group_rows(
      events, users.first, end, [](const EventRecord& e) { return e.user; },
      [](const EventRecord& a, const EventRecord& b) { return std::tie(a.item, a.order) < std::tie(b.item, b.order); });
  for (std::size_t r = 0; r + 1 < start.size(); ++r) {
    for (std::uint64_t k = start[r]; k < start[r + 1];) {
      const std::uint32_t item = events[k].item;
      float w = 0.0f;
      Timestamp last = events[k].time;
      std::uint32_t n = 0;
      for (; k < start[r + 1] && events[k].item == item; ++k, ++n) {
        w += events[k].weight;
        last = std::max(last, events[k].time);
      }
      users.col.push_back(item);
      users.weight.push_back(w);
      last_times.push_back(last);
      counts.push_back(n);
    }
    users.row_ptr.push_back(users.col.size());
  }
}

// Items [items.first, end) from the pairs routed here: users ascend in a row.
void item_rows(std::vector<PairRecord>& pairs, std::uint32_t end, RowPart& items) {
  const std::vector<std::uint64_t> start = group_rows(
      pairs, items.first, end, [](const PairRecord& p) { return p.item; },
      [](const PairRecord& a, const PairRecord& b) { return a.user < b.user; });
  items.col.reserve(pairs.size());
  items.weight.reserve(pairs.size());
  for (const PairRecord& p : pairs) {
    items.col.push_back(p.user);
    items.weight.push_back(p.weight);
  }
  items.row_ptr.assign(start.begin(), start.end());
}

// The pairs gathered at rank 0, which arrive in user order (user ranges ascend with the ranks).
Interactions interactions_of(const std::vector<FullPairRecord>& pairs, std::uint32_t num_users,
                             std::uint32_t num_items) {
  Interactions all;
  all.num_users = num_users;
  all.num_items = num_items;
  all.row_ptr.assign(static_cast<std::size_t>(num_users) + 1, 0);
  all.item.reserve(pairs.size());
  all.weight.reserve(pairs.size());
  all.last_time.reserve(pairs.size());
  all.count.reserve(pairs.size());
  for (const FullPairRecord& p : pairs) {
    ++all.row_ptr[p.user + 1];
    all.item.push_back(p.item);
    all.weight.push_back(p.weight);
    all.last_time.push_back(p.last_time);
    all.count.push_back(p.count);
  }
  for (std::uint32_t u = 0; u < num_users; ++u) all.row_ptr[u + 1] += all.row_ptr[u];
  return all;
}

}  // namespace

DistributedData load_distributed(Communicator& comm, const DataSource& source, const Config& config,
                                 const ReadOptions& options) {
  DistributedData out;
  out.read_at = static_cast<Timestamp>(std::time(nullptr));
  const auto me = static_cast<std::size_t>(comm.rank());
  const auto start = std::chrono::steady_clock::now();
  const auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  LocalRead read = read_local(comm, source, config, options, out);
  out.read_seconds = seconds_since(start);

  // Ids, in the order of a one-process read; rank 0 alone keeps the maps.
  std::vector<std::uint32_t> user_of, item_of;
  if (read.global_ids) {
    user_of.resize(read.log.users.size());
    item_of.resize(read.log.items.size());
    std::iota(user_of.begin(), user_of.end(), 0u);
    std::iota(item_of.begin(), item_of.end(), 0u);
    out.users = std::move(read.log.users);
    out.items = std::move(read.log.items);
  } else {
    user_of = merge_ids(comm, read.log.users, read.users_after, out.users);
    item_of = merge_ids(comm, read.log.items, read.items_after, out.items);
  }
  PairParts& parts = out.parts;
  parts.num_users = out.users.size();
  parts.num_items = out.items.size();
  if (me != 0) out.users = IdMap(), out.items = IdMap();

  // Owners, balanced by events.
  const std::vector<TypeWeight> rules = config.weighting.resolve(read.log.event_types);
  const std::vector<Event>& events = read.log.events;
  {
    std::vector<double> counts(static_cast<std::size_t>(parts.num_users) + parts.num_items, 0.0);
    for (const Event& e : events) {
      if (ignored_event(e, rules)) continue;
      counts[user_of[e.user]] += 1;
      counts[parts.num_users + item_of[e.item]] += 1;
    }
    dist::all_reduce_sum(comm, counts);
    parts.user_bounds = balanced_bounds({counts.begin(), counts.begin() + parts.num_users}, comm.size());
    parts.item_bounds = balanced_bounds({counts.begin() + parts.num_users, counts.end()}, comm.size());
  }

  // Each kept event to its user's owner, which aggregates its users' pairs.
  const std::vector<std::uint64_t> order_base = order_bases(comm, read.events_after);
  std::size_t block = 0;
  std::vector<EventRecord> routed = route<EventRecord>(
      comm, events.size(),
      [&](std::size_t k) {
        const Event& e = events[k];
        return ignored_event(e, rules) ? -1 : owner_of(parts.user_bounds, user_of[e.user]);
      },
      [&](std::size_t k) {
        while (k >= read.events_after[block]) ++block;  // k ascends
        const Event& e = events[k];
        return EventRecord{order_base[block] + k, e.time, user_of[e.user], item_of[e.item], event_weight(e, rules), 0};
      });
  read = LocalRead();  // every event is handed on
  RowPart& users = parts.users;
  users.first = parts.user_bounds[me];
  std::vector<Timestamp> last_times;
  std::vector<std::uint32_t> pair_counts;
  aggregate_users(routed, parts.user_bounds[me + 1], users, last_times, pair_counts);
  std::vector<EventRecord>().swap(routed);
  std::vector<std::uint32_t> pair_user(users.col.size());
  for (std::size_t r = 0; r < users.rows(); ++r) {
    std::fill(pair_user.begin() + static_cast<std::ptrdiff_t>(users.row_ptr[r]),
              pair_user.begin() + static_cast<std::ptrdiff_t>(users.row_ptr[r + 1]),
              users.first + static_cast<std::uint32_t>(r));
  }

  // Each pair to its item's owner.
  {
    std::vector<PairRecord> pairs = route<PairRecord>(
        comm, users.col.size(), [&](std::size_t k) { return owner_of(parts.item_bounds, users.col[k]); },
        [&](std::size_t k) {
          return PairRecord{pair_user[k], users.col[k], users.weight[k]};
        });
    parts.items.first = parts.item_bounds[me];
    item_rows(pairs, parts.item_bounds[me + 1], parts.items);
  }

  // Every pair to rank 0, for the model file's history and fingerprint.
  const std::vector<FullPairRecord> gathered = route<FullPairRecord>(
      comm, users.col.size(), [](std::size_t) { return 0; },
      [&](std::size_t k) {
        return FullPairRecord{last_times[k], pair_user[k], users.col[k], users.weight[k], pair_counts[k]};
      });
  if (me == 0) out.all_pairs = interactions_of(gathered, parts.num_users, parts.num_items);
  out.exchange_seconds = seconds_since(start) - out.read_seconds;
  return out;
}

}  // namespace aisle

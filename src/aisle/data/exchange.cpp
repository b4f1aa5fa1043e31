#include "aisle/data/exchange.h"

#include <cstdio>
#include <memory>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
void append_csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

ExchangeCounts write_exchange_csv(const std::string& path, const Interactions& pairs, const IdMap& users,
                                  const IdMap& items) {
  const bool to_stdout = path == "-";
  const std::string tmp = to_stdout ? path : path + ".tmp";
  std::FILE* f = to_stdout ? stdout : std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw InputError(path + ": cannot write");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(to_stdout ? nullptr : f, &std::fclose);
  ExchangeCounts counts;
  std::string buf = "user,item,weight,timestamp\n";
  const auto flush = [&] {
    if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) throw InputError(path + ": write failed");
    buf.clear();
  };
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) {
        ++counts.dropped;
        continue;
      }
      append_csv_field(buf, users.name(u));
      buf += ',';
      append_csv_field(buf, items.name(pairs.item[p]));
      buf += ',' + format_float(pairs.weight[p]) + ',';
      if (pairs.last_time[p] != 0) buf += std::to_string(pairs.last_time[p]);
      buf += '\n';
      ++counts.written;
      if (buf.size() > (1u << 20)) flush();
    }
  }
  flush();
  if (std::fflush(f) != 0) throw InputError(path + ": write failed");
  if (!to_stdout) {
    guard.reset();
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw InputError(path + ": cannot rename " + tmp + " into place");
  }
  return counts;
}

ExchangeSplit read_exchange_split(std::string_view format, const std::string& train, const std::string& test,
                                  ReadOptions options) {
  options.strict = true;
  ExchangeSplit split;
  EventLog test_log;
  read_files(format, std::vector<std::string>{train}, options, split.train);
  if (!test.empty()) read_files(format, std::vector<std::string>{test}, options, test_log);
  if (split.train.events.empty()) throw InputError(train + ": no training pairs");
  const EventLog& t = split.train;
  split.train_pairs = aggregate(t.events, options.weighting.resolve(t.event_types), t.users.size(), t.items.size());
  IdMap users = t.users, items = t.items;
  for (Event& e : test_log.events) {
    e.user = users.intern(test_log.users.name(e.user));
    e.item = items.intern(test_log.items.name(e.item));
  }
  split.test_events = test_log.events.size();
  split.test_pairs =
      aggregate(test_log.events, options.weighting.resolve(test_log.event_types), users.size(), items.size());
  return split;
}

}  // namespace aisle

// session-rec's prepared session files (e.g. rsc15 train_full / test): tab-separated with the
// header SessionId, ItemId, Time (unix seconds with a fraction, truncated to seconds). Sessions
// are anonymous: each session id is both the event's session and its user, so pair-based models
// see one "user" per session. Events are clicks (the default event type). Read by the csv reader
// with this mapping; a --map given by the caller wins field by field.
#include "aisle/data/readers/reader.h"

namespace aisle {

void read_sessions(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  ReadOptions o = options;
  o.separator = "\t";
  const ColumnMapping preset = ColumnMapping::parse("user=SessionId,item=ItemId,time=Time:unix,session=SessionId");
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (o.mapping.source[f].empty()) o.mapping.source[f] = preset.source[f];
  }
  if (options.mapping.time_format == TimeFormat::kAuto) o.mapping.time_format = TimeFormat::kUnixSeconds;
  read_csv(files, o, log, report);
}

}  // namespace aisle

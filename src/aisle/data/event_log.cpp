#include "aisle/data/event_log.h"

#include <algorithm>

namespace aisle {

void EventLog::sort_canonical() {
  std::stable_sort(events.begin(), events.end(), canonical_less);
}

}  // namespace aisle

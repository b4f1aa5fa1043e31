// Durable feedback: POST /api/feedback's events, committed to the store by a group-commit writer
// (group_commit.h) whose on_committed hands them to the live history, so the user's next request
// reflects them.
#pragma once

#include <string>

#include "aisle/core/types.h"
#include "aisle/serve/group_commit.h"

namespace aisle::serve {

struct FeedbackEvent {
  std::string user, item, type, session;  // external ids; type canonical ("view", "cart", ...)
  Timestamp time = 0;
  float value = kAbsent;  // a rating or an amount
  float weight = 0;       // under the configured weighting (for the live history; not stored)
};

using FeedbackWriter = GroupCommitWriter<FeedbackEvent>;

}  // namespace aisle::serve

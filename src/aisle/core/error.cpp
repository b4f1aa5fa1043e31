#include "aisle/core/error.h"

#include <cstdio>
#include <cstdlib>

namespace aisle {

void check_failed(const char* expr, const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "aisle: internal error: check '%s' failed at %s:%d%s%s\n", expr, file, line,
               msg.empty() ? "" : ": ", msg.c_str());
  std::abort();
}

}  // namespace aisle

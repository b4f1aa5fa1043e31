#include "aisle/core/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace aisle {

void advise_huge_pages(void* p, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePageBytes - 1);
  // Advice only: an error (THP off, old kernel) changes nothing. The address arithmetic is the point.
  if (last > first)
    madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // NOLINT(performance-no-int-to-ptr)
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace aisle

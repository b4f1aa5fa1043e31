// Transparent huge pages for large, randomly accessed or freshly filled buffers. On this kind of
// machine (THP in "madvise" mode) an ingest of 2.76M events spent ~20% of its time in page
// faults and its id-map lookups missed the TLB; 2 MiB pages cut both. Where THP is off, the
// advice is ignored and nothing changes but alignment.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace aisle {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Asks the kernel to back [p, p + bytes) with huge pages where whole ones fit.
void advise_huge_pages(void* p, std::size_t bytes);

// Resizes an empty v to n value-initialized elements, with the huge-page advice given before the
// pages are first touched (advice given later waits for the kernel's background collapsing).
template <typename T>
void resize_on_huge_pages(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), n * sizeof(T));
  v.resize(n);
}

// std::allocator that, from kHugePageBytes up, aligns to huge pages and advises them.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = ::operator new (rounded, std::align_val_t{kHugePageBytes});
    advise_huge_pages(p, rounded);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePageBytes)
      ::operator delete(p);
    else
      ::operator delete (p, std::align_val_t{kHugePageBytes});
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace aisle

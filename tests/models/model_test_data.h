// Small data sets with known answers for the model tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "aisle/data/catalog.h"
#include "aisle/data/id_map.h"
#include "aisle/data/interactions.h"

namespace aisle::testing {

struct Pair {
  UserIdx user;
  ItemIdx item;
  float weight;
  Timestamp time;
};

inline Interactions make_pairs(std::uint32_t users, std::uint32_t items, std::vector<Pair> list) {
  std::sort(list.begin(), list.end(),
            [](const Pair& a, const Pair& b) { return std::tie(a.user, a.item) < std::tie(b.user, b.item); });
  Interactions x;
  x.num_users = users;
  x.num_items = items;
  x.row_ptr.assign(users + 1, 0);
  for (const Pair& p : list) {
    ++x.row_ptr[p.user + 1];
    x.item.push_back(p.item);
    x.weight.push_back(p.weight);
    x.last_time.push_back(p.time);
    x.count.push_back(1);
  }
  for (std::uint32_t u = 0; u < users; ++u) x.row_ptr[u + 1] += x.row_ptr[u];
  return x;
}

// Solves A x = b (n x n, row-major, double) by Gaussian elimination with partial pivoting: the
// reference the least-squares solvers are checked against.
inline std::vector<double> solve_dense(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r * n + c]) > std::abs(a[p * n + c])) p = r;
    }
    for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[p * n + k]);
    std::swap(b[c], b[p]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / a[c * n + c];
      for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t r = n; r-- > 0;) {
    double s = b[r];
    for (std::size_t k = r + 1; k < n; ++k) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

inline IdMap make_ids(const std::string& prefix, std::uint32_t n) {
  IdMap ids;
  for (std::uint32_t i = 0; i < n; ++i) ids.intern(prefix + std::to_string(i));
  return ids;
}

// `users` users with 5 to 5 + spread - 1 distinct items each, item pow(x, skew) * items for x
// uniform in [0, 1) (popular near item 0, so item norms differ), weights 1 to 4, time 0.
inline Interactions skewed_pairs(std::uint32_t users, std::uint32_t items, std::uint64_t seed, std::size_t spread,
                                 double skew) {
  std::mt19937_64 rng(seed);
  std::vector<Pair> list;
  for (UserIdx u = 0; u < users; ++u) {
    std::vector<ItemIdx> row;
    const std::size_t count = 5 + rng() % spread;
    while (row.size() < count) {
      const double x = std::uniform_real_distribution<double>(0, 1)(rng);
      const auto i = static_cast<ItemIdx>(std::pow(x, skew) * items);
      if (std::find(row.begin(), row.end(), i) == row.end()) row.push_back(i);
    }
    for (ItemIdx i : row) list.push_back({u, i, 1.0f + static_cast<float>(rng() % 4), 0});
  }
  return make_pairs(users, items, list);
}

// Checkerboard (implicit's test set): user u has item i iff (u + i) is even, weight 1 + i % 3.
// Catalog: items are in category "even" (or its child "even/a") or "odd" by parity, named by
// parity, and items with i % 4 == 3 are unavailable.
struct Checkerboard {
  static constexpr std::uint32_t kUsers = 20, kItems = 16;
  Interactions pairs;
  Catalog catalog;
  IdMap users = make_ids("u", kUsers), items = make_ids("i", kItems);

  Checkerboard() {
    std::vector<Pair> list;
    for (UserIdx u = 0; u < kUsers; ++u) {
      for (ItemIdx i = 0; i < kItems; ++i) {
        if ((u + i) % 2 == 0) list.push_back({u, i, 1.0f + static_cast<float>(i % 3), 1000});
      }
    }
    pairs = make_pairs(kUsers, kItems, list);
    // Roots "even" and "odd"; "even/a" (items i % 4 == 0) lies below "even".
    const CategoryIdx even = catalog.add_category("even"), odd = catalog.add_category("odd");
    const CategoryIdx even_a = catalog.add_category("even/a");
    catalog.set_parent(even_a, even);
    for (ItemIdx i = 0; i < kItems; ++i) {
      ItemInfo& info = catalog.item(i);
      info.categories = {i % 4 == 0 ? even_a : i % 2 == 0 ? even : odd};
      info.name = i % 2 == 0 ? "even gift box" : "odd paper lantern";
      info.available = i % 4 == 3 ? Availability::kNo : Availability::kYes;
    }
  }
};

}  // namespace aisle::testing

// A synthetic interaction log in RetailRocket's format, for scale tests and benchmarks:
// power-law user and item activity (every user and item occurs at least once when events >=
// users and items), a view/addtocart/transaction mix of 96.7/2.5/0.8 %, a category tree and
// item properties (categoryid, available, 790 = price). Same spec and seed, same bytes.
#pragma once

#include <cstdint>
#include <string>

namespace aisle {

struct SynthSpec {
  std::uint32_t users = 1000;
  std::uint32_t items = 200;
  std::uint64_t events = 10000;
  std::uint64_t seed = 42;
  double user_exponent = 1.0;  // Zipf exponent of user activity
  double item_exponent = 0.9;  // Zipf exponent of item popularity
};

struct SynthFiles {
  std::string events, item_properties, category_tree;
};

// Writes events.csv, item_properties.csv and category_tree.csv into dir (created if missing).
// Throws InputError when a file cannot be written.
SynthFiles write_synthetic_retailrocket(const SynthSpec& spec, const std::string& dir);

}  // namespace aisle

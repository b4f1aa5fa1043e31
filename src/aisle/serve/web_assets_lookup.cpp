#include <algorithm>

#include "aisle/serve/web_assets.h"

namespace aisle::serve {

const WebAsset* find_web_asset(std::string_view path) {
  const std::span<const WebAsset> assets = web_assets();
  const auto it = std::lower_bound(assets.begin(), assets.end(), path,
                                   [](const WebAsset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

}  // namespace aisle::serve

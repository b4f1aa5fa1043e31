// The dashboard's files (web/, bundled by esbuild), embedded in the binary at build time by
// cmake/embed_files.cmake, so that one `aisle` binary serves the dashboard offline. The table is
// empty in a build without the dashboard (AISLE_WITH_DASHBOARD off, or no node/npm).
#pragma once

#include <span>
#include <string_view>

namespace aisle::serve {

struct WebAsset {
  std::string_view path;          // relative to the bundle: "index.html", "assets/app-<hash>.js"
  std::string_view content_type;  // by extension
  std::string_view etag;          // quoted, from the content's SHA-256
  std::span<const unsigned char> bytes;
};

// Sorted by path; static storage.
std::span<const WebAsset> web_assets();

// The asset at `path`, or null.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace aisle::serve

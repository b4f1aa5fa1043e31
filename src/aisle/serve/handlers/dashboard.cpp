// The dashboard: GET / answers its index.html, GET /assets/{path} the bundled scripts and styles,
// all from the table embedded at build time (web_assets.h). Every answer carries an ETag (304 to a
// matching If-None-Match); the bundle's file names hold a content hash, so they may be cached for
// good, while index.html is revalidated each time.
#include "aisle/core/text.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/web_assets.h"

namespace aisle::serve::handlers {

namespace {

// The page loads only its own scripts, styles and API; product images may come from anywhere
// (catalog URLs).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src * data:; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

Reply asset_reply(const WebAsset& asset, const httplib::Request& request, bool immutable) {
  Reply reply;
  reply.content_type = std::string(asset.content_type);
  reply.headers.emplace("ETag", std::string(asset.etag));
  reply.headers.emplace("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  reply.headers.emplace("X-Content-Type-Options", "nosniff");
  if (request.get_header_value("If-None-Match").find(asset.etag) != std::string::npos) {
    reply.status = 304;
    return reply;
  }
  reply.body.assign(asset.bytes.begin(), asset.bytes.end());
  return reply;
}

}  // namespace

Reply get_dashboard(ServeState&, const httplib::Request& request) {
  const WebAsset* index = find_web_asset("index.html");
  if (index == nullptr) {
    throw NotFound(
        "this aisle was built without the dashboard (no node/npm at build time, or AISLE_WITH_DASHBOARD=OFF); "
        "GET /api lists the routes");
  }
  Reply reply = asset_reply(*index, request, false);
  reply.headers.emplace("Content-Security-Policy", kContentSecurityPolicy);
  return reply;
}

Reply get_web_asset(ServeState&, const httplib::Request& request) {
  const std::string path = "assets/" + request.matches[1].str();
  const WebAsset* asset = find_web_asset(path);
  if (asset == nullptr) throw NotFound("no dashboard asset /" + printable(path));
  return asset_reply(*asset, request, true);
}

}  // namespace aisle::serve::handlers

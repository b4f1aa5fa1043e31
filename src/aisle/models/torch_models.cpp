#include "aisle/models/torch_models.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace aisle {

namespace {

struct TorchState {
  std::mutex mutex;
  bool tried = false;
  const TorchModels* models = nullptr;
  std::string status;
};

TorchState& state() {
  static TorchState s;
  return s;
}

std::string plugin_path() {
  if (const char* path = std::getenv("AISLE_TORCH_PLUGIN"); path != nullptr && *path != '\0') return path;
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    // Beside the binary (a build tree), then where an install or package puts it relative to the
    // binary (/usr/bin/aisle -> /usr/lib/aisle), then the configured install folder.
    for (const std::filesystem::path& candidate :
         {self.parent_path() / "libaisle_torch.so",
          self.parent_path() / AISLE_PLUGIN_FROM_BINARY / "libaisle_torch.so"}) {
      if (std::filesystem::exists(candidate, error)) return candidate.lexically_normal().string();
    }
  }
  return std::string(AISLE_PLUGIN_DIR) + "/libaisle_torch.so";
}

// Loads the plugin once; the caller holds the mutex. The handle is never closed: the models it
// made may live until exit.
void load(TorchState& s) {
  s.tried = true;
  if (!AISLE_WITH_TORCH) {
    s.status = "not built: libtorch was not found when aisle was configured (install libtorch-dev; make deps does)";
    return;
  }
  const std::string path = plugin_path();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    s.status = "the torch plugin did not load: " + std::string(why != nullptr ? why : path);
    return;
  }
  using Entry = const TorchModels* (*)();
  const auto entry = reinterpret_cast<Entry>(dlsym(handle, kTorchModelsEntry));
  if (entry == nullptr) {
    s.status = "the torch plugin " + path + " has no " + kTorchModelsEntry;
    return;
  }
  s.models = entry();
  s.status = "libtorch " + std::string(s.models->torch_version) + " (plugin " + path + ")";
}

}  // namespace

void provide_torch_models(const TorchModels* models) {
  TorchState& s = state();
  const std::lock_guard lock(s.mutex);
  s.tried = true;
  s.models = models;
  s.status = models != nullptr ? "libtorch " + std::string(models->torch_version) + " (linked in)" : "not provided";
}

const TorchModels* torch_models() {
  TorchState& s = state();
  const std::lock_guard lock(s.mutex);
  if (!s.tried) load(s);
  return s.models;
}

std::string torch_status() {
  torch_models();
  TorchState& s = state();
  const std::lock_guard lock(s.mutex);
  return s.status;
}

}  // namespace aisle

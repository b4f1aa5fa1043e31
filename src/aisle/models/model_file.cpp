#include "aisle/models/model_file.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aisle/core/error.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

constexpr std::string_view kMagic = "AISLEMDL";

std::uint32_t crc_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!bytes.empty()) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(bytes.size(), 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), chunk);
    bytes.remove_prefix(chunk);
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

void save_model(const TrainedModel& model, const std::string& path) {
  BinaryWriter out;
  out.bytes().append(kMagic);
  out.put<std::uint32_t>(kModelFormatVersion);
  out.put_string(model.model().kind());
  out.put_string(model.model().params());
  out.put<std::int64_t>(model.provenance().trained_at);
  out.put<std::int64_t>(model.provenance().data_as_of);
  out.put_string(model.provenance().data_fingerprint);
  out.put_string(model.provenance().aisle_version);
  save_id_map(model.users(), out);
  save_id_map(model.items(), out);
  model.history().save(out);
  model.facts().save(out);
  model.model().save(out);
  out.put<std::uint32_t>(crc_of(out.bytes()));
  // Write beside the target and rename, so a failed write never leaves half a model behind.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(out.bytes().data(), static_cast<std::streamsize>(out.bytes().size()));
    if (!f) throw InputError(path + ": cannot write the model file");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw InputError(path + ": cannot write the model file");
}

TrainedModel load_model(const std::string& path, std::string_view expected_kind) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path + ": cannot open the model file");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw InputError(path + ": cannot open the model file");
  // One read into one buffer: model files can be large (EASE keeps items x items floats).
  const std::streamoff size = f.tellg();
  if (size < 0) throw InputError(path + ": cannot read the model file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  f.seekg(0);
  if (!f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    throw InputError(path + ": cannot read the model file");
  }
  if (bytes.size() < kMagic.size() || std::string_view(bytes).substr(0, kMagic.size()) != kMagic) {
    throw InputError(path + ": not an aisle model file (no AISLEMDL header)");
  }
  BinaryReader header(std::string_view(bytes).substr(kMagic.size()), path);
  const auto version = header.get<std::uint32_t>("format version");
  if (version > kModelFormatVersion || version == 0) {
    throw InputError(path + ": model format version " + std::to_string(version) + " is not one this aisle reads (1.." +
                     std::to_string(kModelFormatVersion) + "); it was written by a newer aisle");
  }
  if (bytes.size() < kMagic.size() + 8) throw InputError(path + ": corrupt model file: truncated");
  const std::string_view body = std::string_view(bytes).substr(0, bytes.size() - 4);
  BinaryReader tail(std::string_view(bytes).substr(bytes.size() - 4), path);
  if (tail.get<std::uint32_t>("checksum") != crc_of(body)) {
    throw InputError(path + ": corrupt model file: checksum mismatch (the file is damaged or truncated)");
  }
  BinaryReader in(body.substr(kMagic.size() + 4), path);
  const std::string kind = in.get_string("model kind");
  const std::string params = in.get_string("model parameters");
  if (!expected_kind.empty() && kind != expected_kind) {
    throw InputError(path + ": is a '" + kind + "' model, expected '" + std::string(expected_kind) + "'");
  }
  std::unique_ptr<Recommender> model;
  try {
    model = create_model(kind + ":" + params);
  } catch (const ConfigError& e) {
    throw InputError(path + ": cannot read the model's kind and parameters: " + e.what());
  }
  Provenance provenance;
  if (version >= 3) {
    provenance.trained_at = in.get<std::int64_t>("provenance");
    provenance.data_as_of = version >= 4 ? in.get<std::int64_t>("provenance") : provenance.trained_at;
    provenance.data_fingerprint = in.get_string("provenance");
    provenance.aisle_version = in.get_string("provenance");
  }
  IdMap users = load_id_map(in, "user ids");
  IdMap items = load_id_map(in, "item ids");
  History history;
  history.load(in, items.size());
  if (history.num_users() != users.size()) in.fail("history", "user count differs from the user ids");
  ItemFacts facts;
  facts.load(in, version);
  if (facts.num_items() != items.size()) in.fail("item facts", "item count differs from the item ids");
  model->load(in);
  if (model->num_items() != items.size()) in.fail("model payload", "item count differs from the item ids");
  if (in.remaining() != 0) in.fail("model payload", std::to_string(in.remaining()) + " unexpected bytes at the end");
  return TrainedModel(std::move(model), std::move(users), std::move(items), std::move(history), std::move(facts),
                      std::move(provenance));
}

}  // namespace aisle

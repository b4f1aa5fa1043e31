#include "aisle/models/pipeline/pipeline.h"

namespace aisle {

const SimilarItems* similar_items_of(const Recommender& model) {
  if (const auto* own = capability<SimilarItems>(model)) return own;
  const auto* pipeline = capability<Pipeline>(model);
  if (pipeline == nullptr) return nullptr;
  for (const PipelineMember& m : pipeline->members()) {
    if (const auto* found = similar_items_of(*m.model)) return found;
  }
  return nullptr;
}

}  // namespace aisle

namespace aisle::pipeline_detail {

std::string member_specs(const std::vector<PipelineMember>& members) {
  std::string out = "(";
  for (std::size_t m = 0; m < members.size(); ++m) {
    const PipelineMember& member = members[m];
    if (m > 0) out += "; ";
    if (member.separator != 0) out += member.role + member.separator;
    const std::string params = member.model->params();
    out += std::string(member.model->kind()) + (params.empty() ? "" : ":" + params);
  }
  return out + ")";
}

void save_members(const std::vector<PipelineMember>& members, BinaryWriter& out) {
  out.put<std::uint32_t>(static_cast<std::uint32_t>(members.size()));
  for (const PipelineMember& m : members) m.model->save(out);
}

void load_members(std::vector<PipelineMember>& members, BinaryReader& in) {
  const auto count = in.get<std::uint32_t>("pipeline member count");
  if (count != members.size()) {
    in.fail("pipeline members",
            "the payload holds " + std::to_string(count) + ", the parameters name " + std::to_string(members.size()));
  }
  for (PipelineMember& m : members) m.model->load(in);
  const std::uint32_t n = members.front().model->num_items();
  for (const PipelineMember& m : members) {
    if (m.model->num_items() != n) in.fail("pipeline members", "they cover different numbers of items");
  }
}

void fit_members(std::vector<PipelineMember>& members, const TrainSet& data, const FitContext& context) {
  FitContext member_context;
  member_context.run = context.run;
  member_context.validation = context.validation;
  for (PipelineMember& m : members) {
    context.run.check_cancelled();
    m.model->fit(data, member_context);
  }
}

}  // namespace aisle::pipeline_detail

#include "aisle/models/pipeline/pipeline.h"

#include <algorithm>
#include <map>

namespace aisle {

namespace {

std::string canonical_spec_of(const Recommender& model) {
  const std::string params = model.params();
  return std::string(model.kind()) + (params.empty() ? "" : ":" + params);
}

// The pipelines under `root` (root included), inner ones before the pipeline that holds them,
// each once; and the distinct plain models in the order they first appear, depth first.
struct Tree {
  std::vector<Pipeline*> pipelines;
  std::vector<Recommender*> models;
};

void walk(Pipeline& pipeline, Tree& tree) {
  for (PipelineMember& m : pipeline.members()) {
    if (auto* inner = dynamic_cast<Pipeline*>(m.model.get())) {
      if (std::find(tree.pipelines.begin(), tree.pipelines.end(), inner) == tree.pipelines.end()) walk(*inner, tree);
    } else if (std::find(tree.models.begin(), tree.models.end(), m.model.get()) == tree.models.end()) {
      tree.models.push_back(m.model.get());
    }
  }
  tree.pipelines.push_back(&pipeline);
}

Tree tree_of(const Pipeline& root) {
  Tree tree;
  walk(const_cast<Pipeline&>(root), tree);  // only read through for saving
  return tree;
}

void share_under(Pipeline& pipeline, std::map<std::string, std::shared_ptr<Recommender>>& seen) {
  for (PipelineMember& m : pipeline.members()) {
    if (auto* inner = dynamic_cast<Pipeline*>(m.model.get())) {
      share_under(*inner, seen);
      continue;
    }
    const auto [it, added] = seen.emplace(canonical_spec_of(*m.model), m.model);
    if (!added) m.model = it->second;
  }
}

// Format 1 (before members were shared): each pipeline's member count, then every member's
// payload where it stands, a nested pipeline's inline.
void load_members_inline(Pipeline& pipeline, BinaryReader& in, std::uint32_t count) {
  if (count != pipeline.members().size()) {
    in.fail("pipeline members", "the payload holds " + std::to_string(count) + ", the parameters name " +
                                    std::to_string(pipeline.members().size()));
  }
  for (PipelineMember& m : pipeline.members()) {
    if (auto* inner = dynamic_cast<Pipeline*>(m.model.get())) {
      load_members_inline(*inner, in, in.get<std::uint32_t>("pipeline member count"));
    } else {
      m.model->load(in);
    }
  }
}

// Marks the shared-tree payload; a format-1 payload starts with a member count, never this high.
constexpr std::uint32_t kTreeMarker = 0xA15E7EE2;
constexpr std::uint32_t kTreeVersion = 2;

}  // namespace

void share_identical_members(Pipeline& root) {
  std::map<std::string, std::shared_ptr<Recommender>> seen;
  share_under(root, seen);
}

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

void save_tree(const Pipeline& root, BinaryWriter& out) {
  const Tree tree = tree_of(root);
  out.put<std::uint32_t>(kTreeMarker);
  out.put<std::uint32_t>(kTreeVersion);
  out.put<std::uint32_t>(static_cast<std::uint32_t>(tree.models.size()));
  for (const Recommender* m : tree.models) m->save(out);
}

void load_tree(Pipeline& root, BinaryReader& in) {
  const Tree tree = tree_of(root);
  const auto first = in.get<std::uint32_t>("pipeline payload");
  if (first == kTreeMarker) {
    in.expect_version(kTreeVersion, "pipeline format version");
    const auto count = in.get<std::uint32_t>("pipeline model count");
    if (count != tree.models.size()) {
      in.fail("pipeline members", "the payload holds " + std::to_string(count) + " models, the parameters name " +
                                      std::to_string(tree.models.size()));
    }
    for (Recommender* m : tree.models) m->load(in);
  } else {
    load_members_inline(root, in, first);
  }
  const std::uint32_t n = tree.models.front()->num_items();
  for (const Recommender* m : tree.models) {
    if (m->num_items() != n) in.fail("pipeline members", "they cover different numbers of items");
  }
  for (Pipeline* p : tree.pipelines) p->members_ready();
}

void fit_tree(Pipeline& root, const TrainSet& data, const FitContext& context) {
  const Tree tree = tree_of(root);
  FitContext member_context;
  member_context.run = context.run;
  member_context.validation = context.validation;
  for (Recommender* m : tree.models) {
    context.run.check_cancelled();
    m->fit(data, member_context);
  }
  for (Pipeline* p : tree.pipelines) p->members_ready();
}

}  // namespace aisle::pipeline_detail

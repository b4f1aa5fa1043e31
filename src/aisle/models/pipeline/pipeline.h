// What the pipelines (blend, route) share: members that are models themselves, created from the
// pipeline's spec (models/spec.h), fitted as one unit on the same training data and saved in one
// model file. A pipeline's params() holds its members' canonical specs, so its model file
// re-creates them: "min_history=5(known=ease:...; fallback=popularity:...)".
//
// Members with the same canonical spec anywhere in one pipeline (nested pipelines included) are
// one model, shared (share_identical_members, called by create_model): the default route's EASE
// for known users and the EASE inside its blend for one-item histories are fitted, held and saved
// once. The outermost pipeline fits, saves and loads the whole tree: each distinct plain model
// once, in the order of its first appearance (depth first, in spec order), then every pipeline's
// members_ready(), inner ones first. That order follows from the spec alone, so a model file needs
// no references between payloads.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct PipelineMember {
  std::string role;                    // as the spec names it: a blend's weight, a route's segment
  char separator = 0;                  // '*' or '=' after the role; 0 without one
  std::shared_ptr<Recommender> model;  // shared with identical members of the same pipeline tree
};

// What a pipeline is made of, for callers that look through it (similar items, the tree walks).
class Pipeline {
 public:
  virtual ~Pipeline() = default;
  virtual const std::vector<PipelineMember>& members() const = 0;
  virtual std::vector<PipelineMember>& members() = 0;
  // Derives what the pipeline keeps beside its members, once they are all fitted or loaded.
  virtual void members_ready() = 0;
};

// Makes members with the same canonical spec, anywhere under `root`, one shared model. Call on
// an unfitted pipeline.
void share_identical_members(Pipeline& root);

// The model's SimilarItems; for a pipeline, that of its first member (in spec order, looking
// into nested pipelines) that has one; null when none does.
const SimilarItems* similar_items_of(const Recommender& model);

namespace pipeline_detail {
// "(role*kind:params; ...)" with every member's canonical spec.
std::string member_specs(const std::vector<PipelineMember>& members);
// The tree under `root` (see the top of this file). save_tree writes a marker, the number of
// distinct plain models and their payloads; load_tree also reads the files of earlier versions,
// where every member (shared or not) has its payload where it stands, nested pipelines inline.
void save_tree(const Pipeline& root, BinaryWriter& out);
void load_tree(Pipeline& root, BinaryReader& in);
// Each distinct plain model on the same data, one after the other (each uses the run's threads),
// then members_ready() inner pipelines first. Members keep no fit log and take no checkpoints:
// those describe one model's steps.
void fit_tree(Pipeline& root, const TrainSet& data, const FitContext& context);
}  // namespace pipeline_detail

template <class P>
class PipelineModel : public ParameterizedModel<P>, public Pipeline {
 public:
  PipelineModel(P params, std::vector<PipelineMember> members)
      : ParameterizedModel<P>(std::move(params)), members_(std::move(members)) {}

  std::string params() const override {
    return ParameterizedModel<P>::params() + pipeline_detail::member_specs(this->members_);
  }
  void save(BinaryWriter& out) const override { pipeline_detail::save_tree(*this, out); }
  void load(BinaryReader& in) override { pipeline_detail::load_tree(*this, in); }
  void fit(const TrainSet& data, const FitContext& context) override {
    pipeline_detail::fit_tree(*this, data, context);
  }
  std::uint32_t num_items() const override { return members_.front().model->num_items(); }
  bool learns_from_sequences() const override {
    return std::any_of(members_.begin(), members_.end(),
                       [](const PipelineMember& m) { return m.model->learns_from_sequences(); });
  }

  const std::vector<PipelineMember>& members() const override { return members_; }
  std::vector<PipelineMember>& members() override { return members_; }
  void members_ready() override {}

 protected:
  std::vector<PipelineMember> members_;
};

}  // namespace aisle

// What the pipelines (blend, route) share: members that are models themselves, created from the
// pipeline's spec (models/spec.h), fitted as one unit on the same training data and saved in one
// model file, one payload after the other. A pipeline's params() holds its members' canonical
// specs, so its model file re-creates them: "min_history=5(known=ease:...; fallback=popularity:...)".
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct PipelineMember {
  std::string role;    // as the spec names it: a blend's weight, a route's segment
  char separator = 0;  // '*' or '=' after the role; 0 without one
  std::unique_ptr<Recommender> model;
};

// What a pipeline is made of, for callers that look through it (similar items).
class Pipeline {
 public:
  virtual ~Pipeline() = default;
  virtual const std::vector<PipelineMember>& members() const = 0;
};

// The model's SimilarItems; for a pipeline, that of its first member (in spec order, looking
// into nested pipelines) that has one; null when none does.
const SimilarItems* similar_items_of(const Recommender& model);

namespace pipeline_detail {
// "(role*kind:params; ...)" with every member's canonical spec.
std::string member_specs(const std::vector<PipelineMember>& members);
void save_members(const std::vector<PipelineMember>& members, BinaryWriter& out);
void load_members(std::vector<PipelineMember>& members, BinaryReader& in);
// Each member on the same data, one after the other (each uses the run's threads). Members
// keep no fit log and take no checkpoints: those describe one model's steps.
void fit_members(std::vector<PipelineMember>& members, const TrainSet& data, const FitContext& context);
}  // namespace pipeline_detail

template <class P>
class PipelineModel : public ParameterizedModel<P>, public Pipeline {
 public:
  PipelineModel(P params, std::vector<PipelineMember> members)
      : ParameterizedModel<P>(std::move(params)), members_(std::move(members)) {}

  std::string params() const override {
    return ParameterizedModel<P>::params() + pipeline_detail::member_specs(this->members_);
  }
  void save(BinaryWriter& out) const override { pipeline_detail::save_members(members_, out); }
  void load(BinaryReader& in) override {
    pipeline_detail::load_members(members_, in);
    members_ready();
  }
  void fit(const TrainSet& data, const FitContext& context) override {
    pipeline_detail::fit_members(members_, data, context);
    members_ready();
  }
  std::uint32_t num_items() const override { return members_.front().model->num_items(); }
  bool learns_from_sequences() const override {
    return std::any_of(members_.begin(), members_.end(),
                       [](const PipelineMember& m) { return m.model->learns_from_sequences(); });
  }

  const std::vector<PipelineMember>& members() const override { return members_; }

 protected:
  // Called once the members are fitted or loaded: derive what the pipeline keeps beside them.
  virtual void members_ready() {}

  std::vector<PipelineMember> members_;
};

}  // namespace aisle

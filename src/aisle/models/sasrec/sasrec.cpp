#include "aisle/models/sasrec/sasrec.h"

#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/linalg/blas.h"

namespace aisle {

namespace {

constexpr std::uint32_t kFormatVersion = 1;

// Sets libtorch's intra-op threads for the calling thread (OpenMP keeps the setting per thread)
// and puts the previous value back when it goes out of scope.
class TorchThreads {
 public:
  explicit TorchThreads(int threads) : previous_(at::get_num_threads()) { at::set_num_threads(threads); }
  ~TorchThreads() { at::set_num_threads(previous_); }
  TorchThreads(const TorchThreads&) = delete;
  TorchThreads& operator=(const TorchThreads&) = delete;

 private:
  int previous_;
};

// glibc gives allocations above its mmap threshold (adaptive, up to 32 MB) back to the kernel on
// free, and the kernel zero-fills them page by page when the next batch asks again: about 1M page
// faults in two ML-1M epochs, and the fit 13% slower than with this class (docs/PERFORMANCE.md). While a fit runs,
// allocations up to 32 MB come from the heap and the heap is kept (trim threshold 512 MB); at the end glibc's default
// trim threshold is back and the heap is trimmed. Process-wide: other threads' allocations follow the same rule
// meanwhile, and the mmap threshold stays fixed at 32 MB afterwards.
class TrainingHeap {
 public:
  TrainingHeap() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
  }
  ~TrainingHeap() {
    mallopt(M_TRIM_THRESHOLD, 128 << 10);
    malloc_trim(0);
  }
  TrainingHeap(const TrainingHeap&) = delete;
  TrainingHeap& operator=(const TrainingHeap&) = delete;
};

// One block: attention over the earlier positions with a residual from its layer-normed input,
// then a point-wise feed-forward with a residual (the shape of the original implementation).
struct Block {
  torch::nn::LayerNorm attention_norm{nullptr};
  torch::nn::MultiheadAttention attention{nullptr};
  torch::nn::LayerNorm forward_norm{nullptr};
  torch::nn::Linear inner{nullptr};
  torch::nn::Linear outer{nullptr};
};

}  // namespace

struct Sasrec::Network : torch::nn::Module {
  Network(const SasrecParams& p, std::int64_t items, std::int64_t types)
      : length(p.max_length), width(p.hidden), separate_output(p.output == "separate") {
    item_embedding = register_module(
        "item_embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(items + 1, width).padding_idx(0)));
    position_embedding = register_module("position_embedding", torch::nn::Embedding(length, width));
    if (types > 0) {
      type_embedding = register_module(
          "type_embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(types + 1, width).padding_idx(0)));
    }
    if (separate_output) {
      output_embedding = register_module("output_embedding", torch::nn::Embedding(items + 1, width));
    }
    for (int b = 0; b < p.blocks; ++b) {
      const std::string name = "block" + std::to_string(b) + "_";
      Block block;
      block.attention_norm = register_module(name + "attention_norm",
                                             torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(1e-8)));
      block.attention = register_module(
          name + "attention",
          torch::nn::MultiheadAttention(torch::nn::MultiheadAttentionOptions(width, p.heads).dropout(p.dropout)));
      block.forward_norm =
          register_module(name + "forward_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(1e-8)));
      block.inner = register_module(name + "inner", torch::nn::Linear(width, width));
      block.outer = register_module(name + "outer", torch::nn::Linear(width, width));
      blocks.push_back(block);
    }
    last_norm = register_module("last_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(1e-8)));
    dropout = register_module("dropout", torch::nn::Dropout(p.dropout));
    causal = register_buffer("causal", torch::triu(torch::ones({length, length}, torch::kBool), 1));
  }

  // Xavier-normal weights for every matrix (as the original), padding rows zero.
  void initialize() {
    torch::NoGradGuard no_grad;
    for (auto& p : parameters()) {
      if (p.dim() >= 2) torch::nn::init::xavier_normal_(p);
    }
    item_embedding->weight[0].zero_();
    if (type_embedding) type_embedding->weight[0].zero_();
  }

  // items, types: (B, L) int64, 0 = padding, left-padded. Returns (B, L, hidden).
  torch::Tensor forward(const torch::Tensor& items, const torch::Tensor& types) {
    torch::Tensor x = item_embedding(items) * std::sqrt(static_cast<double>(width));
    x = x + position_embedding->weight.unsqueeze(0);
    if (type_embedding) x = x + type_embedding(types);
    x = dropout(x);
    const torch::Tensor keep = (items != 0).unsqueeze(-1).to(x.scalar_type());
    x = x * keep;
    for (Block& b : blocks) {
      torch::Tensor h = x.transpose(0, 1);  // (L, B, hidden), as MultiheadAttention takes it
      const torch::Tensor q = b.attention_norm(h);
      h = q + std::get<0>(b.attention->forward(q, h, h, torch::Tensor(), /*need_weights=*/false, causal));
      h = b.forward_norm(h.transpose(0, 1));
      h = h + dropout(b.outer(dropout(torch::relu(b.inner(h)))));
      x = h * keep;
    }
    return last_norm(x);
  }

  // (items, hidden): the vectors the last position is scored against.
  torch::Tensor output_table() const {
    return (separate_output ? output_embedding->weight : item_embedding->weight).slice(0, 1);
  }

  std::int64_t length;
  std::int64_t width;
  bool separate_output;
  torch::nn::Embedding item_embedding{nullptr};
  torch::nn::Embedding position_embedding{nullptr};
  torch::nn::Embedding type_embedding{nullptr};
  torch::nn::Embedding output_embedding{nullptr};
  std::vector<Block> blocks;
  torch::nn::LayerNorm last_norm{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::Tensor causal;
};

Sasrec::Sasrec(SasrecParams params) : ParameterizedModel(std::move(params)) {
  if (params_.hidden % params_.heads != 0) {
    throw ConfigError("sasrec: hidden (" + std::to_string(params_.hidden) + ") must be a multiple of heads (" +
                      std::to_string(params_.heads) + ")");
  }
}

Sasrec::~Sasrec() = default;

namespace {

// Each user's events in time order: their sequences (sessions, in order of their first event)
// joined. Users without events get an empty sequence.
struct UserSequences {
  std::vector<std::uint64_t> ptr;
  std::vector<ItemIdx> items;
  std::vector<EventTypeIdx> types;
  std::vector<Timestamp> times;
};

UserSequences join_by_user(const Sequences& seqs, std::uint32_t num_users) {
  std::vector<std::uint64_t> count(num_users + 1, 0);
  for (std::size_t s = 0; s < seqs.size(); ++s) {
    if (seqs.users[s] < num_users) count[seqs.users[s] + 1] += seqs.length(s);
  }
  UserSequences out;
  out.ptr.assign(num_users + 1, 0);
  std::partial_sum(count.begin(), count.end(), out.ptr.begin());
  out.items.resize(out.ptr.back());
  out.types.resize(out.ptr.back());
  out.times.resize(out.ptr.back());
  std::vector<std::uint64_t> next(out.ptr.begin(), out.ptr.end() - 1);
  for (std::size_t s = 0; s < seqs.size(); ++s) {
    const UserIdx u = seqs.users[s];
    if (u >= num_users) continue;
    for (std::uint64_t p = seqs.offsets[s]; p < seqs.offsets[s + 1]; ++p) {
      out.items[next[u]] = seqs.items[p];
      out.types[next[u]] = p < seqs.types.size() ? seqs.types[p] : kNoIndex;
      out.times[next[u]] = p < seqs.times.size() ? seqs.times[p] : 0;
      ++next[u];
    }
  }
  return out;
}

// Per event, the position where its timestamp begins in its user's sequence: itself, or the
// first of the user's events just before it that share its timestamp.
std::vector<std::uint64_t> timestamp_starts(const UserSequences& users) {
  std::vector<std::uint64_t> starts(users.items.size());
  for (std::size_t u = 0; u + 1 < users.ptr.size(); ++u) {
    for (std::uint64_t p = users.ptr[u]; p < users.ptr[u + 1]; ++p) {
      starts[p] = p > users.ptr[u] && users.times[p] == users.times[p - 1] ? starts[p - 1] : p;
    }
  }
  return starts;
}

// Fills one left-padded row of length L from the newest events of [items, items + n):
// inputs shifted by one (0 = padding).
void fill_row(std::span<const ItemIdx> items, std::span<const std::int64_t> types, std::int64_t length,
              std::int64_t* item_row, std::int64_t* type_row) {
  const std::size_t n = std::min<std::size_t>(items.size(), static_cast<std::size_t>(length));
  const std::size_t pad = static_cast<std::size_t>(length) - n;
  std::fill(item_row, item_row + pad, 0);
  std::fill(type_row, type_row + pad, 0);
  for (std::size_t i = 0; i < n; ++i) {
    item_row[pad + i] = static_cast<std::int64_t>(items[items.size() - n + i]) + 1;
    type_row[pad + i] = types[types.size() - n + i];
  }
}

}  // namespace

void Sasrec::fit(const TrainSet& data, const FitContext& context) {
  const Interactions& pairs = data.pairs;
  num_items_ = pairs.num_items;
  const Sequences from_pairs = data.sequences == nullptr ? sequences_from_pairs(pairs, context.run.seed) : Sequences{};
  const UserSequences users = join_by_user(data.sequences != nullptr ? *data.sequences : from_pairs, pairs.num_users);

  // Event types as an input: index type + 1, 0 padding; an unknown type counts as the most common.
  num_types_ = 0;
  common_type_ = 0;
  if (params_.event_types == "on") {
    std::vector<std::uint64_t> seen;
    for (EventTypeIdx t : users.types) {
      if (t == kNoIndex) continue;
      if (t >= seen.size()) seen.resize(t + 1, 0);
      ++seen[t];
    }
    num_types_ = static_cast<std::uint32_t>(std::max<std::size_t>(seen.size(), 1));
    if (!seen.empty())
      common_type_ = static_cast<std::uint32_t>(std::max_element(seen.begin(), seen.end()) - seen.begin());
  }

  // What queries of known users read: their newest max_length events.
  const auto length = static_cast<std::int64_t>(params_.max_length);
  user_ptr_.assign(1, 0);
  user_items_.clear();
  user_types_.clear();
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    const std::uint64_t begin =
        users.ptr[u + 1] - std::min<std::uint64_t>(users.ptr[u + 1] - users.ptr[u], static_cast<std::uint64_t>(length));
    for (std::uint64_t p = begin; p < users.ptr[u + 1]; ++p) {
      user_items_.push_back(users.items[p]);
      if (num_types_ > 0) user_types_.push_back(users.types[p]);
    }
    user_ptr_.push_back(user_items_.size());
  }

  // The run's threads go to libtorch's pool; its matrix products run on aisle's OpenBLAS, which
  // stays on one thread (linalg/blas.h): on this model's small products a second BLAS thread made
  // a one-epoch ML-1M evaluation 1.6x slower, not faster (9.0 s against 5.7 s on 2 cores).
  const TorchThreads threads(context.run.threads());
  linalg::default_blas_threads();
  const TrainingHeap heap;
  torch::manual_seed(context.run.seed);
  net_ = std::make_unique<Network>(params_, num_items_, num_types_);
  net_->initialize();
  const torch::Device device = params_.device == "cuda" ? torch::kCUDA : torch::kCPU;
  if (device.is_cuda() && !torch::cuda::is_available()) {
    throw ConfigError("sasrec: device=cuda, but this libtorch has no CUDA device (Debian's libtorch is CPU-only)");
  }
  net_->to(device);
  net_->train();
  torch::optim::Adam optimizer(net_->parameters(), torch::optim::AdamOptions(params_.learning_rate).betas({0.9, 0.98}));

  // Training examples, each a window of up to L + 1 events every position of which predicts the
  // next: per user with two events or more, the newest L + 1 (windows=last), or windows of L + 1
  // from the newest back, each starting where the next begins, so that every event is predicted
  // once (windows=all).
  struct Window {
    std::uint64_t start, end;  // positions in `users`
  };
  std::vector<Window> trainable;
  const bool all_windows = params_.windows == "all";
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t end = users.ptr[u + 1]; end >= users.ptr[u] + 2; end -= static_cast<std::uint64_t>(length)) {
      trainable.push_back({end - std::min<std::uint64_t>(end - users.ptr[u], length + 1), end});
      if (!all_windows || end < users.ptr[u] + static_cast<std::uint64_t>(length)) break;
    }
  }
  std::mt19937_64 rng(context.run.seed);
  const auto batch = static_cast<std::size_t>(params_.batch_size);
  std::vector<std::int64_t> inputs, input_types, where, targets, row_types;
  const bool sampled = params_.loss == "sampled";
  // Events with equal timestamps have no order of their own (half of ML-1M's consecutive ratings
  // share a second), and a test's held-out events at one second are each predicted from the events
  // before that second. ties=sets trains the same way: every event is predicted from the newest
  // event before its timestamp (run_begin: where each event's timestamp begins), not from the
  // events that the seed happened to put before it in its second.
  const bool as_sets = params_.ties == "sets";
  const std::vector<std::uint64_t> run_begin = as_sets ? timestamp_starts(users) : std::vector<std::uint64_t>{};
  // The first event a window may predict (with ties=sets, its first one after the window's first
  // timestamp: the events that share that timestamp are then predicted in no window, a few per
  // window boundary); a fit with nothing to predict is refused rather than returned untrained.
  const auto first_target = [&](const Window& w) {
    std::uint64_t q = w.start + 1;
    while (as_sets && q < w.end && run_begin[q] <= w.start) ++q;
    return q;
  };
  if (std::none_of(trainable.begin(), trainable.end(), [&](const Window& w) { return first_target(w) < w.end; })) {
    throw FitError(as_sets
                       ? "sasrec: ties=sets leaves nothing to learn: no training window holds events at two different "
                         "timestamps (a log without times?); use ties=fixed"
                       : "sasrec: nothing to learn: no user has two events or more");
  }
  for (int epoch = 1; epoch <= params_.epochs; ++epoch) {
    std::shuffle(trainable.begin(), trainable.end(), rng);
    double loss_sum = 0;
    std::int64_t predictions = 0;
    for (std::size_t first = 0; first < trainable.size(); first += batch) {
      context.run.check_cancelled();
      const std::size_t rows = std::min(batch, trainable.size() - first);
      inputs.assign(rows * length, 0);
      input_types.assign(rows * length, 0);
      where.clear();
      targets.clear();
      for (std::size_t r = 0; r < rows; ++r) {
        const auto [start, end] = trainable[first + r];
        const std::span<const ItemIdx> window(users.items.data() + start, end - start);
        row_types.resize(window.size());
        for (std::size_t i = 0; i < window.size(); ++i) row_types[i] = type_input(users.types[start + i]);
        fill_row(window.first(window.size() - 1), std::span<const std::int64_t>(row_types).first(window.size() - 1),
                 length, inputs.data() + r * length, input_types.data() + r * length);
        // Each target is predicted at the row position of the newest event it may read: the one
        // before it, or with ties=sets the one before its timestamp.
        const auto row_start =
            static_cast<std::int64_t>(r) * length + length - static_cast<std::int64_t>(end - start - 1);
        for (std::uint64_t q = first_target(trainable[first + r]); q < end; ++q) {
          const std::uint64_t after = as_sets ? run_begin[q] : q;
          where.push_back(row_start + static_cast<std::int64_t>(after - 1 - start));
          targets.push_back(users.items[q]);
        }
      }
      if (targets.empty()) continue;
      const auto shape = std::vector<std::int64_t>{static_cast<std::int64_t>(rows), length};
      const auto count = std::vector<std::int64_t>{static_cast<std::int64_t>(targets.size())};
      const torch::Tensor x = torch::from_blob(inputs.data(), shape, torch::kInt64).to(device);
      const torch::Tensor t = torch::from_blob(input_types.data(), shape, torch::kInt64).to(device);
      const torch::Tensor at = torch::from_blob(where.data(), count, torch::kInt64).to(device);
      const torch::Tensor target = torch::from_blob(targets.data(), count, torch::kInt64).to(device);
      const torch::Tensor states = net_->forward(x, t).reshape({-1, net_->width}).index_select(0, at);  // (N, hidden)
      optimizer.zero_grad();
      const double loss = sampled ? sampled_softmax_step(states, target) : full_softmax_step(states, target);
      optimizer.step();
      loss_sum += loss * static_cast<double>(target.size(0));
      predictions += target.size(0);
    }
    const double mean_loss = predictions == 0 ? 0.0 : loss_sum / static_cast<double>(predictions);
    context.end_step({.label = "sasrec epoch",
                      .step = epoch,
                      .last = params_.epochs,
                      .loss = mean_loss,
                      .finite = std::isfinite(mean_loss),
                      .remedy = "lower learning_rate (now " + format_float(params_.learning_rate) + ")"});
    if (context.at_checkpoint(epoch, params_.epochs)) {
      net_->eval();
      net_->to(torch::kCPU);
      refresh_item_vectors();
      const bool go_on = context.checkpoint(epoch, *this);
      net_->to(device);
      net_->train();
      if (!go_on) break;
    }
  }
  if (context.run.progress != nullptr) context.run.progress->finish();
  net_->eval();
  net_->to(torch::kCPU);
  refresh_item_vectors();
}

double Sasrec::full_softmax_step(const torch::Tensor& states, const torch::Tensor& target) {
  // The logits of a batch over the whole catalog (positions x items) would be tens of MB, which
  // glibc allocates by mmap and the kernel zero-fills page by page on every batch (most of a fit's
  // time, measured). So the loss runs through chunks of at most ~8 MB of logits, each chunk's
  // backward taken at once into a detached copy of the states, which then flows back through the
  // blocks in one backward pass. The result is the same gradient.
  const std::int64_t n = states.size(0);
  const std::int64_t chunk =
      std::max<std::int64_t>(1, (std::int64_t{8} << 20) / (4 * std::max<std::int64_t>(num_items_, 1)));
  const torch::Tensor detached = states.detach().requires_grad_(true);
  const torch::Tensor table = net_->output_table();
  double total = 0;
  for (std::int64_t first = 0; first < n; first += chunk) {
    const std::int64_t count = std::min(chunk, n - first);
    const torch::Tensor logits = detached.narrow(0, first, count).matmul(table.t());
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits, target.narrow(0, first, count),
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
        static_cast<double>(n);
    loss.backward();
    total += loss.item<double>();
  }
  states.backward(detached.grad());
  return total;
}

double Sasrec::sampled_softmax_step(const torch::Tensor& states, const torch::Tensor& target) {
  const torch::Tensor table = net_->output_table();
  const torch::Tensor negatives = torch::randint(num_items_, {params_.negatives}, target.options());
  const torch::Tensor positive = (states * table.index_select(0, target)).sum(-1, true);
  torch::Tensor negative = states.matmul(table.index_select(0, negatives).t());
  // A negative that is the position's own target is not a negative.
  negative = negative.masked_fill(negatives.unsqueeze(0) == target.unsqueeze(1), -1e9);
  const torch::Tensor loss = torch::nn::functional::cross_entropy(torch::cat({positive, negative}, 1),
                                                                  torch::zeros({target.size(0)}, target.options()));
  loss.backward();
  return loss.item<double>();
}

std::int64_t Sasrec::type_input(EventTypeIdx type) const {
  if (num_types_ == 0) return 0;
  return static_cast<std::int64_t>(type == kNoIndex || type >= num_types_ ? common_type_ : type) + 1;
}

void Sasrec::refresh_item_vectors() {
  torch::NoGradGuard no_grad;
  const torch::Tensor table = net_->output_table().contiguous();
  item_vectors_.assign(table.data_ptr<float>(), table.data_ptr<float>() + table.numel());
}

std::uint32_t Sasrec::embedding_dim() const {
  return static_cast<std::uint32_t>(params_.hidden);
}

std::span<const float> Sasrec::item_embedding(ItemIdx item) const {
  const auto d = static_cast<std::size_t>(params_.hidden);
  return {item_vectors_.data() + item * d, d};
}

void Sasrec::similar_scores(ItemIdx item, std::span<float> scores) const {
  const auto d = static_cast<std::size_t>(params_.hidden);
  const auto norm = [&](ItemIdx i) {
    double sum = 0;
    for (std::size_t f = 0; f < d; ++f) sum += static_cast<double>(item_vectors_[i * d + f]) * item_vectors_[i * d + f];
    return std::sqrt(sum);
  };
  const double own = norm(item);
  for (ItemIdx j = 0; j < num_items_; ++j) {
    double dot = 0;
    for (std::size_t f = 0; f < d; ++f)
      dot += static_cast<double>(item_vectors_[item * d + f]) * item_vectors_[j * d + f];
    const double denom = own * norm(j);
    scores[j] = denom > 0 ? static_cast<float>(dot / denom) : 0.0f;
  }
}

void Sasrec::query_window(const UserQuery& query, std::int64_t* items, std::int64_t* types) const {
  const auto length = static_cast<std::int64_t>(params_.max_length);
  std::vector<std::int64_t> kinds;
  if (query.user != kNoIndex && query.only_training_history && query.user + 1 < user_ptr_.size()) {
    const std::span<const ItemIdx> seq(user_items_.data() + user_ptr_[query.user],
                                       user_ptr_[query.user + 1] - user_ptr_[query.user]);
    for (std::size_t i = 0; i < seq.size(); ++i)
      kinds.push_back(type_input(num_types_ > 0 ? user_types_[user_ptr_[query.user] + i] : kNoIndex));
    fill_row(seq, kinds, length, items, types);
    return;
  }
  std::vector<std::size_t> order;
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    if (query.items[h] < num_items_) order.push_back(h);
  }
  if (query.times.size() == query.items.size()) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return query.times[a] < query.times[b]; });
  }
  std::vector<ItemIdx> seq;
  for (std::size_t h : order) seq.push_back(query.items[h]);
  kinds.assign(seq.size(), type_input(kNoIndex));
  fill_row(seq, kinds, length, items, types);
}

void Sasrec::score(std::span<const UserQuery> queries, std::span<float> scores) const {
  if (queries.empty()) return;
  linalg::default_blas_threads();
  const TorchThreads threads(1);
  const c10::InferenceMode inference;
  const auto length = static_cast<std::int64_t>(params_.max_length);
  std::vector<std::int64_t> items(queries.size() * length), types(queries.size() * length);
  for (std::size_t q = 0; q < queries.size(); ++q) {
    query_window(queries[q], items.data() + q * length, types.data() + q * length);
  }
  const auto shape = std::vector<std::int64_t>{static_cast<std::int64_t>(queries.size()), length};
  const torch::Tensor x = torch::from_blob(items.data(), shape, torch::kInt64);
  const torch::Tensor t = torch::from_blob(types.data(), shape, torch::kInt64);
  const torch::Tensor last = net_->forward(x, t).select(1, length - 1);  // (B, hidden)
  torch::Tensor out = torch::from_blob(scores.data(), {static_cast<std::int64_t>(queries.size()), num_items_});
  torch::matmul_out(out, last, net_->output_table().t());
}

void Sasrec::score_one(const UserQuery& query, std::span<float> scores) const {
  score(std::span<const UserQuery>(&query, 1), scores);
}

void Sasrec::save(BinaryWriter& out) const {
  AISLE_CHECK_MSG(net_ != nullptr, "sasrec: save before fit");
  out.put<std::uint32_t>(kFormatVersion);
  out.put<std::uint32_t>(num_items_);
  out.put<std::uint32_t>(num_types_);
  out.put<std::uint32_t>(common_type_);
  out.put_vector(user_ptr_);
  out.put_vector(user_items_);
  out.put_vector(user_types_);
  const auto named = net_->named_parameters();
  out.put<std::uint64_t>(named.size());
  for (const auto& p : named) {
    out.put_string(p.key());
    const torch::Tensor w = p.value().detach().contiguous();
    out.put_vector(std::vector<std::int64_t>(w.sizes().begin(), w.sizes().end()));
    out.put_vector(std::span<const float>(w.data_ptr<float>(), static_cast<std::size_t>(w.numel())));
  }
}

void Sasrec::load(BinaryReader& in) {
  in.expect_version(kFormatVersion, "sasrec format version");
  num_items_ = in.get<std::uint32_t>("sasrec items");
  num_types_ = in.get<std::uint32_t>("sasrec event types");
  common_type_ = in.get<std::uint32_t>("sasrec common event type");
  user_ptr_ = in.get_vector<std::uint64_t>("sasrec user offsets");
  user_items_ = in.get_vector<ItemIdx>("sasrec user items");
  user_types_ = in.get_vector<EventTypeIdx>("sasrec user event types");
  if (user_ptr_.empty()) in.fail("sasrec user offsets", "empty");
  in.check_offsets(user_ptr_, user_ptr_.size() - 1, user_items_.size(), "sasrec user items");
  for (ItemIdx i : user_items_) {
    if (i >= num_items_) in.fail("sasrec user items", "item index out of range");
  }
  if (num_types_ > 0 && user_types_.size() != user_items_.size()) in.fail("sasrec user event types", "wrong length");
  if (num_types_ > 0 && common_type_ >= num_types_) in.fail("sasrec common event type", "out of range");
  auto net = std::make_unique<Network>(params_, num_items_, num_types_);
  const auto named = net->named_parameters();
  const auto count = in.get<std::uint64_t>("sasrec parameter count");
  if (count != named.size())
    in.fail("sasrec parameter count", std::to_string(count) + ", expected " + std::to_string(named.size()));
  torch::NoGradGuard no_grad;
  for (const auto& p : named) {
    const std::string name = in.get_string("sasrec parameter name");
    if (name != p.key()) in.fail("sasrec parameter name", "'" + name + "', expected '" + p.key() + "'");
    const auto sizes = in.get_vector<std::int64_t>("sasrec parameter shape");
    if (sizes != std::vector<std::int64_t>(p.value().sizes().begin(), p.value().sizes().end()))
      in.fail("sasrec parameter shape", "of " + name + " does not match the parameters");
    const auto values = in.get_vector<float>("sasrec parameter values");
    if (static_cast<std::int64_t>(values.size()) != p.value().numel())
      in.fail("sasrec parameter values", "wrong length");
    std::memcpy(p.value().data_ptr<float>(), values.data(), values.size() * sizeof(float));
  }
  net_ = std::move(net);
  net_->eval();
  refresh_item_vectors();
}

}  // namespace aisle

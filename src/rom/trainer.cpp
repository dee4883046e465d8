#include "rom/trainer.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "rom/adam.hpp"
#include "rom/bptt.hpp"
#include "rom/errors.hpp"
#include "rom/initialisation.hpp"
#include "rom/random.hpp"
#include "rom/thread_pool.hpp"

namespace rom {

namespace {

// Independent random streams derived from the one seed.
constexpr std::uint64_t kInitialisationStream = 0;
constexpr std::uint64_t kShuffleStream = 1;

// Checks a set against the model's sizes and lays it out by columns.
std::vector<ColumnSequence> to_columns(const std::vector<Sequence>& set, const ModelSpec& spec,
                                       const std::string& set_name) {
  if (set.empty()) throw InputError(set_name + " set is empty");
  std::vector<ColumnSequence> columns;
  columns.reserve(set.size());
  for (std::size_t k = 0; k < set.size(); ++k) {
    const Sequence& s = set[k];
    const std::string where = set_name + " sequence " + std::to_string(k) + ": ";
    if (s.x.rows() == 0) throw InputError(where + "no time steps");
    if (s.x.rows() != s.y.rows()) {
      throw InputError(where + std::to_string(s.x.rows()) + " input rows but " +
                       std::to_string(s.y.rows()) + " output rows");
    }
    if (s.x.cols() != spec.n_inputs || s.y.cols() != spec.n_outputs) {
      throw InputError(where + std::to_string(s.x.cols()) + " inputs and " +
                       std::to_string(s.y.cols()) + " outputs, model has " +
                       std::to_string(spec.n_inputs) + " and " + std::to_string(spec.n_outputs));
    }
    if (!s.x.allFinite() || !s.y.allFinite()) throw InputError(where + "NaN or Inf in the data");
    columns.push_back({s.x.transpose(), s.y.transpose()});
  }
  return columns;
}

long value_count(const std::vector<ColumnSequence>& set) {
  long count = 0;
  for (const ColumnSequence& s : set) count += static_cast<long>(s.y.size());
  return count;
}

void check_options(const TrainOptions& o) {
  auto fail = [](const std::string& what) { throw InputError("training option " + what); };
  if (o.epochs < 1) fail("epochs must be >= 1, got " + std::to_string(o.epochs));
  if (o.batch_size < 1) fail("batch_size must be >= 1, got " + std::to_string(o.batch_size));
  if (!(o.learning_rate >= 0.0) || !std::isfinite(o.learning_rate)) {
    fail("learning_rate must be finite and >= 0, got " + std::to_string(o.learning_rate));
  }
  if (o.truncation < 0) fail("truncation must be >= 0, got " + std::to_string(o.truncation));
  if (!(o.clip_norm >= 0.0) || !std::isfinite(o.clip_norm)) {
    fail("clip_norm must be finite and >= 0, got " + std::to_string(o.clip_norm));
  }
  if (o.threads < 1) fail("threads must be >= 1, got " + std::to_string(o.threads));
}

// One status line on a terminal, rewritten at most a few times per second.
class ProgressLine {
 public:
  ProgressLine(bool wanted, int epochs)
      : enabled_(wanted && isatty(fileno(stderr))),
        epochs_(epochs),
        start_(std::chrono::steady_clock::now()) {}

  void update(const EpochRecord& record, int best_epoch, double best_rmse) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (record.epoch != epochs_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const long left = std::lround(elapsed / record.epoch * (epochs_ - record.epoch));
    std::fprintf(stderr,
                 "\repoch %d/%d  train %.4e  valid %.4e  best %.4e (epoch %d)  left %ldm%02lds ",
                 record.epoch, epochs_, record.train_rmse, record.valid_rmse, best_rmse, best_epoch,
                 left / 60, left % 60);
    if (record.epoch == epochs_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  int epochs_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace

double default_learning_rate(CellType cell) { return cell == CellType::Rnn ? 0.001 : 0.05; }

TrainResult train(const ModelSpec& spec, const std::vector<Sequence>& train_set,
                  const std::vector<Sequence>& valid_set, const TrainOptions& options) {
  SequenceModel model(spec);
  initialise_keras(model, derive_seed(options.seed, kInitialisationStream));
  return train_from(model, train_set, valid_set, options);
}

TrainResult train_from(const SequenceModel& initial, const std::vector<Sequence>& train_set,
                       const std::vector<Sequence>& valid_set, const TrainOptions& options) {
  check_options(options);
  initial.check_blocks();
  const ModelSpec& spec = initial.spec();
  const std::vector<ColumnSequence> train_columns = to_columns(train_set, spec, "training");
  const std::vector<ColumnSequence> valid_columns = to_columns(valid_set, spec, "validation");
  const long valid_count = value_count(valid_columns);
  const double learning_rate =
      options.learning_rate > 0.0 ? options.learning_rate : default_learning_rate(spec.cell);

  Eigen::VectorXd theta = initial.packed_parameters();
  const Eigen::Index n_params = theta.size();
  Adam adam(n_params, learning_rate);
  ThreadPool pool(options.threads);
  std::vector<BpttWorkspace> workspaces(pool.size());

  const int n_train = static_cast<int>(train_columns.size());
  const int batch = std::min(options.batch_size, n_train);
  // One gradient buffer per sequence of a batch, summed in batch order: the
  // result does not depend on which thread computed what.
  Eigen::MatrixXd sequence_grads(n_params, batch);
  std::vector<double> sequence_sse(std::max<std::size_t>(batch, valid_columns.size()));
  Eigen::VectorXd grad(n_params);

  Rng shuffle_rng(derive_seed(options.seed, kShuffleStream));
  std::vector<int> order(n_train);
  std::iota(order.begin(), order.end(), 0);

  TrainResult result{initial, 0, std::numeric_limits<double>::infinity(), {}};
  Eigen::VectorXd best_theta = theta;
  ProgressLine progress(options.progress, options.epochs);

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    for (int i = n_train - 1; i > 0; --i) {  // Fisher-Yates
      std::swap(order[i], order[shuffle_rng.index(static_cast<std::uint64_t>(i) + 1)]);
    }
    double epoch_sse = 0.0;
    long epoch_count = 0;
    for (int start = 0; start < n_train; start += batch) {
      const int n_batch = std::min(batch, n_train - start);
      long count = 0;
      for (int i = 0; i < n_batch; ++i) count += train_columns[order[start + i]].y.size();
      const double scale = 1.0 / static_cast<double>(count);  // SSE -> batch MSE
      pool.run(n_batch, [&](int i, int worker) {
        double* g = sequence_grads.col(i).data();
        std::fill(g, g + n_params, 0.0);
        sequence_sse[i] =
            sequence_sse_gradient(initial, theta.data(), train_columns[order[start + i]], scale,
                                  options.truncation, workspaces[worker], g);
      });
      grad = sequence_grads.col(0);
      epoch_sse += sequence_sse[0];
      for (int i = 1; i < n_batch; ++i) {
        grad += sequence_grads.col(i);
        epoch_sse += sequence_sse[i];
      }
      epoch_count += count;
      if (options.clip_norm > 0.0) {
        const double norm = grad.norm();
        if (norm > options.clip_norm) grad *= options.clip_norm / norm;
      }
      adam.step(theta.data(), grad.data());
    }

    pool.run(static_cast<int>(valid_columns.size()), [&](int i, int worker) {
      sequence_sse[i] =
          rom::sequence_sse(initial, theta.data(), valid_columns[i], workspaces[worker]);
    });
    double valid_sse = 0.0;
    for (std::size_t i = 0; i < valid_columns.size(); ++i) valid_sse += sequence_sse[i];

    const EpochRecord record{epoch, std::sqrt(epoch_sse / static_cast<double>(epoch_count)),
                             std::sqrt(valid_sse / static_cast<double>(valid_count))};
    result.history.push_back(record);
    if (record.valid_rmse < result.best_valid_rmse) {  // NaN never wins
      result.best_valid_rmse = record.valid_rmse;
      result.best_epoch = epoch;
      best_theta = theta;
    }
    progress.update(record, result.best_epoch, result.best_valid_rmse);
  }
  result.best_model.set_packed_parameters(best_theta);
  return result;
}

double pooled_rmse(const SequenceModel& model, const std::vector<Sequence>& set) {
  model.check_blocks();
  const std::vector<ColumnSequence> columns = to_columns(set, model.spec(), "evaluation");
  const Eigen::VectorXd theta = model.packed_parameters();
  BpttWorkspace workspace;
  double sse = 0.0;
  for (const ColumnSequence& s : columns) sse += sequence_sse(model, theta.data(), s, workspace);
  return std::sqrt(sse / static_cast<double>(value_count(columns)));
}

}  // namespace rom

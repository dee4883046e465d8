#include "rom/sequence_model.hpp"

#include <cmath>

#include "rom/cells/recurrent_cell.hpp"
#include "rom/dense.hpp"
#include "rom/errors.hpp"

namespace rom {

namespace {
// Upper bound on the number of blocks (GRU reset-after: 12 + 2), so step()
// can keep its block pointers on the stack.
constexpr std::size_t kMaxBlocks = 16;
}  // namespace

SequenceModel::SequenceModel(const ModelSpec& spec)
    : spec_(spec),
      cell_(make_cell(spec)),
      readout_(std::make_shared<DenseLayer>(spec.hidden, spec.n_outputs)) {
  for (const auto& shapes : {cell_->block_shapes(), readout_->block_shapes()}) {
    for (const BlockShape& shape : shapes) {
      blocks_.push_back({shape.name, Eigen::MatrixXd::Zero(shape.rows, shape.cols)});
    }
  }
  cell_block_count_ = static_cast<int>(cell_->block_shapes().size());
  if (blocks_.size() > kMaxBlocks) throw std::logic_error("SequenceModel: too many blocks");
}

int SequenceModel::parameter_count() const {
  Eigen::Index count = 0;
  for (const ParamBlock& block : blocks_) count += block.value.size();
  return static_cast<int>(count);
}

StreamState SequenceModel::make_state() const {
  StreamState state;
  state.h = Eigen::VectorXd::Zero(spec_.hidden);
  state.c = Eigen::VectorXd::Zero(cell_->has_cell_state() ? spec_.hidden : 0);
  state.scratch = Eigen::VectorXd::Zero(cell_->cache_size());
  return state;
}

void SequenceModel::reset(StreamState& state) const {
  state.h.setZero();
  state.c.setZero();
}

void SequenceModel::step(StreamState& state, const double* x, double* y) const {
  const double* p[kMaxBlocks];
  for (std::size_t k = 0; k < blocks_.size(); ++k) p[k] = blocks_[k].value.data();
  double* h = state.h.data();
  double* c = state.c.data();
  cell_->forward(p, x, h, c, h, c, state.scratch.data());
  readout_->forward(p + cell_block_count_, h, y);
}

Eigen::MatrixXd SequenceModel::predict(const Eigen::MatrixXd& X) const {
  if (X.cols() != spec_.n_inputs) {
    throw InputError("predict: input has " + std::to_string(X.cols()) + " columns, model has " +
                     std::to_string(spec_.n_inputs) + " inputs");
  }
  StreamState state = make_state();
  Eigen::MatrixXd Y(X.rows(), spec_.n_outputs);
  Eigen::VectorXd x(spec_.n_inputs), y(spec_.n_outputs);
  for (Eigen::Index t = 0; t < X.rows(); ++t) {
    x = X.row(t).transpose();
    step(state, x.data(), y.data());
    Y.row(t) = y.transpose();
  }
  return Y;
}

Eigen::VectorXd SequenceModel::packed_parameters() const {
  Eigen::VectorXd theta(parameter_count());
  Eigen::Index offset = 0;
  for (const ParamBlock& block : blocks_) {
    theta.segment(offset, block.value.size()) =
        Eigen::Map<const Eigen::VectorXd>(block.value.data(), block.value.size());
    offset += block.value.size();
  }
  return theta;
}

void SequenceModel::set_packed_parameters(const Eigen::VectorXd& theta) {
  if (theta.size() != parameter_count()) {
    throw InputError("packed parameters: " + std::to_string(theta.size()) + " values, model has " +
                     std::to_string(parameter_count()));
  }
  Eigen::Index offset = 0;
  for (ParamBlock& block : blocks_) {
    Eigen::Map<Eigen::VectorXd>(block.value.data(), block.value.size()) =
        theta.segment(offset, block.value.size());
    offset += block.value.size();
  }
}

void SequenceModel::check_blocks() const {
  std::vector<BlockShape> shapes = cell_->block_shapes();
  for (const BlockShape& shape : readout_->block_shapes()) shapes.push_back(shape);
  if (shapes.size() != blocks_.size()) {
    throw InputError("model has " + std::to_string(blocks_.size()) +
                     " parameter blocks, expected " + std::to_string(shapes.size()));
  }
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    const ParamBlock& block = blocks_[k];
    if (block.name != shapes[k].name) {
      throw InputError("parameter block " + std::to_string(k) + " is '" + block.name +
                       "', expected '" + shapes[k].name + "'");
    }
    if (block.value.rows() != shapes[k].rows || block.value.cols() != shapes[k].cols) {
      throw InputError("parameter block '" + block.name + "' is " +
                       std::to_string(block.value.rows()) + " x " +
                       std::to_string(block.value.cols()) + ", expected " +
                       std::to_string(shapes[k].rows) + " x " + std::to_string(shapes[k].cols));
    }
    for (Eigen::Index i = 0; i < block.value.size(); ++i) {
      if (!std::isfinite(block.value.data()[i])) {
        throw InputError("parameter block '" + block.name + "' has a non-finite value at index " +
                         std::to_string(i));
      }
    }
  }
}

}  // namespace rom

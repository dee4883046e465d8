// One recurrent layer followed by a per-time-step dense readout: the model of
// Barbulescu et al. (2023). Units are whatever the data carries (the weights
// file records them); this class is pure numerics.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <string>
#include <vector>

namespace rom {

class RecurrentCell;
class DenseLayer;

enum class CellType { Rnn, Lstm, Gru };
// Classic: Cho et al. 2014, one bias per gate, reset applied to h before the
// recurrent product (Keras reset_after=False). ResetAfter: PyTorch / Keras
// default, reset applied after the recurrent product, two biases per gate.
enum class GruVariant { Classic, ResetAfter };

struct ModelSpec {
  CellType cell = CellType::Gru;
  GruVariant gru_variant = GruVariant::Classic;  // ignored unless cell == Gru
  int n_inputs = 0;
  int hidden = 0;
  int n_outputs = 0;
};

// One named, dense parameter block ("W_z", "U_r", "b_h", "dense.W", ...).
// The packed layout of every block is documented in docs/model.md and next to
// the cell that uses it.
struct ParamBlock {
  std::string name;
  Eigen::MatrixXd value;
};

// Recurrent state of one streaming evaluation (h, and c for LSTM) plus scratch
// space, so that step() never allocates.
struct StreamState {
  Eigen::VectorXd h;
  Eigen::VectorXd c;
  Eigen::VectorXd scratch;
};

class SequenceModel {
 public:
  explicit SequenceModel(const ModelSpec& spec);

  const ModelSpec& spec() const { return spec_; }
  int parameter_count() const;

  // Blocks in a fixed, documented order (recurrent cell first, then the dense
  // readout). Names are stable: the weights file uses them as keys.
  std::vector<ParamBlock>& blocks() { return blocks_; }
  const std::vector<ParamBlock>& blocks() const { return blocks_; }

  // Streaming inference, one time step at a time; no allocation after
  // make_state().
  StreamState make_state() const;
  void reset(StreamState& state) const;  // zero h (and c)
  void step(StreamState& state, const double* x, double* y) const;

  // Whole-sequence inference from a zero state: X is T x n_inputs, result is
  // T x n_outputs.
  Eigen::MatrixXd predict(const Eigen::MatrixXd& X) const;

  // The layers (parameter-free; they read the blocks). Blocks
  // [0, cell_block_count()) belong to the cell, the rest to the readout.
  const RecurrentCell& cell() const { return *cell_; }
  const DenseLayer& readout() const { return *readout_; }
  int cell_block_count() const { return cell_block_count_; }

  // All parameters in one vector: the blocks in order, each column-major.
  // This is the trainer's layout (see docs/model.md).
  Eigen::VectorXd packed_parameters() const;
  void set_packed_parameters(const Eigen::VectorXd& theta);  // InputError on wrong size

  // InputError naming the block unless every block has its documented name
  // and shape and only finite values (for loaders, after editing blocks()).
  void check_blocks() const;

 private:
  ModelSpec spec_;
  std::vector<ParamBlock> blocks_;
  std::shared_ptr<const RecurrentCell> cell_;
  std::shared_ptr<const DenseLayer> readout_;
  int cell_block_count_ = 0;
};

}  // namespace rom

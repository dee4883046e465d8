// Interface of one recurrent layer (a "cell" applied at every time step).
// A cell owns no parameters: it receives an array of pointers to its blocks
// (in the order of block_shapes(), each block column-major) so the same code
// runs on a SequenceModel's blocks (inference) and on the trainer's packed
// parameter vector (training). Stacked layers would be a list of cells.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rom/sequence_model.hpp"

namespace rom {

// What a block is, for initialisation (see initialisation.hpp).
enum class BlockRole {
  InputWeights,      // Glorot-uniform, fan over all gates of the layer
  RecurrentWeights,  // orthogonal over all gates of the layer
  Bias,              // zero
  ForgetBias,        // one (Keras unit_forget_bias)
};

struct BlockShape {
  std::string name;
  int rows;
  int cols;
  BlockRole role;
};

// The gradient of a weight block is a sum over time steps of outer products
// left_t right_t^T. Left is a slice of backward()'s work buffer (hidden()
// long); right is the step's input x_t, the previous state h_{t-1}, or a slice
// of the step's forward cache. A trainer may defer these sums (see
// weight_gradients()).
struct WeightGradient {
  enum class Right { Input, PreviousState, Cache };
  int block;         // index into block_shapes()
  int work_offset;   // left factor: work + work_offset
  Right right;       // right factor
  int cache_offset;  // for Right::Cache: cache + cache_offset
};

class RecurrentCell {
 public:
  RecurrentCell(int n_inputs, int hidden) : n_inputs_(n_inputs), hidden_(hidden) {}
  virtual ~RecurrentCell() = default;

  int n_inputs() const { return n_inputs_; }
  int hidden() const { return hidden_; }

  // Parameter blocks in their fixed order (names are the weights-file keys).
  virtual const std::vector<BlockShape>& block_shapes() const = 0;
  // True when the cell carries a memory cell c next to h (LSTM).
  virtual bool has_cell_state() const { return false; }
  // Doubles per time step the forward pass keeps for the backward pass.
  virtual int cache_size() const = 0;
  // Doubles of scratch space backward() needs (gate pre-activation gradients).
  virtual int work_size() const = 0;
  // How each weight block's gradient is formed from backward()'s work buffer.
  virtual std::vector<WeightGradient> weight_gradients() const = 0;

  // One step: (x, h_prev, c_prev) -> (h, c); fills cache[0..cache_size()).
  // h may alias h_prev and c may alias c_prev (streaming inference updates in
  // place). c_prev/c are unused (may be null) unless has_cell_state().
  virtual void forward(const double* const* p, const double* x, const double* h_prev,
                       const double* c_prev, double* h, double* c, double* cache) const = 0;

  // Backward through the same step. dh, dc: gradient of the loss with respect
  // to this step's h and c (dc unused without cell state). Adds the parameter
  // gradients into the blocks g (same order/layout as p) and writes the
  // gradient with respect to h_prev (and c_prev) into dh_prev (dc_prev).
  // h, c and cache are what forward() produced for this step; work has
  // work_size() doubles; no aliasing. A null pointer in g for a weight block
  // skips that block: the caller sums its outer products itself, as
  // weight_gradients() describes, from every step's work buffer (one matrix
  // product per sequence instead of a rank-one update per step).
  virtual void backward(const double* const* p, const double* x, const double* h_prev,
                        const double* c_prev, const double* h, const double* c, const double* cache,
                        const double* dh, const double* dc, double* const* g, double* dh_prev,
                        double* dc_prev, double* work) const = 0;

  // Adds the gradient with respect to x (this step's input) into dx, from
  // the work buffer that backward() just filled: every cell leaves there
  // first the gradients of the pre-activations of its gates, in the order of
  // its input-weight blocks, so dx = sum_g W_g^T da_g. For input saliency and
  // for stacking layers.
  void add_input_gradient(const double* const* p, const double* work, double* dx) const;

 private:
  int n_inputs_;
  int hidden_;
};

// The cell a spec asks for; throws InputError on non-positive sizes.
std::shared_ptr<const RecurrentCell> make_cell(const ModelSpec& spec);

}  // namespace rom

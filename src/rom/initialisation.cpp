#include "rom/initialisation.hpp"

#include <cmath>

#include "rom/cells/recurrent_cell.hpp"
#include "rom/dense.hpp"
#include "rom/random.hpp"

namespace rom {

namespace {

// Initialises the blocks [first, first + shapes.size()) of one layer.
void initialise_layer(const std::vector<BlockShape>& shapes, ParamBlock* blocks, Rng& rng) {
  int input_rows = 0, input_cols = 0, recurrent_rows = 0, recurrent_cols = 0;
  for (const BlockShape& shape : shapes) {
    if (shape.role == BlockRole::InputWeights) {
      input_rows += shape.rows;
      input_cols = shape.cols;
    } else if (shape.role == BlockRole::RecurrentWeights) {
      recurrent_rows += shape.rows;
      recurrent_cols = shape.cols;
    }
  }
  // Glorot-uniform over the layer's whole input kernel, blocks in order, each column-major.
  const double limit = std::sqrt(6.0 / (input_cols + input_rows));
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    if (shapes[k].role != BlockRole::InputWeights) continue;
    Eigen::MatrixXd& value = blocks[k].value;
    for (Eigen::Index i = 0; i < value.size(); ++i) value.data()[i] = rng.uniform(-limit, limit);
  }
  // Orthogonal: a normal matrix (drawn column-major), Q of its QR decomposition
  // with the signs fixed by diag(R) (so Q is Haar-distributed), split by rows.
  if (recurrent_rows > 0) {
    Eigen::MatrixXd normal(recurrent_rows, recurrent_cols);
    for (Eigen::Index i = 0; i < normal.size(); ++i) normal.data()[i] = rng.normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(normal);
    Eigen::MatrixXd q =
        qr.householderQ() * Eigen::MatrixXd::Identity(recurrent_rows, recurrent_cols);
    const Eigen::MatrixXd r = qr.matrixQR().topRows(recurrent_cols).triangularView<Eigen::Upper>();
    for (int j = 0; j < recurrent_cols; ++j) {
      if (r(j, j) < 0) q.col(j) = -q.col(j);
    }
    int row = 0;
    for (std::size_t k = 0; k < shapes.size(); ++k) {
      if (shapes[k].role != BlockRole::RecurrentWeights) continue;
      blocks[k].value = q.middleRows(row, shapes[k].rows);
      row += shapes[k].rows;
    }
  }
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    if (shapes[k].role == BlockRole::Bias) blocks[k].value.setZero();
    if (shapes[k].role == BlockRole::ForgetBias) blocks[k].value.setOnes();
  }
}

}  // namespace

void initialise_keras(SequenceModel& model, std::uint64_t seed) {
  Rng rng(seed);
  ParamBlock* blocks = model.blocks().data();
  initialise_layer(model.cell().block_shapes(), blocks, rng);
  initialise_layer(model.readout().block_shapes(), blocks + model.cell_block_count(), rng);
}

}  // namespace rom

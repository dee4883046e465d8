#include "rom/cells/recurrent_cell.hpp"

#include "rom/cells/gru_classic_cell.hpp"
#include "rom/cells/gru_reset_after_cell.hpp"
#include "rom/cells/lstm_cell.hpp"
#include "rom/cells/rnn_cell.hpp"
#include "rom/errors.hpp"
#include "rom/kernels.hpp"

namespace rom {

void RecurrentCell::add_input_gradient(const double* const* p, const double* work,
                                       double* dx) const {
  const std::vector<BlockShape>& shapes = block_shapes();
  int gate = 0;
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    if (shapes[k].role != BlockRole::InputWeights) continue;
    kernels::add_matvec_transposed(hidden_, n_inputs_, p[k], work + gate * hidden_, dx);
    ++gate;
  }
}

std::shared_ptr<const RecurrentCell> make_cell(const ModelSpec& spec) {
  if (spec.n_inputs <= 0 || spec.hidden <= 0 || spec.n_outputs <= 0) {
    throw InputError("model sizes must be positive: n_inputs=" + std::to_string(spec.n_inputs) +
                     " hidden=" + std::to_string(spec.hidden) +
                     " n_outputs=" + std::to_string(spec.n_outputs));
  }
  switch (spec.cell) {
    case CellType::Rnn:
      return std::make_shared<RnnCell>(spec.n_inputs, spec.hidden);
    case CellType::Lstm:
      return std::make_shared<LstmCell>(spec.n_inputs, spec.hidden);
    case CellType::Gru:
      if (spec.gru_variant == GruVariant::ResetAfter) {
        return std::make_shared<GruResetAfterCell>(spec.n_inputs, spec.hidden);
      }
      return std::make_shared<GruClassicCell>(spec.n_inputs, spec.hidden);
  }
  throw InputError("unknown cell type");
}

}  // namespace rom

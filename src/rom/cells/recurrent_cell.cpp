#include "rom/cells/recurrent_cell.hpp"

#include "rom/cells/gru_classic_cell.hpp"
#include "rom/cells/gru_reset_after_cell.hpp"
#include "rom/cells/lstm_cell.hpp"
#include "rom/cells/rnn_cell.hpp"
#include "rom/errors.hpp"

namespace rom {

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

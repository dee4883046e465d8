#include "rom/model_spec.hpp"

#include "rom/errors.hpp"

namespace rom {

std::string to_string(CellType cell) {
  switch (cell) {
    case CellType::Rnn:
      return "rnn";
    case CellType::Lstm:
      return "lstm";
    case CellType::Gru:
      return "gru";
  }
  return "unknown";
}

std::string to_string(GruVariant variant) {
  switch (variant) {
    case GruVariant::Classic:
      return "classic";
    case GruVariant::ResetAfter:
      return "reset_after";
  }
  return "unknown";
}

CellType parse_cell_type(const std::string& name) {
  if (name == "rnn") return CellType::Rnn;
  if (name == "lstm") return CellType::Lstm;
  if (name == "gru") return CellType::Gru;
  throw InputError("unknown cell type '" + name + "' (expected rnn, lstm or gru)");
}

GruVariant parse_gru_variant(const std::string& name) {
  if (name == "classic") return GruVariant::Classic;
  if (name == "reset_after") return GruVariant::ResetAfter;
  throw InputError("unknown GRU variant '" + name + "' (expected classic or reset_after)");
}

std::string describe(const ModelSpec& spec) {
  std::string cell = spec.cell == CellType::Rnn    ? "RNN"
                     : spec.cell == CellType::Lstm ? "LSTM"
                                                   : "GRU";
  std::string text = cell + "-" + std::to_string(spec.hidden);
  if (spec.cell == CellType::Gru) text += " (" + to_string(spec.gru_variant) + ")";
  return text + ", " + std::to_string(spec.n_inputs) + " inputs, " +
         std::to_string(spec.n_outputs) + " outputs";
}

}  // namespace rom

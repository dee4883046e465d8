// Names of the model architectures as they appear on the command line and in
// weights files: CellType <-> "rnn" / "lstm" / "gru", GruVariant <->
// "classic" / "reset_after".
#pragma once

#include <string>

#include "rom/sequence_model.hpp"

namespace rom {

std::string to_string(CellType cell);
std::string to_string(GruVariant variant);

// Throw InputError naming the value and the accepted names.
CellType parse_cell_type(const std::string& name);
GruVariant parse_gru_variant(const std::string& name);

// Human-readable architecture, e.g. "GRU-8 (classic), 4 inputs, 4 outputs".
std::string describe(const ModelSpec& spec);

}  // namespace rom

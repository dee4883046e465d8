// Number formatting shared by the commands' reports: the text tables on
// stdout and the JSON line that --json appends.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cli {

// Scientific notation with `digits` after the point; "n/a" for NaN (an
// undefined value: no test split, NRMSE of a constant output).
std::string scientific(double value, int digits = 4);

// The value, or null when it is not finite (JSON has no NaN or Inf).
nlohmann::ordered_json number_or_null(double value);

}  // namespace cli

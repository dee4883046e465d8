#include "cli/report_format.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace cli {

std::string scientific(double value, int digits) {
  if (std::isnan(value)) return "n/a";
  std::ostringstream out;
  out << std::scientific << std::setprecision(digits) << value;
  return out.str();
}

nlohmann::ordered_json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

}  // namespace cli

#include "rom/read_file.hpp"

#include <fstream>
#include <sstream>

#include "rom/errors.hpp"

namespace rom {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot read file");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace rom

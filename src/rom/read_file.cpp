#include "rom/read_file.hpp"

#include <fstream>
#include <sstream>

#include "rom/errors.hpp"

namespace rom {

std::string read_file(const std::filesystem::path& file) {
  // An ifstream opens a directory and reads it as empty: say what it is instead.
  if (std::filesystem::is_directory(file)) throw InputError(file.string() + ": is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot read file");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace rom

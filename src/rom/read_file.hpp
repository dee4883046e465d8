// Reading a whole input file into memory (datasets, weights, the study's
// published tables), with the one error every reader reports.
#pragma once

#include <filesystem>
#include <string>

namespace rom {

// The file's bytes; InputError "<file>: cannot read file" if it cannot be
// opened, "<file>: is a directory" for a directory.
std::string read_file(const std::filesystem::path& file);

}  // namespace rom

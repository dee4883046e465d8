// Where an output came from: content hashes of its inputs, the program version
// and the git commit of the source tree.
#pragma once

#include <filesystem>
#include <string>

namespace rom {

// SHA-256 of bytes, as 64 lowercase hex digits.
std::string sha256_hex(const std::string& bytes);
// SHA-256 of a file's content; InputError if it cannot be read.
std::string sha256_of_file(const std::filesystem::path& file);

// `git rev-parse HEAD` of the neurorom source tree ($NEUROROM_ROOT, else the
// tree this program was built from), or "unknown" if that is not a git repository.
std::string git_commit();

// neurorom's version (the CMake project version).
std::string program_version();

}  // namespace rom

#include "rom/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "rom/errors.hpp"

namespace rom {
namespace {

namespace fs = std::filesystem;

// Unique within the process (counter) and across processes (pid).
fs::path temporary_name_for(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  const std::string name = "." + target.filename().string() + ".tmp." + std::to_string(::getpid()) +
                           "." + std::to_string(counter++);
  return target.parent_path() / name;
}

// fsync so that the rename never exposes a file whose data is not on disk yet.
void sync_to_disk(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const fs::path& target,
                           const std::function<void(std::ostream&)>& write) {
  if (target.filename().empty()) throw InputError(target.string() + ": not a file name");
  const fs::path temporary = temporary_name_for(target);
  try {
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out) {
        throw InputError(target.string() + ": cannot write (" + std::strerror(errno) + ")");
      }
      write(out);
      out.flush();
      if (!out) throw InputError(target.string() + ": write failed (" + std::strerror(errno) + ")");
    }
    sync_to_disk(temporary);
    std::error_code error;
    fs::rename(temporary, target, error);
    if (error) throw InputError(target.string() + ": cannot replace (" + error.message() + ")");
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

void write_file_atomically(const fs::path& target, const std::string& content) {
  write_file_atomically(target, [&content](std::ostream& out) { out << content; });
}

}  // namespace rom

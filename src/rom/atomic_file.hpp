// Output files are written atomically: the content goes to a temporary file in
// the same directory, which is flushed and then renamed over the target. An
// interrupted run leaves the old file or the new one, never half of one.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace rom {

// Calls `write` with a stream on a temporary file next to `target`, then
// renames it to `target`. If `write` throws or the stream fails, the temporary
// file is removed, `target` is untouched and the error propagates (file
// system failures become InputError naming the file).
void write_file_atomically(const std::filesystem::path& target,
                           const std::function<void(std::ostream&)>& write);

void write_file_atomically(const std::filesystem::path& target, const std::string& content);

}  // namespace rom

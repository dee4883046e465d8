// User errors (bad files, bad options) are InputError and carry a one-line
// message naming the file, field, line or value. Anything else is a bug.
#pragma once

#include <stdexcept>
#include <string>

namespace rom {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace rom

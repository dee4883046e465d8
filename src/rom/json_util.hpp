// Strict reading of JSON files: every accessor names the file and the field
// path ("W.json: parameters.W_z.values[2][0]: ...") when something is missing,
// has the wrong type or is not a finite number.
#pragma once

#include <Eigen/Dense>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace rom {

// Parses a whole file; malformed or truncated JSON is an InputError naming the
// file and the position.
nlohmann::json read_json_file(const std::filesystem::path& file);
// The same on text already in memory; `file` only names it in errors.
nlohmann::json parse_json_text(const std::string& text, const std::filesystem::path& file);

// Writes `value` atomically in dump_readable() form, with a final newline.
void write_json_file(const std::filesystem::path& file, const nlohmann::ordered_json& value);

// Objects indented, arrays of numbers on one line each (a matrix is one line
// per row), short values (<= 80 characters) on one line, so that files stay
// short and diffable.
std::string dump_readable(const nlohmann::ordered_json& value);

// A view of one value inside a parsed file that knows where it is.
class JsonField {
 public:
  JsonField(const nlohmann::json& value, std::string file, std::string path = "");

  bool has(const std::string& key) const;              // true if an object with that key
  JsonField operator[](const std::string& key) const;  // throws if missing
  JsonField operator[](std::size_t index) const;       // throws if out of range
  std::size_t size() const;                            // of an array; throws otherwise

  double number() const;  // finite number
  int integer() const;    // integral number within int range
  std::string string() const;
  bool boolean() const;
  const nlohmann::json& raw() const { return value_; }

  // Array of `n` finite numbers.
  Eigen::VectorXd vector(Eigen::Index n) const;
  // Array of `rows` arrays of `cols` finite numbers (row-major).
  Eigen::MatrixXd matrix(Eigen::Index rows, Eigen::Index cols) const;

  // Throws InputError "<file>: <path>: <what>".
  [[noreturn]] void fail(const std::string& what) const;
  const std::string& path() const { return path_; }

 private:
  void require(bool condition, const std::string& expected) const;

  const nlohmann::json& value_;
  std::string file_;
  std::string path_;
};

// The "format" and "format_version" fields of a file's root object: InputError
// naming the field unless they are `format` and `version` (the one version this
// program reads).
void require_format(const JsonField& root, const std::string& format, int version);

// Row-major nested arrays, and plain arrays.
nlohmann::ordered_json matrix_to_json(const Eigen::MatrixXd& matrix);
nlohmann::ordered_json vector_to_json(const Eigen::VectorXd& vector);

// nlohmann::json (sorted keys) -> ordered_json, keeping the values.
nlohmann::ordered_json to_ordered(const nlohmann::json& value);

}  // namespace rom

#include "rom/json_util.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rom/atomic_file.hpp"
#include "rom/errors.hpp"
#include "rom/read_file.hpp"

namespace rom {

namespace fs = std::filesystem;

nlohmann::json read_json_file(const fs::path& file) {
  return parse_json_text(read_file(file), file);
}

nlohmann::json parse_json_text(const std::string& text, const fs::path& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 7: ..."
    std::string what = error.what();
    const auto start = what.find("parse error");
    if (start != std::string::npos) what = what.substr(start);
    throw InputError(file.string() + ": malformed JSON: " + what);
  } catch (const nlohmann::json::out_of_range& error) {
    // A number too large for a double (1e999): nlohmann names the token but
    // not its place, so find the line ourselves.
    const std::string what = error.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string token =
        (open != std::string::npos && close > open) ? what.substr(open + 1, close - open - 1) : "";
    const auto at = token.empty() ? std::string::npos : text.find(token);
    if (at == std::string::npos) throw InputError(file.string() + ": malformed JSON: " + what);
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    throw InputError(file.string() + ": line " + std::to_string(line) + ": number " + token +
                     " is not finite (Inf and NaN are not allowed)");
  }
}

void write_json_file(const fs::path& file, const nlohmann::ordered_json& value) {
  write_file_atomically(file, dump_readable(value) + "\n");
}

namespace {

// Values whose one-line form is at most this long stay on one line.
constexpr std::size_t kCompactWidth = 80;

bool is_flat_array(const nlohmann::ordered_json& value) {
  for (const auto& element : value) {
    if (element.is_structured()) return false;
  }
  return true;
}

void append_readable(const nlohmann::ordered_json& value, int indent, std::string& out) {
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  const std::string outer(static_cast<std::size_t>(indent), ' ');
  const std::string compact = value.dump();
  if (compact.size() <= kCompactWidth) {
    out += compact;
  } else if (value.is_object()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& item : value.items()) {
      out += inner + nlohmann::ordered_json(item.key()).dump() + ": ";
      append_readable(item.value(), indent + 2, out);
      out += (++i < value.size()) ? ",\n" : "\n";
    }
    out += outer + "}";
  } else if (!is_flat_array(value)) {
    out += "[\n";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += inner;
      append_readable(value[i], indent + 2, out);
      out += (i + 1 < value.size()) ? ",\n" : "\n";
    }
    out += outer + "]";
  } else {
    out += compact;
  }
}

}  // namespace

std::string dump_readable(const nlohmann::ordered_json& value) {
  std::string out;
  append_readable(value, 0, out);
  return out;
}

JsonField::JsonField(const nlohmann::json& value, std::string file, std::string path)
    : value_(value), file_(std::move(file)), path_(std::move(path)) {}

void JsonField::fail(const std::string& what) const {
  throw InputError(file_ + ": " + (path_.empty() ? "top level" : path_) + ": " + what);
}

void JsonField::require(bool condition, const std::string& expected) const {
  if (condition) return;
  std::string found = value_.dump();
  if (found.size() > 40) found = found.substr(0, 37) + "...";
  fail("expected " + expected + ", found " + found);
}

bool JsonField::has(const std::string& key) const {
  return value_.is_object() && value_.contains(key);
}

JsonField JsonField::operator[](const std::string& key) const {
  require(value_.is_object(), "an object");
  const std::string child = path_.empty() ? key : path_ + "." + key;
  const auto found = value_.find(key);
  if (found == value_.end()) {
    throw InputError(file_ + ": " + child + ": missing field");
  }
  return JsonField(*found, file_, child);
}

JsonField JsonField::operator[](std::size_t index) const {
  require(value_.is_array(), "an array");
  const std::string child = path_ + "[" + std::to_string(index) + "]";
  if (index >= value_.size())
    throw InputError(file_ + ": " + child + ": missing (array too short)");
  return JsonField(value_[index], file_, child);
}

std::size_t JsonField::size() const {
  require(value_.is_array(), "an array");
  return value_.size();
}

double JsonField::number() const {
  require(value_.is_number(), "a number");
  const double value = value_.get<double>();
  if (!std::isfinite(value)) fail("not a finite number");
  return value;
}

int JsonField::integer() const {
  require(value_.is_number(), "an integer");
  const double value = value_.get<double>();
  require(std::isfinite(value) && value == std::floor(value) &&
              std::abs(value) <= std::numeric_limits<int>::max(),
          "an integer");
  return static_cast<int>(value);
}

std::string JsonField::string() const {
  require(value_.is_string(), "a string");
  return value_.get<std::string>();
}

bool JsonField::boolean() const {
  require(value_.is_boolean(), "true or false");
  return value_.get<bool>();
}

Eigen::VectorXd JsonField::vector(Eigen::Index n) const {
  if (size() != static_cast<std::size_t>(n)) {
    fail("expected " + std::to_string(n) + " numbers, found " + std::to_string(size()));
  }
  Eigen::VectorXd result(n);
  for (Eigen::Index i = 0; i < n; ++i) result(i) = (*this)[static_cast<std::size_t>(i)].number();
  return result;
}

Eigen::MatrixXd JsonField::matrix(Eigen::Index rows, Eigen::Index cols) const {
  if (size() != static_cast<std::size_t>(rows)) {
    fail("expected " + std::to_string(rows) + " rows, found " + std::to_string(size()));
  }
  Eigen::MatrixXd result(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const JsonField row = (*this)[static_cast<std::size_t>(r)];
    if (row.size() != static_cast<std::size_t>(cols)) {
      row.fail("expected " + std::to_string(cols) + " columns, found " +
               std::to_string(row.size()));
    }
    for (Eigen::Index c = 0; c < cols; ++c) {
      result(r, c) = row[static_cast<std::size_t>(c)].number();
    }
  }
  return result;
}

nlohmann::ordered_json matrix_to_json(const Eigen::MatrixXd& matrix) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index c = 0; c < matrix.cols(); ++c) row.push_back(matrix(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::ordered_json vector_to_json(const Eigen::VectorXd& vector) {
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < vector.size(); ++i) values.push_back(vector(i));
  return values;
}

nlohmann::ordered_json to_ordered(const nlohmann::json& value) {
  return nlohmann::ordered_json::parse(value.dump());
}

void require_format(const JsonField& root, const std::string& format, int version) {
  if (root["format"].string() != format) root["format"].fail("expected \"" + format + "\"");
  const int found = root["format_version"].integer();
  if (found != version) {
    root["format_version"].fail("unknown format version " + std::to_string(found) +
                                " (this program reads " + std::to_string(version) + ")");
  }
}

}  // namespace rom

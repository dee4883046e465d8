#include "rom/csv.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "rom/atomic_file.hpp"
#include "rom/errors.hpp"
#include "rom/read_file.hpp"

namespace rom {
namespace {

namespace fs = std::filesystem;

// Lines without their '\n' and '\r'; a final empty line is dropped.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

std::vector<std::string> split_whitespace(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  std::string cell;
  while (in >> cell) cells.push_back(cell);
  return cells;
}

double parse_cell(const std::string& cell, const fs::path& file, std::size_t line,
                  const std::string& column) {
  double value = 0.0;
  const std::string where = file.string() + ": line " + std::to_string(line) + ", column " + column;
  if (!parse_number(cell, value)) throw InputError(where + ": '" + cell + "' is not a number");
  if (!std::isfinite(value)) throw InputError(where + ": " + cell + " is not a finite number");
  return value;
}

// Row-major cells -> rows x cols matrix.
Eigen::MatrixXd to_matrix(const std::vector<double>& cells, std::size_t rows, std::size_t cols) {
  Eigen::MatrixXd matrix(rows, cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) matrix(r, c) = cells[r * cols + c];
  }
  return matrix;
}

}  // namespace

bool parse_number(const std::string& text, double& value) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;  // from_chars does not take a plus sign
  const auto result = std::from_chars(begin, end, value, std::chars_format::general);
  return begin != end && result.ec == std::errc() && result.ptr == end;
}

std::string format_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

CsvTable read_csv(const fs::path& file) { return parse_csv(read_file(file), file); }

CsvTable parse_csv(const std::string& text, const fs::path& file) {
  const std::vector<std::string> lines = split_lines(text);
  if (lines.empty() || trim(lines[0]).empty()) throw InputError(file.string() + ": no header line");
  CsvTable table;
  table.header = split_commas(lines[0]);
  const std::size_t cols = table.header.size();
  for (std::size_t c = 0; c < cols; ++c) {
    if (table.header[c].empty()) {
      throw InputError(file.string() + ": line 1: column " + std::to_string(c + 1) +
                       " has an empty name");
    }
  }
  std::vector<double> cells;
  cells.reserve((lines.size() - 1) * cols);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t line_number = i + 1;
    const std::vector<std::string> row = split_commas(lines[i]);
    if (row.size() != cols) {
      throw InputError(file.string() + ": line " + std::to_string(line_number) + ": " +
                       std::to_string(row.size()) + " cells, the header has " +
                       std::to_string(cols));
    }
    for (std::size_t c = 0; c < cols; ++c) {
      cells.push_back(parse_cell(row[c], file, line_number, "'" + table.header[c] + "'"));
    }
  }
  table.values = to_matrix(cells, lines.size() - 1, cols);
  return table;
}

Eigen::MatrixXd read_whitespace_table(const fs::path& file) {
  const std::vector<std::string> lines = split_lines(read_file(file));
  std::vector<double> cells;
  std::size_t cols = 0;
  std::size_t rows = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t line_number = i + 1;
    const std::vector<std::string> row = split_whitespace(lines[i]);
    if (rows == 0) {
      cols = row.size();
      if (cols == 0) throw InputError(file.string() + ": line 1: no numbers");
    } else if (row.size() != cols) {
      throw InputError(file.string() + ": line " + std::to_string(line_number) + ": " +
                       std::to_string(row.size()) + " values, line 1 has " + std::to_string(cols));
    }
    for (std::size_t c = 0; c < cols; ++c) {
      cells.push_back(parse_cell(row[c], file, line_number, std::to_string(c + 1)));
    }
    ++rows;
  }
  if (rows == 0) throw InputError(file.string() + ": empty file");
  return to_matrix(cells, rows, cols);
}

void write_csv(const fs::path& file, const std::vector<std::string>& header,
               const Eigen::MatrixXd& values) {
  write_file_atomically(file, [&](std::ostream& out) {
    for (std::size_t c = 0; c < header.size(); ++c) out << (c ? "," : "") << header[c];
    out << '\n';
    std::string line;
    for (Eigen::Index r = 0; r < values.rows(); ++r) {
      line.clear();
      for (Eigen::Index c = 0; c < values.cols(); ++c) {
        if (c) line += ',';
        line += format_number(values(r, c));
      }
      line += '\n';
      out << line;
    }
  });
}

}  // namespace rom

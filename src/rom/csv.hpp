// Numeric text tables: the comma-separated files of a dataset (one header
// line, then numbers) and the whitespace-separated files of the study's
// published data (numbers only). Readers are strict: every row has as many
// cells as the first, every cell is a finite decimal number; errors name the
// file, line and column.
#pragma once

#include <Eigen/Dense>
#include <filesystem>
#include <string>
#include <vector>

namespace rom {

struct CsvTable {
  std::vector<std::string> header;
  Eigen::MatrixXd values;  // rows x header.size()
};

// Header line, then rows of numbers; all comma-separated. Spaces around cells
// and a trailing '\r' (Windows line ends) are ignored; so is one final empty line.
CsvTable read_csv(const std::filesystem::path& file);
// The same, on a file's text already in memory; `file` only names it in errors.
CsvTable parse_csv(const std::string& text, const std::filesystem::path& file);

// Rows of numbers separated by spaces or tabs, no header.
Eigen::MatrixXd read_whitespace_table(const std::filesystem::path& file);

// Writes the header and rows atomically, numbers in shortest round-trip form.
void write_csv(const std::filesystem::path& file, const std::vector<std::string>& header,
               const Eigen::MatrixXd& values);

// Shortest decimal text that reads back as exactly the same double.
std::string format_number(double value);

// Parses a whole string as a decimal number (no surrounding text); false if it
// is not one. Infinity and NaN parse (the caller decides whether they are allowed).
bool parse_number(const std::string& text, double& value);

}  // namespace rom

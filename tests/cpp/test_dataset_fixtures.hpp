// Fixtures for the I/O tests: a temporary directory that removes itself,
// small generated datasets written in our format, helpers to write and edit
// text files, and a runner for the built neurorom-cli.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "rom/dataset.hpp"

namespace rom::test {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "neurorom-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

// Replaces the first occurrence of `from` in the file; throws if absent, so a
// test never silently edits nothing.
inline void replace_in_file(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_text(file);
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in " + file.string());
  text.replace(at, from.size(), to);
  write_text(file, text);
}

// A small learnable problem: two inputs (a pulse and a ramp of seeded
// heights) and two outputs (a leaky integrator of each, through tanh), in nA
// and mV. `n_train` / `n_valid` / `n_test` sequences of `steps` steps, dt 0.5 ms.
inline Dataset small_dataset(int n_train = 3, int n_valid = 2, int n_test = 1, int steps = 40) {
  Dataset dataset;
  dataset.dt_ms = 0.5;
  dataset.n_steps = steps;
  dataset.inputs = {{"AVBL", "nA"}, {"PLML", "nA"}};
  dataset.outputs = {{"DB1", "mV"}, {"VB1", "mV"}};
  dataset.provenance = {{"generator", "test fixture"}};
  const int total = n_train + n_valid + n_test;
  for (int s = 0; s < total; ++s) {
    DatasetSequence sequence;
    sequence.id = "seq_" + std::to_string(s);
    sequence.file = sequence.id + ".csv";
    sequence.split = s < n_train ? "train" : s < n_train + n_valid ? "valid" : "test";
    sequence.inputs.resize(steps, 2);
    sequence.outputs.resize(steps, 2);
    const double height = 0.3 + 0.2 * s;
    double a = 0.0, b = 0.0;
    for (int k = 0; k < steps; ++k) {
      sequence.inputs(k, 0) = (k >= 5 && k < 20) ? height : 0.0;
      sequence.inputs(k, 1) = height * k / steps;
      a += 0.2 * (sequence.inputs(k, 0) - a);
      b += 0.1 * (sequence.inputs(k, 1) + sequence.inputs(k, 0) - b);
      sequence.outputs(k, 0) = -65.0 + 10.0 * std::tanh(2.0 * a);
      sequence.outputs(k, 1) = -60.0 + 5.0 * std::tanh(3.0 * b);
    }
    dataset.sequences.push_back(std::move(sequence));
  }
  return dataset;
}

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

// Runs the built neurorom-cli with `args` (already shell-quoted where needed).
inline CliResult run_cli(const std::string& args) {
  TempDir capture;
  const std::string command = std::string("'") + NEUROROM_CLI_PATH + "' " + args + " >'" +
                              (capture / "out").string() + "' 2>'" + (capture / "err").string() +
                              "'";
  const int raw = std::system(command.c_str());
  const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return {status, read_text(capture / "out"), read_text(capture / "err")};
}

inline std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// Last non-empty line of a text.
inline std::string last_line(const std::string& text) {
  std::string line, last;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace rom::test

#include <boost/test/unit_test.hpp>

#include "rom/errors.hpp"

namespace rom::test {

// Checks that `action` throws InputError whose one-line message contains
// every one of `parts`.
template <typename Action>
void expect_input_error(Action action, std::initializer_list<std::string> parts) {
  try {
    action();
  } catch (const InputError& error) {
    const std::string message = error.what();
    BOOST_TEST_INFO("message: " << message);
    BOOST_CHECK(message.find('\n') == std::string::npos);
    for (const std::string& part : parts) {
      BOOST_TEST_INFO("expected part: " << part);
      BOOST_CHECK(message.find(part) != std::string::npos);
    }
    return;
  }
  BOOST_FAIL("no InputError thrown");
}

// The command line's error contract: status 2 and one line
// "neurorom <command>: error: ..." that contains every one of `parts`.
inline void expect_cli_error(const CliResult& result, const std::string& command,
                             std::initializer_list<std::string> parts) {
  BOOST_TEST_INFO("stderr: " << result.err);
  BOOST_TEST(result.status == 2);
  BOOST_TEST(result.err.rfind("neurorom " + command + ": error: ", 0) == 0u);
  BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  for (const std::string& part : parts) {
    BOOST_TEST_INFO("expected part: " << part);
    BOOST_TEST(result.err.find(part) != std::string::npos);
  }
}

}  // namespace rom::test

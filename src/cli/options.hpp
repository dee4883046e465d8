// A small command-line parser: "--name value", "--name=value" and "--flag"
// options plus positional arguments, each declared with its help text so that
// `--help` is generated from the same table that parsing uses.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cli {

struct OptionSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // "" for a flag
  std::string help;
  std::string default_text;  // shown in --help; "" if none
};

class Options {
 public:
  // `command` is e.g. "train"; `synopsis` follows "usage: neurorom COMMAND".
  Options(std::string command, std::string synopsis, std::string description,
          std::vector<OptionSpec> specs, std::vector<std::string> positional_names = {});

  // Parses argv (without the command itself). Returns false if --help was
  // asked for (the caller prints help() and exits 0). Throws rom::InputError
  // "--name: ..." for unknown options, missing values or missing positionals.
  bool parse(const std::vector<std::string>& args);

  std::string help() const;

  bool flag(const std::string& name) const;
  bool given(const std::string& name) const;
  // The value, or `fallback` when the option is absent.
  std::string text(const std::string& name, const std::string& fallback = "") const;
  // Required options: InputError "--name is required" when absent.
  std::string required(const std::string& name) const;
  int integer(const std::string& name, int fallback, int minimum) const;
  double number(const std::string& name, double fallback, double minimum) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  const OptionSpec* find(const std::string& name) const;

  std::string command_, synopsis_, description_;
  std::vector<OptionSpec> specs_;
  std::vector<std::string> positional_names_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace cli

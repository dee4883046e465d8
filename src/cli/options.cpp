#include "cli/options.hpp"

#include <cmath>

#include "rom/csv.hpp"
#include "rom/errors.hpp"

namespace cli {

using rom::InputError;

Options::Options(std::string command, std::string synopsis, std::string description,
                 std::vector<OptionSpec> specs, std::vector<std::string> positional_names)
    : command_(std::move(command)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)),
      specs_(std::move(specs)),
      positional_names_(std::move(positional_names)) {}

const OptionSpec* Options::find(const std::string& name) const {
  for (const OptionSpec& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool Options::parse(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") return false;
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      if (positional_.size() >= positional_names_.size()) {
        throw InputError("unexpected argument '" + arg + "' (see --help)");
      }
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    const std::size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_value = true;
    }
    const OptionSpec* spec = find(name);
    if (!spec) throw InputError("--" + name + ": unknown option (see --help)");
    if (spec->value_name.empty()) {
      if (has_value) throw InputError("--" + name + ": takes no value");
      value = "1";
    } else if (!has_value) {
      if (i + 1 >= args.size())
        throw InputError("--" + name + ": needs a value " + spec->value_name);
      value = args[++i];
    }
    if (values_.count(name)) throw InputError("--" + name + ": given twice");
    values_[name] = value;
  }
  if (positional_.size() < positional_names_.size()) {
    throw InputError(positional_names_[positional_.size()] + " is required (see --help)");
  }
  return true;
}

std::string Options::help() const {
  std::string text = "usage: neurorom " + command_ + " " + synopsis_ + "\n\n" + description_ + "\n";
  if (!specs_.empty()) text += "\noptions:\n";
  for (const OptionSpec& spec : specs_) {
    std::string left = "  --" + spec.name + (spec.value_name.empty() ? "" : " " + spec.value_name);
    if (left.size() < 24)
      left.resize(24, ' ');
    else
      left += "\n" + std::string(24, ' ');
    text += left + spec.help;
    if (!spec.default_text.empty()) text += " (default " + spec.default_text + ")";
    text += "\n";
  }
  return text;
}

bool Options::flag(const std::string& name) const { return values_.count(name) > 0; }

bool Options::given(const std::string& name) const { return values_.count(name) > 0; }

std::string Options::text(const std::string& name, const std::string& fallback) const {
  const auto found = values_.find(name);
  return found == values_.end() ? fallback : found->second;
}

std::string Options::required(const std::string& name) const {
  const auto found = values_.find(name);
  if (found == values_.end() || found->second.empty()) {
    throw InputError("--" + name + " is required (see --help)");
  }
  return found->second;
}

int Options::integer(const std::string& name, int fallback, int minimum) const {
  if (!given(name)) return fallback;
  const std::string& value = values_.at(name);
  double parsed = 0;
  if (!rom::parse_number(value, parsed) || parsed != std::floor(parsed) || parsed < minimum ||
      parsed > 2e9) {
    throw InputError("--" + name + ": expected an integer >= " + std::to_string(minimum) +
                     ", got '" + value + "'");
  }
  return static_cast<int>(parsed);
}

double Options::number(const std::string& name, double fallback, double minimum) const {
  if (!given(name)) return fallback;
  const std::string& value = values_.at(name);
  double parsed = 0;
  if (!rom::parse_number(value, parsed) || !std::isfinite(parsed) || parsed < minimum) {
    throw InputError("--" + name + ": expected a number >= " + rom::format_number(minimum) +
                     ", got '" + value + "'");
  }
  return parsed;
}

}  // namespace cli

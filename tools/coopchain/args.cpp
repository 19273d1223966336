// Argument parsing and usage text for the coopchain CLI.
#include "args.h"

#include <charconv>
#include <iostream>

namespace coopchain::cli {

bool Args::has(std::string_view flag) const {
  for (const auto& s : switches) {
    if (s == flag) return true;
  }
  return values.find(flag) != values.end();
}

const std::string& Args::value(std::string_view flag) const {
  static const std::string kEmpty;
  auto it = values.find(flag);
  return it == values.end() ? kEmpty : it->second;
}

FlagSpec node_flag() {
  return {"node", "HOST:PORT", "the node to talk to", {}, "127.0.0.1:7700"};
}

FlagSpec output_flag() {
  return {"output",
          "text|json",
          "text for people, json for scripts (proto3 JSON)",
          {"text", "json"},
          "text"};
}

std::string verb_name(const VerbSpec& verb) {
  std::string s;
  for (auto w : verb.words) {
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}

std::string usage_line(const VerbSpec& verb) {
  std::string s = "coopchain " + verb_name(verb);
  for (auto op : verb.operands) s += " " + std::string(op);
  for (const auto& f : verb.flags) {
    std::string flag = "--" + std::string(f.name);
    if (!f.value_name.empty()) flag += " " + std::string(f.value_name);
    s += f.required ? " " + flag : " [" + flag + "]";
  }
  return s;
}

void print_verb_help(const VerbSpec& verb) {
  std::cout << "usage: " << usage_line(verb) << "\n\n" << verb.summary << "\n";
  if (verb.flags.empty()) return;
  std::cout << "\nflags:\n";
  for (const auto& f : verb.flags) {
    std::string left = "  --" + std::string(f.name);
    if (!f.value_name.empty()) left += " " + std::string(f.value_name);
    if (left.size() < 26) left.resize(26, ' ');
    std::cout << left << " " << f.help;
    if (!f.default_value.empty()) std::cout << " (default " << f.default_value << ")";
    std::cout << "\n";
  }
  std::cout << "  --help                   this help\n";
}

int usage_error(const VerbSpec& verb, std::string_view message) {
  std::cerr << "coopchain: " << message << "\nusage: " << usage_line(verb) << "\n";
  return kExitUsage;
}

std::optional<Args> parse_args(const VerbSpec& verb, std::span<const std::string> argv,
                               std::string* error) {
  Args args;
  args.verb = &verb;
  for (const auto& f : verb.flags) {
    if (!f.default_value.empty()) args.values[std::string(f.name)] = std::string(f.default_value);
  }
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.size() < 2 || word.compare(0, 2, "--") != 0 || word == "--") {
      args.operands.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = nullptr;
    for (const auto& f : verb.flags) {
      if (f.name == name) spec = &f;
    }
    if (spec == nullptr) {
      *error = "unknown flag --" + name + " for '" + verb_name(verb) + "'";
      return std::nullopt;
    }
    if (spec->value_name.empty()) {
      if (inline_value) {
        *error = "--" + name + " takes no value";
        return std::nullopt;
      }
      args.switches.push_back(name);
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      *error = "--" + name + " needs a value (" + std::string(spec->value_name) + ")";
      return std::nullopt;
    }
    if (!spec->choices.empty()) {
      bool allowed = false;
      for (auto c : spec->choices) allowed = allowed || c == value;
      if (!allowed) {
        *error =
            "--" + name + " must be " + std::string(spec->value_name) + ", not '" + value + "'";
        return std::nullopt;
      }
    }
    args.values[name] = value;
  }
  if (args.operands.size() < verb.operands.size()) {
    *error = "missing " + std::string(verb.operands[args.operands.size()]);
    return std::nullopt;
  }
  // A last operand named "X..." takes one or more.
  const bool variadic = !verb.operands.empty() && verb.operands.back().ends_with("...");
  if (args.operands.size() > verb.operands.size() && !variadic) {
    *error = "unexpected argument '" + args.operands[verb.operands.size()] + "'";
    return std::nullopt;
  }
  for (const auto& f : verb.flags) {
    if (f.required && !args.has(f.name)) {
      *error = "missing --" + std::string(f.name) + " " + std::string(f.value_name);
      return std::nullopt;
    }
  }
  return args;
}

std::optional<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace coopchain::cli

// Command-line parsing for the coopchain CLI: each verb declares its operands and flags in a
// VerbSpec, and parse_args turns argv into Args or a usage error. Exit codes live here too, since
// every verb returns one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coopchain::cli {

// The contract's exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // a rejected or failed operation
inline constexpr int kExitUsage = 2;   // unknown verb or flag, missing or bad argument

struct FlagSpec {
  std::string_view name;             // without the leading "--"
  std::string_view value_name = {};  // empty for a switch such as --wait
  std::string_view help = {};
  std::vector<std::string_view> choices = {};  // when not empty, the only values accepted
  std::string_view default_value = {};
  bool required = false;
};

struct Args;

struct VerbSpec {
  std::vector<std::string_view> words;  // e.g. {"lot", "show"}
  std::string_view brief = {};          // one line for `coopchain --help`
  // e.g. {"LOT_ID"}; all are required, and a last one named "CARD..." takes one or more.
  std::vector<std::string_view> operands = {};
  std::string_view summary = {};  // the verb's own --help
  std::vector<FlagSpec> flags = {};
  int (*run)(const Args&) = nullptr;
};

// What a verb receives. `values` holds every flag given with a value (defaults filled in),
// `switches` every switch given.
struct Args {
  const VerbSpec* verb = nullptr;
  std::vector<std::string> operands;
  std::map<std::string, std::string, std::less<>> values;
  std::vector<std::string> switches;

  bool has(std::string_view flag) const;
  // The flag's value, or "" when it was neither given nor has a default.
  const std::string& value(std::string_view flag) const;
};

// Shared flags.
FlagSpec node_flag();
FlagSpec output_flag();

// "coopchain lot show LOT_ID [--node HOST:PORT] [--output text|json]"
std::string usage_line(const VerbSpec& verb);
std::string verb_name(const VerbSpec& verb);
void print_verb_help(const VerbSpec& verb);

// Parses the words after the verb's own. Accepts "--flag value" and "--flag=value", and
// flags before, between or after operands. On bad usage returns nullopt with `error` set.
std::optional<Args> parse_args(const VerbSpec& verb, std::span<const std::string> argv,
                               std::string* error);

// Prints "coopchain: <message>" and the verb's usage line on stderr; returns kExitUsage.
int usage_error(const VerbSpec& verb, std::string_view message);

// Decimal unsigned integer within [min, max]; nullopt on anything else.
std::optional<uint64_t> parse_uint(std::string_view text, uint64_t min = 0,
                                   uint64_t max = UINT64_MAX);

}  // namespace coopchain::cli

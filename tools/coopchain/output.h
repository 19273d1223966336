// How the CLI prints: aligned "key: value" text for people, proto3 JSON for scripts, and the
// one-line failure on stderr.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "args.h"

namespace coopchain::cli {

enum class OutputFormat { kText, kJson };
OutputFormat output_format(const Args& args);

// "1200000 g (1200.000 kg)"; integer arithmetic only.
std::string format_mass(uint64_t grams);
// "+260000 g (260.000 kg)" / "-200000 g (200.000 kg)".
std::string format_mass_delta(int64_t grams);
// "20000 m2 (2.0000 ha)".
std::string format_area(uint64_t m2);
// RFC 3339 in UTC, or "-" for an unset timestamp.
std::string format_time(const google::protobuf::Timestamp& t);
bool is_set(const google::protobuf::Timestamp& t);

// The proto3 JSON mapping (lowerCamelCase, every field printed), pretty or on one line.
std::string to_json(const google::protobuf::Message& message, bool pretty = true);

// Lines of "key: value" with the values aligned in one column.
class Fields {
 public:
  explicit Fields(int indent = 0) : indent_(indent) {}
  Fields& add(std::string key, std::string value);
  // Adds only when value is not empty.
  Fields& add_if(std::string key, std::string value);
  void print(std::ostream& out) const;

 private:
  int indent_;
  std::vector<std::pair<std::string, std::string>> lines_;
};

// The JSON name of the event's oneof case ("harvest", "registerFarm"), or "" when none.
std::string event_kind(const google::protobuf::Message& event);

// Prints "coopchain: <line>" on stderr and returns kExitFailed.
int fail(std::string_view line);

// A small JSON object for output that is not a proto message (keygen, devnet init).
class JsonObject {
 public:
  JsonObject& set(const std::string& key, const std::string& value);
  JsonObject& set(const std::string& key, double number);
  JsonObject& set(const std::string& key, const JsonObject& object);
  JsonObject& set(const std::string& key, const std::vector<JsonObject>& list);
  // Named apart from set(): a string literal would otherwise convert to bool.
  JsonObject& set_bool(const std::string& key, bool value);
  JsonObject& set_strings(const std::string& key, const std::vector<std::string>& list);
  std::string to_string() const { return to_json(value_); }

 private:
  google::protobuf::Struct value_;
};

}  // namespace coopchain::cli

// Formatting helpers shared by the verbs.
#include "output.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "coopchain/core/civil_time.h"

namespace coopchain::cli {

OutputFormat output_format(const Args& args) {
  return args.value("output") == "json" ? OutputFormat::kJson : OutputFormat::kText;
}

namespace {

std::string thousandths(uint64_t value, uint64_t unit, int digits) {
  std::string frac = std::to_string(value % unit);
  frac.insert(0, static_cast<size_t>(digits) - frac.size(), '0');
  return std::to_string(value / unit) + "." + frac;
}

}  // namespace

std::string format_mass(uint64_t grams) {
  return std::to_string(grams) + " g (" + thousandths(grams, 1000, 3) + " kg)";
}

std::string format_mass_delta(int64_t grams) {
  uint64_t magnitude =
      grams < 0 ? uint64_t{0} - static_cast<uint64_t>(grams) : static_cast<uint64_t>(grams);
  return (grams < 0 ? "-" : "+") + format_mass(magnitude);
}

std::string format_area(uint64_t m2) {
  return std::to_string(m2) + " m2 (" + thousandths(m2, 10000, 4) + " ha)";
}

bool is_set(const google::protobuf::Timestamp& t) {
  return t.seconds() != 0 || t.nanos() != 0;
}

std::string format_time(const google::protobuf::Timestamp& t) {
  if (!is_set(t)) return "-";
  return format_rfc3339(t.seconds() * 1000 + t.nanos() / 1'000'000);
}

std::string to_json(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = false;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return "{}";
  // add_whitespace leaves a trailing newline; callers add their own.
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Fields& Fields::add(std::string key, std::string value) {
  lines_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Fields& Fields::add_if(std::string key, std::string value) {
  if (!value.empty()) add(std::move(key), std::move(value));
  return *this;
}

void Fields::print(std::ostream& out) const {
  size_t width = 0;
  for (const auto& [key, value] : lines_) width = std::max(width, key.size() + 1);
  for (const auto& [key, value] : lines_) {
    std::string label = key + ":";
    label.resize(width, ' ');
    out << std::string(static_cast<size_t>(indent_), ' ') << label << "  " << value << "\n";
  }
}

std::string event_kind(const google::protobuf::Message& event) {
  const auto* oneof = event.GetDescriptor()->FindOneofByName("kind");
  if (oneof == nullptr) return "";
  const auto* field = event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  return field == nullptr ? "" : field->json_name();
}

int fail(std::string_view line) {
  std::cerr << "coopchain: " << line << "\n";
  return kExitFailed;
}

JsonObject& JsonObject::set(const std::string& key, const std::string& value) {
  (*value_.mutable_fields())[key].set_string_value(value);
  return *this;
}

JsonObject& JsonObject::set(const std::string& key, double number) {
  (*value_.mutable_fields())[key].set_number_value(number);
  return *this;
}

JsonObject& JsonObject::set(const std::string& key, const JsonObject& object) {
  *(*value_.mutable_fields())[key].mutable_struct_value() = object.value_;
  return *this;
}

JsonObject& JsonObject::set(const std::string& key, const std::vector<JsonObject>& list) {
  auto* values = (*value_.mutable_fields())[key].mutable_list_value();
  for (const auto& item : list) *values->add_values()->mutable_struct_value() = item.value_;
  return *this;
}

JsonObject& JsonObject::set_bool(const std::string& key, bool value) {
  (*value_.mutable_fields())[key].set_bool_value(value);
  return *this;
}

JsonObject& JsonObject::set_strings(const std::string& key, const std::vector<std::string>& list) {
  auto* values = (*value_.mutable_fields())[key].mutable_list_value();
  for (const auto& item : list) values->add_values()->set_string_value(item);
  return *this;
}

}  // namespace coopchain::cli

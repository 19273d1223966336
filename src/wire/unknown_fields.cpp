#include "coopchain/wire/unknown_fields.h"

#include <vector>

namespace coopchain::wire {

bool has_unknown_fields(const google::protobuf::Message& message) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (has_unknown_fields(reflection->GetRepeatedMessage(message, field, i))) return true;
      }
    } else if (has_unknown_fields(reflection->GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

}  // namespace coopchain::wire

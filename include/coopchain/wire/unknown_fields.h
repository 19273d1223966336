// Whether a message or any message inside it carries fields this build does not know. A payload
// with unknown fields is refused: every node must interpret the signed bytes the same way.
#pragma once

#include <google/protobuf/message.h>

namespace coopchain::wire {

bool has_unknown_fields(const google::protobuf::Message& message);

}  // namespace coopchain::wire

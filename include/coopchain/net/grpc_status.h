// Status ↔ gRPC status, one mapping for the client API and the peer service.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string_view>

#include "coopchain/core/status.h"

namespace coopchain::net {

// A refusal by a rule (a Status with a rule code) carries the code twice: as the message's
// prefix ("RULE_CODE: message") and in the error details, a google.rpc.Status holding a
// google.rpc.ErrorInfo whose reason is the code and whose domain is kErrorDomain.
inline constexpr std::string_view kErrorDomain = "coopchain.v1";

grpc::Status to_grpc(const Status& status);
Status from_grpc(const grpc::Status& status);
// The rule code in a status's error details, if it carries one.
std::optional<RuleCode> rule_code_of(const grpc::Status& status);

}  // namespace coopchain::net

#include "coopchain/net/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace coopchain::net {

// "RULE_CODE: message" for a refusal, with the gRPC code the contract gives it.
grpc::Status to_grpc(const Status& status) {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  switch (status.code()) {
    case StatusCode::kOk:
      return grpc::Status::OK;
    case StatusCode::kInvalidArgument:
      code = grpc::StatusCode::INVALID_ARGUMENT;
      break;
    case StatusCode::kNotFound:
      code = grpc::StatusCode::NOT_FOUND;
      break;
    case StatusCode::kAlreadyExists:
      code = grpc::StatusCode::ALREADY_EXISTS;
      break;
    case StatusCode::kFailedPrecondition:
      code = grpc::StatusCode::FAILED_PRECONDITION;
      break;
    case StatusCode::kPermissionDenied:
      code = grpc::StatusCode::PERMISSION_DENIED;
      break;
    case StatusCode::kUnavailable:
      code = grpc::StatusCode::UNAVAILABLE;
      break;
    case StatusCode::kDeadlineExceeded:
      code = grpc::StatusCode::DEADLINE_EXCEEDED;
      break;
    case StatusCode::kCorruption:
      code = grpc::StatusCode::DATA_LOSS;
      break;
    case StatusCode::kIOError:
      code = grpc::StatusCode::INTERNAL;
      break;
    case StatusCode::kInternal:
      code = grpc::StatusCode::INTERNAL;
      break;
  }
  if (status.rule() == RuleCode::kOk) return grpc::Status(code, status.to_string());
  // The rule code, for clients, in the standard place: an ErrorInfo in the status details.
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(rule_code_name(status.rule())));
  info.set_domain(std::string(kErrorDomain));
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(status.to_string());
  details.add_details()->PackFrom(info);
  return grpc::Status(code, status.to_string(), details.SerializeAsString());
}

std::optional<RuleCode> rule_code_of(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.domain() == kErrorDomain) return parse_rule_code(info.reason());
  }
  return std::nullopt;
}

Status from_grpc(const grpc::Status& status) {
  const std::string& m = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return Status::Ok();
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Status::InvalidArgument(m);
    case grpc::StatusCode::NOT_FOUND:
      return Status::NotFound(m);
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
      return {StatusCode::kPermissionDenied, m};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return {StatusCode::kDeadlineExceeded, m};
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      return Status::Internal(m);
    default:
      // Cancelled, unavailable, resource exhausted...: the caller may try again.
      return Status::Unavailable(m);
  }
}

}  // namespace coopchain::net

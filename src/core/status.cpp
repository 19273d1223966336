#include "coopchain/core/status.h"

namespace coopchain {

Status Status::Rejected(const Verdict& verdict) {
  StatusCode code = StatusCode::kFailedPrecondition;
  switch (verdict.code) {
    case RuleCode::kMalformed:
    case RuleCode::kBadSignature:
    case RuleCode::kBadGeometry:
    case RuleCode::kWrongChain:
      code = StatusCode::kInvalidArgument;
      break;
    case RuleCode::kUnknownSigner:
    case RuleCode::kRoleNotAllowed:
      code = StatusCode::kPermissionDenied;
      break;
    case RuleCode::kDuplicateTx:
      code = StatusCode::kAlreadyExists;
      break;
    default:
      break;
  }
  return Status(code, verdict.message, verdict.code);
}

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kCorruption:
      return "CORRUPTION";
    case StatusCode::kIOError:
      return "IO_ERROR";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string out(rule_ != RuleCode::kOk ? rule_code_name(rule_) : status_code_name(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace coopchain

// Status and Result<T>: errors as values. A Status that is not ok says the operation failed
// (bad usage, missing data, a failing disk); it may carry a rule code when the failure is a
// refusal by the rules, so that every layer up to the user can name the rule.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "coopchain/core/rule_code.h"

namespace coopchain {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // malformed input
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // a rule refused the input
  kPermissionDenied,    // unknown signer, role not allowed
  kUnavailable,
  kDeadlineExceeded,
  kCorruption,  // stored data fails its own checks
  kIOError,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, RuleCode rule = RuleCode::kOk)
      : code_(code), rule_(rule), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  // A refusal by the rules; the status code follows from the rule (MALFORMED is
  // kInvalidArgument, an unknown signer kPermissionDenied, most rules kFailedPrecondition).
  static Status Rejected(const Verdict& verdict);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  RuleCode rule() const { return rule_; }
  const std::string& message() const { return message_; }
  // "RULE_CODE: message" when a rule refused, else "<code name>: message".
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  RuleCode rule_ = RuleCode::kOk;
  std::string message_;
};

std::string_view status_code_name(StatusCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace coopchain

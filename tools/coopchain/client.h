// The CLI's connection to a node: stubs for the client services over an insecure channel,
// per-call deadlines, and the one-line description of a failed call.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "coopchain/v1/api.grpc.pb.h"

namespace coopchain::cli {

inline constexpr std::chrono::seconds kQueryDeadline{10};
inline constexpr std::chrono::seconds kSubmitWaitDeadline{60};

class NodeClient {
 public:
  explicit NodeClient(std::string address);

  const std::string& address() const { return address_; }
  v1::Ledger::Stub& ledger() { return *ledger_; }
  v1::Trace::Stub& trace() { return *trace_; }
  v1::Node::Stub& node() { return *node_; }
  v1::Governance::Stub& governance() { return *governance_; }

 private:
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Ledger::Stub> ledger_;
  std::unique_ptr<v1::Trace::Stub> trace_;
  std::unique_ptr<v1::Node::Stub> node_;
  std::unique_ptr<v1::Governance::Stub> governance_;
};

// Splits a gRPC error message of the form "RULE_CODE: message" into its rule code and message;
// false when the message does not start with a known rule code.
bool split_rule_message(const std::string& text, std::string* rule, std::string* message);

// A fresh context whose deadline is `timeout` from now.
std::unique_ptr<grpc::ClientContext> make_context(std::chrono::milliseconds timeout);

// One line naming what went wrong, without the "coopchain: " prefix:
// - "rejected: MASS_BALANCE_EXCEEDED: lot H-1 holds 100 g, asked 200 g" (a rule code in the
//   message);
// - "node 127.0.0.1:7700 unavailable: ..." (UNAVAILABLE, connection refused);
// - "NOT_FOUND: ..." (anything else, by gRPC code).
std::string describe_rpc_error(const std::string& address, const grpc::Status& status);

// Prints describe_rpc_error on stderr and returns kExitFailed.
int fail_rpc(const NodeClient& client, const grpc::Status& status);

}  // namespace coopchain::cli

// gRPC plumbing for the CLI.
#include "client.h"

#include <cstdlib>
#include <string_view>

#include "args.h"
#include "coopchain/core/files.h"
#include "coopchain/core/rule_code.h"
#include "output.h"

namespace coopchain::cli {

namespace {

// TLS when COOPCHAIN_TLS_CA names the CA (PEM) that signed the node's client-port certificate;
// plaintext otherwise. A CA that cannot be read is a failed call, never a silent plaintext one.
std::shared_ptr<grpc::ChannelCredentials> credentials_from_environment() {
  const char* ca_file = std::getenv("COOPCHAIN_TLS_CA");
  if (ca_file == nullptr || *ca_file == '\0') return grpc::InsecureChannelCredentials();
  auto ca = read_file(ca_file);
  if (!ca.ok()) {
    fail("COOPCHAIN_TLS_CA: " + ca.status().message());
    std::exit(kExitFailed);
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = std::move(ca).value();
  return grpc::SslCredentials(tls);
}

// An EUDR package may carry 25 MB of geolocation twice over (the file, and base64 in the DDS).
grpc::ChannelArguments channel_args() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(128 << 20);
  return args;
}

}  // namespace

NodeClient::NodeClient(std::string address)
    : address_(std::move(address)),
      channel_(grpc::CreateCustomChannel(address_, credentials_from_environment(), channel_args())),
      ledger_(v1::Ledger::NewStub(channel_)),
      trace_(v1::Trace::NewStub(channel_)),
      node_(v1::Node::NewStub(channel_)),
      governance_(v1::Governance::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> make_context(std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

namespace {

std::string_view grpc_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "ERROR";
  }
}

}  // namespace

bool split_rule_message(const std::string& text, std::string* rule, std::string* message) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  auto code = parse_rule_code(std::string_view(text).substr(0, colon));
  if (!code || *code == RuleCode::kOk) return false;
  *rule = text.substr(0, colon);
  size_t rest = text.find_first_not_of(' ', colon + 1);
  *message = rest == std::string::npos ? "" : text.substr(rest);
  return true;
}

std::string describe_rpc_error(const std::string& address, const grpc::Status& status) {
  const std::string& message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return "node " + address + " unavailable: " + message;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "node " + address + " did not answer in time: " + message;
    default:
      break;
  }
  std::string rule, detail;
  if (split_rule_message(message, &rule, &detail)) return "rejected: " + message;
  // Nodes already spell the code ("NOT_FOUND: no block at height 99"); do not repeat it.
  const std::string code(grpc_code_name(status.error_code()));
  if (message.rfind(code + ":", 0) == 0) return message;
  return code + ": " + message;
}

int fail_rpc(const NodeClient& client, const grpc::Status& status) {
  return fail(describe_rpc_error(client.address(), status));
}

}  // namespace coopchain::cli

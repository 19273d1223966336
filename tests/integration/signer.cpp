#include "signer.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "coopchain/wire/event_codec.h"
#include "test_keys.h"

namespace coopchain::testing {

PrivateKey load_key(const std::string& pem_file) {
  std::ifstream in(pem_file);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto key = PrivateKey::from_pem(ss.str());
  if (!key.ok()) throw std::runtime_error(pem_file + ": " + key.status().to_string());
  return std::move(key).value();
}

std::string chain_id_of(v1::Node::Stub& node) {
  grpc::ClientContext ctx;
  v1::NodeStatus status;
  auto st = node.GetStatus(&ctx, v1::GetStatusRequest(), &status);
  if (!st.ok()) throw std::runtime_error("GetStatus: " + st.error_message());
  return status.chain_id();
}

v1::SignedTransaction sign_event(const PrivateKey& key, const std::string& chain_id,
                                 const std::string& event_json, uint64_t nonce) {
  return wire::to_proto(sign_event_json(key, chain_id, event_json, nonce));
}

grpc::Status submit_and_wait(v1::Ledger::Stub& ledger, const v1::SignedTransaction& tx,
                             v1::SubmitResponse* response, std::chrono::seconds deadline) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + deadline);
  v1::SubmitRequest request;
  *request.mutable_transaction() = tx;
  request.set_wait(true);
  return ledger.Submit(&ctx, request, response);
}

}  // namespace coopchain::testing

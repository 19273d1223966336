// Signs events in-process for tests that talk gRPC directly (the CLI signs for the others).
#pragma once

#include <string>

#include "coopchain/core/ed25519.h"
#include "coopchain/v1/api.grpc.pb.h"

namespace coopchain::testing {

PrivateKey load_key(const std::string& pem_file);
// The chain id the node reports.
std::string chain_id_of(v1::Node::Stub& node);
// A SignedTransaction for one event given as JSON.
v1::SignedTransaction sign_event(const PrivateKey& key, const std::string& chain_id,
                                 const std::string& event_json, uint64_t nonce = 0);
// Ledger.Submit with wait; the gRPC status and the response.
grpc::Status submit_and_wait(v1::Ledger::Stub& ledger, const v1::SignedTransaction& tx,
                             v1::SubmitResponse* response,
                             std::chrono::seconds deadline = std::chrono::seconds(30));

}  // namespace coopchain::testing

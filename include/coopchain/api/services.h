// The client gRPC services (Ledger, Trace, Node) over a running node, and the server that hosts
// them with reflection. Handlers run on gRPC's threads and reach the node only through its
// narrow interfaces: ChainReader for queries (which never wait for the node's strand) and
// TransactionSubmitter for submissions.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "coopchain/net/grpc_status.h"
#include "coopchain/node/chain_reader.h"

namespace coopchain::api {

struct ApiOptions {
  std::string listen = "127.0.0.1:7700";  // port 0: any free port (see port())
  uint32_t max_request_bytes = 1 << 20;
  // How long Submit with `wait` waits when the request names no timeout.
  uint32_t submit_wait_timeout_ms = 30'000;
  // Ledger.StreamBlocks calls served at once; more are answered RESOURCE_EXHAUSTED.
  size_t max_block_streams = 256;
  // Server TLS (PEM), both or neither; neither: plaintext.
  std::string tls_cert_pem;
  std::string tls_key_pem;
};

class ClientApiServer {
 public:
  // Binds options.listen; an error if the address cannot be bound. The reader and the
  // submitter outlive the server.
  static Result<std::unique_ptr<ClientApiServer>> start(const ChainReader& reader,
                                                        TransactionSubmitter& submitter,
                                                        const ApiOptions& options);
  ~ClientApiServer();
  // Stops accepting calls and waits (up to a short deadline) for running ones.
  void shutdown();
  int port() const { return port_; }

 private:
  ClientApiServer() = default;
  struct Services;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// "RULE_CODE: message" for a refusal, with the gRPC code the contract gives it.
using net::to_grpc;

}  // namespace coopchain::api

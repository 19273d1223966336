// The client gRPC services (Ledger, Trace, Node) over a running Node, and the server that hosts
// them with reflection. Handlers run on gRPC's threads and reach node state only through
// Node::submit and Node::read.
#pragma once

#include <memory>

#include <grpcpp/server.h>

#include "coopchain/net/grpc_status.h"
#include "coopchain/node/node.h"

namespace coopchain::api {

class ClientApiServer {
 public:
  // Binds config.client_listen; an error if the address cannot be bound.
  static Result<std::unique_ptr<ClientApiServer>> start(Node& node);
  ~ClientApiServer();
  // Stops accepting calls and waits (up to a short deadline) for running ones.
  void shutdown();

 private:
  ClientApiServer() = default;
  struct Services;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
};

// "RULE_CODE: message" for a refusal, with the gRPC code the contract gives it.
using net::to_grpc;

}  // namespace coopchain::api

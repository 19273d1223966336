// The metrics and health endpoint: a minimal HTTP/1.0 server on the node's strand answering
// GET /metrics (Prometheus text), /healthz (the process is up) and /readyz (the chain is open
// and the node is not shutting down). One request per connection.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "coopchain/node/node.h"

namespace coopchain::api {

class HealthHttpServer {
 public:
  // Binds config.metrics_listen on the node's io_context.
  static Result<std::unique_ptr<HealthHttpServer>> start(Node& node);
  void close();

 private:
  HealthHttpServer(Node& node, boost::asio::ip::tcp::acceptor acceptor);
  void accept();
  Node& node_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace coopchain::api

// The metrics and health endpoint: a minimal HTTP/1.0 server answering GET /metrics
// (Prometheus text), /healthz (the process is up) and /readyz (the chain is open and the node is
// not shutting down), one request per connection. It runs on a thread of its own and reads only
// the node's counters and published views: it never waits for, nor adds work to, the node's
// strand.
#pragma once

#include <memory>
#include <string>

#include "coopchain/core/status.h"
#include "coopchain/node/chain_reader.h"
#include "coopchain/node/metrics.h"

namespace coopchain::api {

class HealthHttpServer {
 public:
  // Binds `listen` (host:port) and starts serving. The reader and metrics outlive the server.
  static Result<std::unique_ptr<HealthHttpServer>> start(const std::string& listen,
                                                         const ChainReader& reader,
                                                         const NodeMetrics& metrics);
  // Stops serving and joins the thread.
  ~HealthHttpServer();
  HealthHttpServer(const HealthHttpServer&) = delete;
  HealthHttpServer& operator=(const HealthHttpServer&) = delete;
  void close();

 private:
  class Impl;
  explicit HealthHttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coopchain::api

// The metrics and health endpoint, on Boost.Beast: GET /metrics (Prometheus text), /healthz
// (503 when the node's event loop has stopped running) and /readyz (503 unless a leader is
// known, a majority of validators is in contact, this node is within a few blocks of the
// leader, storage is writable and the node is not stopping). It runs on a thread of its own and
// reads only the node's counters and published views: it never waits for, nor adds work to,
// the node's strand. Every connection has a deadline, connections are capped, and the accept
// loop outlives descriptor exhaustion (it backs off and retries), so a flood of idle
// connections costs the node nothing it does not get back.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "coopchain/core/status.h"
#include "coopchain/node/chain_reader.h"
#include "coopchain/node/metrics.h"

namespace coopchain::api {

struct HealthHttpLimits {
  // A connection that has not sent its request and read the answer by then is closed.
  std::chrono::milliseconds deadline{5000};
  // Connections served at once; more are closed as soon as they are accepted.
  size_t max_connections = 64;
};

// What /healthz and /readyz answer, from the node's published status. Pure, for tests.
struct ProbeAnswer {
  bool ok = true;
  std::string reason;  // why not, or "ok"/"ready"
};
ProbeAnswer health_of(const NodeStatusView& status, std::chrono::steady_clock::time_point now);
ProbeAnswer readiness_of(const NodeStatusView& status, uint64_t committed_height, bool stopping);

class HealthHttpServer {
 public:
  // Binds `listen` (host:port) and starts serving. The reader and metrics outlive the server.
  static Result<std::unique_ptr<HealthHttpServer>> start(const std::string& listen,
                                                         const ChainReader& reader,
                                                         const NodeMetrics& metrics,
                                                         HealthHttpLimits limits = {});
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

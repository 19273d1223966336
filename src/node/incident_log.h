// IncidentLog: what the replica refused or noticed (consensus/incident.h), in the node's log
// and metrics. A hostile or broken peer can cause an incident per message, so each kind and
// peer is logged at most once per interval, with how many were left out since.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "coopchain/consensus/incident.h"
#include "coopchain/node/metrics.h"

namespace coopchain {

class IncidentLog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kInterval{10};

  explicit IncidentLog(NodeMetrics& metrics) : metrics_(metrics) {}
  // Counts it, and logs it unless one like it was logged within the interval.
  void record(const consensus::Incident& incident, Clock::time_point now);

 private:
  struct Seen {
    Clock::time_point logged_at;
    uint64_t left_out = 0;
  };
  NodeMetrics& metrics_;
  std::map<std::pair<consensus::Incident::Kind, std::string>, Seen> seen_;
};

}  // namespace coopchain

#include "incident_log.h"

#include <spdlog/spdlog.h>

namespace coopchain {

static_assert(consensus::Incident::kKinds == kIncidentKinds);

void IncidentLog::record(const consensus::Incident& incident, Clock::time_point now) {
  using Kind = consensus::Incident::Kind;
  metrics_.add_incident(static_cast<size_t>(incident.kind));
  auto [it, first] = seen_.try_emplace({incident.kind, incident.peer}, Seen{now, 0});
  Seen& seen = it->second;
  if (!first && now - seen.logged_at < kInterval) {
    ++seen.left_out;
    return;
  }
  const std::string more =
      seen.left_out == 0 ? "" : " (and " + std::to_string(seen.left_out) + " more since)";
  seen = {now, 0};
  const std::string_view name = consensus::incident_name(incident.kind);
  const std::string from = incident.peer.empty() ? "" : " from " + incident.peer;
  switch (incident.kind) {
    case Kind::kPeerQuarantined:
    case Kind::kTermRecovered:
      spdlog::error("{}{}: {}{}", name, from, incident.detail, more);
      break;
    default:
      spdlog::warn("{}{}: {}{}", name, from, incident.detail, more);
  }
}

}  // namespace coopchain

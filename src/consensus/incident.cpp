#include "coopchain/consensus/incident.h"

namespace coopchain::consensus {

std::string_view incident_name(Incident::Kind kind) {
  switch (kind) {
    case Incident::Kind::kTermOutOfBounds:
      return "TERM_OUT_OF_BOUNDS";
    case Incident::Kind::kVoteWhileLeaderAlive:
      return "VOTE_WHILE_LEADER_ALIVE";
    case Incident::Kind::kPeerQuarantined:
      return "PEER_QUARANTINED";
    case Incident::Kind::kTermRecovered:
      return "TERM_RECOVERED";
    case Incident::Kind::kBlockRefused:
      return "BLOCK_REFUSED";
  }
  return "UNKNOWN";
}

}  // namespace coopchain::consensus

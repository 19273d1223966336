// What a replica refused or noticed that an operator must hear about. The replica is pure and
// logs nothing: its owner drains these (Replica::take_incidents) and logs and counts them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace coopchain::consensus {

struct Incident {
  enum class Kind : uint8_t {
    // A peer announced a term beyond any that elections could have produced since this node
    // entered its own; the message was ignored.
    kTermOutOfBounds,
    // A peer asked for votes while this node hears from a live leader; refused (Raft's
    // leader lease, so that one node cannot depose a working leader at will).
    kVoteWhileLeaderAlive,
    // A peer raised or tried to raise this node's term too often; its election messages and
    // higher terms are ignored until this node restarts.
    kPeerQuarantined,
    // The persisted term was beyond any real one (written before such terms were refused); it
    // was reset above every term that can have been used.
    kTermRecovered,
    // The leader's block failed the block check (a clock off beyond the allowed skew, most
    // often); that leader is not counted as alive, so an election can replace it.
    kBlockRefused,
  };
  static constexpr size_t kKinds = 5;
  Kind kind;
  std::string peer;   // the sender, or empty
  uint64_t term = 0;  // the term the message announced (kTermRecovered: the persisted one)
  std::string detail;
};

std::string_view incident_name(Incident::Kind kind);

}  // namespace coopchain::consensus

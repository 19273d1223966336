// The consensus defaults, in one place: the replica's options and the node's config both start
// from them (config/README.md lists them). They hold on loopback and on a link of 800 ms round
// trip: a follower hears the leader several times per election timeout even there.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coopchain::consensus::defaults {

inline constexpr int64_t kElectionTimeoutMinMs = 1500;
inline constexpr int64_t kElectionTimeoutMaxMs = 3000;
inline constexpr int64_t kHeartbeatMs = 200;
// What a node proposes at most per block (the chain's own limits may be lower).
inline constexpr size_t kMaxBlockTxs = 2000;
// Blocks the leader keeps in flight before the first of them commits.
inline constexpr size_t kMaxUncommittedBlocks = 8;
// While a block is in flight, what arrives waits for the next full block, or this long after the
// newest proposal: on loopback a block commits well within it (blocks grow under load instead of
// multiplying), on an 800 ms link a transaction waits this instead of a round trip.
inline constexpr int64_t kPartialBlockAfterMs = 100;

}  // namespace coopchain::consensus::defaults

// Checking a quorum certificate: a majority (floor(n/2)+1) of distinct validators of the set in
// force signed votes for exactly this block, all in one term (the term of the leader that
// committed it, no earlier than the block's own), on this chain.
#pragma once

#include <string_view>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"

namespace coopchain {

inline size_t quorum_size(size_t validators) {
  return validators / 2 + 1;
}

// Ok when the certificate certifies `header` (same height and hash) with enough valid votes.
// Votes by non-validators, duplicate votes, votes for another block and votes of mixed terms
// are errors: a correct node never stores them. Part of the block check
// (consensus/block_check.h), kept in core so that storage's start-up check can use it too.
Status verify_quorum(const QuorumCertificate& qc, const BlockHeader& header,
                     std::string_view chain_id, const std::vector<Validator>& validators);

Vote sign_vote(const PrivateKey& key, std::string_view validator_id, std::string_view chain_id,
               uint64_t term, uint64_t height, const Hash256& block_hash);

}  // namespace coopchain

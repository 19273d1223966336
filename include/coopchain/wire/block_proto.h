// Blocks and their quorum certificates as the client API's BlockInfo, both ways: the node
// serves blocks with it (Ledger.GetBlock, StreamBlocks) and the auditor reads them back. The
// reading side trusts nothing: it only rebuilds the block and certificate the message describes,
// and the audit recomputes every hash from them.
#pragma once

#include <utility>

#include "coopchain/core/block.h"
#include "coopchain/core/status.h"
#include "coopchain/v1/api.pb.h"

namespace coopchain::wire {

v1::BlockInfo block_to_proto(const Block& block, const QuorumCertificate* qc,
                             bool with_transactions);

// REQUIRES: the message carries its transactions (include_transactions). Fails on a malformed
// hash. The certificate's block hash is the message's `hash`.
Result<std::pair<Block, QuorumCertificate>> block_from_proto(const v1::BlockInfo& info);

}  // namespace coopchain::wire

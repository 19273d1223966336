// What a node knows of a transaction: unknown, waiting for a block, committed at a height, or
// rejected with the rule it broke.
#pragma once

#include <cstdint>

#include "coopchain/core/hash.h"
#include "coopchain/core/status.h"

namespace coopchain {

// kDropped: the node let go of it before it was committed (see docs/api.md, "What PENDING
// promises"); resubmitting is safe.
enum class TxState { kUnknown = 0, kPending, kCommitted, kRejected, kDropped };

struct TxOutcome {
  Hash256 id{};
  TxState state = TxState::kUnknown;
  uint64_t height = 0;      // kCommitted
  uint32_t index = 0;       // kCommitted
  Verdict verdict;          // kRejected
  std::string reason = {};  // kDropped: why
};

}  // namespace coopchain

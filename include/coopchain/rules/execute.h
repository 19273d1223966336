// Executing an ordered list of transactions on top of a state: what a leader does to build a
// block and what a follower or an auditor does to check one. Pure, like the rules.
#pragma once

#include <set>
#include <span>
#include <utility>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/rules/rules.h"

namespace coopchain {

struct ExecutedTransactions {
  std::vector<size_t> accepted;                      // indices into the input, in order
  std::vector<std::pair<size_t, Verdict>> rejected;  // indices and why
  StateChanges changes;                              // the accepted transactions' writes
};

// Applies each transaction in order on an overlay of `base`; a rejected one leaves no trace.
ExecutedTransactions execute_transactions(const Rules& rules, const StateReader& base,
                                          std::span<const Transaction* const> txs,
                                          const BlockContext& ctx);

}  // namespace coopchain

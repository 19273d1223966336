#include "coopchain/rules/execute.h"

namespace coopchain {

ExecutedTransactions execute_transactions(const Rules& rules, const StateReader& base,
                                          std::span<const Transaction* const> txs,
                                          const BlockContext& ctx) {
  ExecutedTransactions out;
  StateOverlay overlay(base);
  for (size_t i = 0; i < txs.size(); ++i) {
    Verdict verdict = rules.apply(overlay, *txs[i], ctx);
    if (verdict.ok()) {
      out.accepted.push_back(i);
    } else {
      out.rejected.emplace_back(i, std::move(verdict));
    }
  }
  out.changes = overlay.release_changes();
  return out;
}

}  // namespace coopchain

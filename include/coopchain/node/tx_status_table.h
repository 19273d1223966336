// TxStatusTable: what this node knows of transactions it has not committed — pending (admitted
// here, or passed on to the leader) and rejected (with the rule's verdict) — for readers on
// any thread. Committed ones are read from the committed chain view instead. The strand
// writes; gRPC threads read. Bounded: the newest `max_rejected` rejections are kept, and a
// pending entry goes when its transaction commits or is rejected, or when a sweep finds it no
// longer in flight.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "coopchain/core/hash.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain {

class TxStatusTable {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TxStatusTable(size_t max_rejected) : max_rejected_(max_rejected) {}

  // Pending from `now` on; while it is, an earlier rejection is not reported (a resubmission
  // may pass now).
  void mark_pending(const Hash256& id, Clock::time_point now);
  // No longer pending: committed (readers find it in the chain), or not taken after all.
  void forget_pending(const Hash256& id);
  // Rejected with `verdict`; no longer pending.
  void reject(const Hash256& id, const Verdict& verdict);
  // Let go of by this node for `reason`; no longer pending. Reported while it is not pending
  // again (resubmitted), rejected or committed, until forgotten among the oldest.
  void drop(const Hash256& id, const std::string& reason);
  // Each pending entry noted before `noted_before` for which `in_flight` is false becomes
  // dropped, for `why_gone` unless a reason was given before. `in_flight` runs without the
  // table's lock held.
  void sweep(Clock::time_point noted_before, const std::function<bool(const Hash256&)>& in_flight,
             const std::string& why_gone);
  // kPending, kRejected with its verdict, kDropped with its reason, or kUnknown.
  TxOutcome lookup(const Hash256& id) const;
  size_t pending_count() const;

 private:
  void drop_locked(const Hash256& id, const std::string& reason);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::unordered_map<Hash256, Clock::time_point, TxIdHash> pending_;
  std::unordered_map<Hash256, Verdict, TxIdHash> rejected_;
  std::deque<Hash256> rejected_order_;  // the ids of rejected_, oldest first
  std::unordered_map<Hash256, std::string, TxIdHash> dropped_;  // with the reason
  std::deque<Hash256> dropped_order_;                           // the ids of dropped_, oldest first
  size_t max_rejected_;                                         // of each of rejected_ and dropped_
};

}  // namespace coopchain

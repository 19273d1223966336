#include "coopchain/node/tx_status_table.h"

#include <vector>

namespace coopchain {

void TxStatusTable::mark_pending(const Hash256& id, Clock::time_point now) {
  std::lock_guard lock(mu_);
  pending_.insert_or_assign(id, now);
}

void TxStatusTable::forget_pending(const Hash256& id) {
  std::lock_guard lock(mu_);
  pending_.erase(id);
}

void TxStatusTable::reject(const Hash256& id, const Verdict& verdict) {
  std::lock_guard lock(mu_);
  pending_.erase(id);
  if (rejected_.insert_or_assign(id, verdict).second) rejected_order_.push_back(id);
  while (rejected_.size() > max_rejected_) {
    rejected_.erase(rejected_order_.front());
    rejected_order_.pop_front();
  }
}

void TxStatusTable::drop(const Hash256& id, const std::string& reason) {
  std::lock_guard lock(mu_);
  drop_locked(id, reason);
}

void TxStatusTable::drop_locked(const Hash256& id, const std::string& reason) {
  pending_.erase(id);
  if (dropped_.insert_or_assign(id, reason).second) dropped_order_.push_back(id);
  while (dropped_.size() > max_rejected_) {
    dropped_.erase(dropped_order_.front());
    dropped_order_.pop_front();
  }
}

void TxStatusTable::sweep(Clock::time_point noted_before,
                          const std::function<bool(const Hash256&)>& in_flight,
                          const std::string& why_gone) {
  std::vector<Hash256> old;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, noted] : pending_) {
      if (noted < noted_before) old.push_back(id);
    }
  }
  std::vector<Hash256> gone;
  for (const auto& id : old) {
    if (!in_flight(id)) gone.push_back(id);
  }
  std::lock_guard lock(mu_);
  for (const auto& id : gone) {
    auto it = pending_.find(id);
    // Marked again meanwhile: a new submission, which keeps its entry.
    if (it == pending_.end() || it->second >= noted_before) continue;
    // Said PENDING no longer: a leader that took it let go of it without this node hearing
    // (it stepped down; its queue went with it). A reason given earlier is the better one.
    if (dropped_.count(id) != 0) {
      pending_.erase(it);
    } else {
      drop_locked(id, why_gone);
    }
  }
}

TxOutcome TxStatusTable::lookup(const Hash256& id) const {
  std::lock_guard lock(mu_);
  if (pending_.count(id) != 0) return {id, TxState::kPending, 0, 0, {}};
  if (auto it = rejected_.find(id); it != rejected_.end()) {
    return {id, TxState::kRejected, 0, 0, it->second};
  }
  if (auto it = dropped_.find(id); it != dropped_.end()) {
    TxOutcome outcome{id, TxState::kDropped, 0, 0, {}};
    outcome.reason = it->second;
    return outcome;
  }
  return {id, TxState::kUnknown, 0, 0, {}};
}

size_t TxStatusTable::pending_count() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

}  // namespace coopchain

// SubmitReply: the answer to one client submission, which several threads may know first. The
// strand knows it on admission (rejected, committed, unavailable) or when the transaction is
// settled (committed or rejected in a block); a network thread knows it when the leader answers
// a forwarded submission. The first final answer wins and later ones are ignored, so the
// submitter sleeps once, whoever answers. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

#include "coopchain/core/status.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain {

class SubmitReply {
 public:
  using Clock = std::chrono::steady_clock;

  // The final answer; ignored once one was given.
  void resolve(Result<TxOutcome> outcome);
  // What the submitter is told if no final answer comes in time: the transaction is pending
  // (queued at the leader, or in flight).
  void note_pending(TxOutcome outcome);

  // Waits for the final answer until `deadline`, then answers the pending outcome if one was
  // noted. Without one, it goes on waiting for either until `hard_deadline`, or until
  // `abandoned()` says nobody will answer (checked every 100 ms); then UNAVAILABLE.
  // REQUIRES: deadline <= hard_deadline.
  Result<TxOutcome> wait(Clock::time_point deadline, Clock::time_point hard_deadline,
                         const std::function<bool()>& abandoned);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Result<TxOutcome>> final_;
  std::optional<TxOutcome> pending_;
};

}  // namespace coopchain

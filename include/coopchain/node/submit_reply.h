// SubmitReply: the answer to one client submission, which several threads may know first. The
// strand knows it on admission (rejected, committed, unavailable) or when the transaction is
// settled (committed or rejected in a block); a network thread knows it when the leader answers
// a forwarded submission; the client's call knows when it is cancelled. The first final answer
// is handed to the submitter's callback, exactly once, and later ones are ignored: nobody
// sleeps while a submission waits. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "coopchain/core/status.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain {

class SubmitReply {
 public:
  using Answer = std::function<void(Result<TxOutcome>)>;

  explicit SubmitReply(Answer answer) : answer_(std::move(answer)) {}
  // A reply dropped without an answer (its submission was still queued on a node that stopped)
  // answers as `give_up` does, so that no submitter is left without one.
  ~SubmitReply();
  SubmitReply(const SubmitReply&) = delete;
  SubmitReply& operator=(const SubmitReply&) = delete;

  // The final answer; ignored once one was given.
  void resolve(Result<TxOutcome> outcome);
  // The transaction is pending (queued at the leader, or in flight): the answer once the
  // submitter's wait is over, at once if it already is.
  void note_pending(TxOutcome outcome);
  // The submitter's wait is over: a noted pending outcome is the answer; without one the reply
  // goes on waiting for either.
  void expire();
  // Nobody will answer: the pending outcome if one was noted, otherwise UNAVAILABLE `why`.
  void give_up(const std::string& why);
  bool answered() const;

 private:
  // REQUIRES: `lock` holds mu_ and answer_ is set; returns with mu_ released.
  void answer_unlocked(std::unique_lock<std::mutex>& lock, Result<TxOutcome> outcome);

  mutable std::mutex mu_;
  Answer answer_;  // empty once answered
  std::optional<TxOutcome> pending_;
  bool expired_ = false;
};

}  // namespace coopchain

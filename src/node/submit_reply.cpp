#include "coopchain/node/submit_reply.h"

namespace coopchain {

void SubmitReply::resolve(Result<TxOutcome> outcome) {
  {
    std::lock_guard lock(mu_);
    if (final_) return;
    final_ = std::move(outcome);
  }
  cv_.notify_all();
}

void SubmitReply::note_pending(TxOutcome outcome) {
  {
    std::lock_guard lock(mu_);
    if (final_ || pending_) return;
    pending_ = std::move(outcome);
  }
  cv_.notify_all();
}

Result<TxOutcome> SubmitReply::wait(Clock::time_point deadline, Clock::time_point hard_deadline,
                                    const std::function<bool()>& abandoned) {
  constexpr std::chrono::milliseconds kPoll{100};
  std::unique_lock lock(mu_);
  while (true) {
    if (final_) return *final_;
    const auto now = Clock::now();
    if (now >= deadline && pending_) return *pending_;
    if (abandoned()) {
      if (pending_) return *pending_;
      return Status::Unavailable("the node is shutting down");
    }
    if (now >= hard_deadline) {
      if (pending_) return *pending_;
      return Status::Unavailable("the node did not answer in time");
    }
    // Before the deadline only a final answer ends the wait; after it, a pending one does too.
    const auto until = std::min(now + kPoll, now < deadline ? deadline : hard_deadline);
    cv_.wait_until(lock, until);
  }
}

}  // namespace coopchain

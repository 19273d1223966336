#include "coopchain/node/submit_reply.h"

namespace coopchain {

SubmitReply::~SubmitReply() {
  give_up("the node is shutting down");
}

void SubmitReply::answer_unlocked(std::unique_lock<std::mutex>& lock, Result<TxOutcome> outcome) {
  Answer answer = std::move(answer_);
  answer_ = nullptr;
  // The callback runs unlocked: it may finish an RPC, and must not hold up other threads.
  lock.unlock();
  answer(std::move(outcome));
}

void SubmitReply::resolve(Result<TxOutcome> outcome) {
  std::unique_lock lock(mu_);
  if (!answer_) return;
  answer_unlocked(lock, std::move(outcome));
}

void SubmitReply::note_pending(TxOutcome outcome) {
  std::unique_lock lock(mu_);
  if (!answer_ || pending_) return;
  if (expired_) {
    answer_unlocked(lock, std::move(outcome));
    return;
  }
  pending_ = std::move(outcome);
}

void SubmitReply::expire() {
  std::unique_lock lock(mu_);
  if (!answer_) return;
  expired_ = true;
  if (pending_) answer_unlocked(lock, *pending_);
}

void SubmitReply::give_up(const std::string& why) {
  std::unique_lock lock(mu_);
  if (!answer_) return;
  if (pending_) {
    answer_unlocked(lock, *pending_);
  } else {
    answer_unlocked(lock, Status::Unavailable(why));
  }
}

bool SubmitReply::answered() const {
  std::lock_guard lock(mu_);
  return !answer_;
}

}  // namespace coopchain

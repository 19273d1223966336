#include "forward_batcher.h"

#include <algorithm>
#include <future>

namespace coopchain::net {

ForwardBatcher::ForwardBatcher(Send send, size_t max_calls, size_t max_batch, Clock clock)
    : send_(std::move(send)),
      max_calls_(std::max<size_t>(1, max_calls)),
      max_batch_(std::max<size_t>(1, max_batch)),
      clock_(std::move(clock)) {}

ForwardBatcher::~ForwardBatcher() {
  stop();
}

void ForwardBatcher::forward_async(const std::string& leader, SignedTransaction tx, Done done) {
  std::vector<Item> batch;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(Item{leader, std::move(tx), std::move(done)});
      done = nullptr;
      batch = next_batch_locked();
    }
  }
  if (done) {
    done(Status::Unavailable("the node is shutting down"));
    return;
  }
  if (!batch.empty()) start(std::move(batch));
}

Result<TxOutcome> ForwardBatcher::forward(const std::string& leader, const SignedTransaction& tx) {
  auto answer = std::make_shared<std::promise<Result<TxOutcome>>>();
  auto future = answer->get_future();
  forward_async(leader, tx,
                [answer](Result<TxOutcome> outcome) { answer->set_value(std::move(outcome)); });
  return future.get();
}

void ForwardBatcher::stop() {
  std::deque<Item> left;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && calls_ == 0) return;
    stopping_ = true;
    left.swap(queue_);
  }
  for (auto& item : left) item.done(Status::Unavailable("the node is shutting down"));
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return calls_ == 0; });
}

std::vector<ForwardBatcher::Item> ForwardBatcher::next_batch_locked() {
  std::vector<Item> batch;
  const size_t max_calls = leader_far_ ? std::max(max_calls_, kMaxCallsFar) : max_calls_;
  if (stopping_ || calls_ >= max_calls || queue_.empty()) return batch;
  // The batch goes to the leader of the oldest submission; submissions for another leader (the
  // leader changed meanwhile) wait for the next call, in their order.
  const std::string leader = queue_.front().leader;
  for (auto it = queue_.begin(); it != queue_.end() && batch.size() < max_batch_;) {
    if (it->leader == leader) {
      batch.push_back(std::move(*it));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  ++calls_;
  return batch;
}

void ForwardBatcher::start(std::vector<Item> batch) {
  std::vector<SignedTransaction> txs;
  txs.reserve(batch.size());
  for (auto& item : batch) txs.push_back(std::move(item.tx));
  const std::string leader = batch.front().leader;
  auto items = std::make_shared<std::vector<Item>>(std::move(batch));
  send_(leader, std::move(txs), [this, items, started = clock_()](Outcomes outcomes) {
    finish(std::move(*items), std::move(outcomes), started);
  });
}

void ForwardBatcher::finish(std::vector<Item> batch, Outcomes outcomes,
                            std::chrono::steady_clock::time_point started) {
  const bool far = clock_() - started > kFarCall;
  if (outcomes.ok() && outcomes->size() != batch.size()) {
    outcomes = Status::Internal("a forwarding call answered " + std::to_string(outcomes->size()) +
                                " outcomes for " + std::to_string(batch.size()) + " transactions");
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!outcomes.ok()) {
      batch[i].done(outcomes.status());
    } else {
      batch[i].done(std::move((*outcomes)[i]));
    }
  }
  std::vector<Item> next;
  {
    std::lock_guard lock(mu_);
    --calls_;
    leader_far_ = far;
    next = next_batch_locked();
    // Notified under the lock: once stop() sees no call under way it may destroy this object.
    if (calls_ == 0) idle_.notify_all();
  }
  if (!next.empty()) start(std::move(next));
}

}  // namespace coopchain::net

#include "forward_batcher.h"

#include <algorithm>

namespace coopchain::net {

ForwardBatcher::ForwardBatcher(Send send, size_t senders, size_t max_batch)
    : send_(std::move(send)), max_batch_(std::max<size_t>(1, max_batch)) {
  for (size_t i = 0; i < std::max<size_t>(1, senders); ++i) {
    senders_.emplace_back([this] { run(); });
  }
}

ForwardBatcher::~ForwardBatcher() {
  stop();
}

void ForwardBatcher::forward_async(const std::string& leader, SignedTransaction tx, Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(Item{leader, std::move(tx), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    done(Status::Unavailable("the node is shutting down"));
    return;
  }
  cv_.notify_one();
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
    if (stopping_) return;
    stopping_ = true;
    left.swap(queue_);
  }
  cv_.notify_all();
  for (auto& item : left) item.done(Status::Unavailable("the node is shutting down"));
  for (auto& sender : senders_) sender.join();
}

void ForwardBatcher::run() {
  while (true) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      // The batch goes to the leader of the oldest submission; submissions for another leader
      // (the leader changed meanwhile) wait for the next call, in their order.
      const std::string leader = queue_.front().leader;
      for (auto it = queue_.begin(); it != queue_.end() && batch.size() < max_batch_;) {
        if (it->leader == leader) {
          batch.push_back(std::move(*it));
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    std::vector<SignedTransaction> txs;
    txs.reserve(batch.size());
    for (auto& item : batch) txs.push_back(std::move(item.tx));
    auto outcomes = send_(batch.front().leader, txs);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!outcomes.ok()) {
        batch[i].done(outcomes.status());
      } else {
        batch[i].done(std::move((*outcomes)[i]));
      }
    }
  }
}

}  // namespace coopchain::net

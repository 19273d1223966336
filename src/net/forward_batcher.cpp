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

Result<TxOutcome> ForwardBatcher::forward(const std::string& leader, const SignedTransaction& tx) {
  auto item = std::make_shared<Item>();
  item->leader = leader;
  item->tx = tx;
  auto answer = item->done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("the node is shutting down");
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
  return answer.get();
}

void ForwardBatcher::stop() {
  std::deque<std::shared_ptr<Item>> left;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    left.swap(queue_);
  }
  cv_.notify_all();
  for (auto& item : left) item->done.set_value(Status::Unavailable("the node is shutting down"));
  for (auto& sender : senders_) sender.join();
}

void ForwardBatcher::run() {
  while (true) {
    std::vector<std::shared_ptr<Item>> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      // The batch goes to the leader of the oldest submission; submissions for another leader
      // (the leader changed meanwhile) wait for the next call, in their order.
      const std::string leader = queue_.front()->leader;
      for (auto it = queue_.begin(); it != queue_.end() && batch.size() < max_batch_;) {
        if ((*it)->leader == leader) {
          batch.push_back(std::move(*it));
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    std::vector<SignedTransaction> txs;
    txs.reserve(batch.size());
    for (const auto& item : batch) txs.push_back(item->tx);
    auto outcomes = send_(batch.front()->leader, txs);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!outcomes.ok()) {
        batch[i]->done.set_value(outcomes.status());
      } else {
        batch[i]->done.set_value(std::move((*outcomes)[i]));
      }
    }
  }
}

}  // namespace coopchain::net

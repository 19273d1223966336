// Passes the submissions a follower receives on to the leader in batches: a submission is queued
// with what to do with its answer; sender threads each take whatever is queued for one leader
// (up to a batch), make one call for it and hand each answer on. Under load a batch is what arrived
// during the previous call, so the calls per second stay few however many transactions there are.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain::net {

class ForwardBatcher {
 public:
  // One call to `leader` for `txs`: one outcome per transaction, in order, or an error for all.
  using Send = std::function<Result<std::vector<Result<TxOutcome>>>(
      const std::string& leader, const std::vector<SignedTransaction>& txs)>;

  ForwardBatcher(Send send, size_t senders, size_t max_batch);
  ~ForwardBatcher();
  ForwardBatcher(const ForwardBatcher&) = delete;
  ForwardBatcher& operator=(const ForwardBatcher&) = delete;

  // Called once with the leader's answer for one transaction, on a sender thread (or on the
  // caller's, UNAVAILABLE, when the batcher has stopped). It must not block.
  using Done = std::function<void(Result<TxOutcome>)>;

  // Never blocks: queues `tx` and returns.
  void forward_async(const std::string& leader, SignedTransaction tx, Done done);
  // Blocks until the leader answered for `tx` (or its batch failed). UNAVAILABLE once stopped.
  Result<TxOutcome> forward(const std::string& leader, const SignedTransaction& tx);
  // Answers everything still queued UNAVAILABLE and joins the senders.
  void stop();

 private:
  struct Item {
    std::string leader;
    SignedTransaction tx;
    Done done;
  };
  void run();

  const Send send_;
  const size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::vector<std::thread> senders_;
};

}  // namespace coopchain::net

// Passes the submissions a follower receives on to the leader in batches: a submission is queued
// with what to do with its answer; while fewer than `max_calls` calls are under way, whatever is
// queued for one leader (up to a batch) goes out in one call, and each finished call hands its
// answers on and sends what queued meanwhile. Under load a batch is what arrived during the
// previous call, so the calls per second stay few however many transactions there are. A leader
// a long way off (the last call took longer than kFarCall) gets up to kMaxCallsFar calls at once:
// over an 800 ms link a submission would otherwise wait a whole round trip for a call to finish
// before its own could start. No thread of its own: calls start on the thread that queues or
// that finished the previous call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain::net {

class ForwardBatcher {
 public:
  // One outcome per transaction, in order, or an error for all.
  using Outcomes = Result<std::vector<Result<TxOutcome>>>;
  // Starts one call to `leader` for `txs` and returns; `answer` is called exactly once, on any
  // thread, when the call is over.
  using Send = std::function<void(const std::string& leader, std::vector<SignedTransaction> txs,
                                  std::function<void(Outcomes)> answer)>;

  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::milliseconds kFarCall{50};
  static constexpr size_t kMaxCallsFar = 16;

  ForwardBatcher(Send send, size_t max_calls, size_t max_batch,
                 Clock clock = std::chrono::steady_clock::now);
  ~ForwardBatcher();
  ForwardBatcher(const ForwardBatcher&) = delete;
  ForwardBatcher& operator=(const ForwardBatcher&) = delete;

  // Called once with the leader's answer for one transaction, on the thread that finished the
  // call (or on the caller's, UNAVAILABLE, when the batcher has stopped). It must not block.
  using Done = std::function<void(Result<TxOutcome>)>;

  // Never blocks: queues `tx` and returns (starting a call if one may start).
  void forward_async(const std::string& leader, SignedTransaction tx, Done done);
  // Blocks until the leader answered for `tx` (or its batch failed). UNAVAILABLE once stopped.
  Result<TxOutcome> forward(const std::string& leader, const SignedTransaction& tx);
  // Answers everything still queued UNAVAILABLE and waits until the calls under way are over
  // (whoever sends should cancel them first).
  void stop();

 private:
  struct Item {
    std::string leader;
    SignedTransaction tx;
    Done done;
  };
  // The next batch, if a call may start; counts it as under way. REQUIRES: mu_ held.
  std::vector<Item> next_batch_locked();
  void start(std::vector<Item> batch);
  void finish(std::vector<Item> batch, Outcomes outcomes,
              std::chrono::steady_clock::time_point started);

  const Send send_;
  const size_t max_calls_;
  const size_t max_batch_;
  const Clock clock_;
  std::mutex mu_;
  std::condition_variable idle_;  // no call under way
  std::deque<Item> queue_;
  size_t calls_ = 0;         // under way
  bool leader_far_ = false;  // the last call finished took longer than kFarCall
  bool stopping_ = false;
};

}  // namespace coopchain::net

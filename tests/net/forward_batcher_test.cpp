// The follower's batching of forwarded submissions: at most `max_calls` calls are under way,
// what queues meanwhile goes out together when one finishes, a batch is for one leader with the
// others kept in order for the next, every submission gets its own answer, and stopping answers
// what is queued and waits for the calls under way.
#include "forward_batcher.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace coopchain::net {
namespace {

// The calls the batcher starts, held until the test answers them.
struct Calls {
  struct Call {
    std::string leader;
    std::vector<SignedTransaction> txs;
    std::function<void(ForwardBatcher::Outcomes)> answer;
  };
  std::mutex mu;
  std::vector<Call> started;

  ForwardBatcher::Send send() {
    return [this](const std::string& leader, std::vector<SignedTransaction> txs,
                  std::function<void(ForwardBatcher::Outcomes)> answer) {
      std::lock_guard lock(mu);
      started.push_back({leader, std::move(txs), std::move(answer)});
    };
  }
  size_t count() {
    std::lock_guard lock(mu);
    return started.size();
  }
  // Answers call `i`: each transaction COMMITTED at the height its payload names.
  void commit(size_t i) {
    std::function<void(ForwardBatcher::Outcomes)> answer;
    std::vector<Result<TxOutcome>> outcomes;
    {
      std::lock_guard lock(mu);
      for (const auto& tx : started[i].txs) {
        TxOutcome o;
        o.id = tx.id();
        o.state = TxState::kCommitted;
        o.height = std::stoull(tx.payload);
        outcomes.push_back(o);
      }
      answer = std::move(started[i].answer);
    }
    answer(std::move(outcomes));
  }
  void fail(size_t i, Status status) {
    std::function<void(ForwardBatcher::Outcomes)> answer;
    {
      std::lock_guard lock(mu);
      answer = std::move(started[i].answer);
    }
    answer(std::move(status));
  }
};

SignedTransaction tx(int n) {
  return {std::to_string(n), "signature"};
}

// Collects the answers by transaction number.
struct Answers {
  std::mutex mu;
  std::map<int, Result<TxOutcome>> got;
  ForwardBatcher::Done for_tx(int n) {
    return [this, n](Result<TxOutcome> o) {
      std::lock_guard lock(mu);
      got.emplace(n, std::move(o));
    };
  }
  size_t size() {
    std::lock_guard lock(mu);
    return got.size();
  }
};

TEST(ForwardBatcher, WhatQueuesDuringTheCallsUnderWayGoesOutTogether) {
  Calls calls;
  Answers answers;
  ForwardBatcher batcher(calls.send(), /*max_calls=*/2, /*max_batch=*/100);
  for (int n = 1; n <= 10; ++n) batcher.forward_async("coop-1", tx(n), answers.for_tx(n));
  // The first two submissions each started a call; the other eight wait.
  ASSERT_EQ(calls.count(), 2u);
  EXPECT_EQ(calls.started[0].txs.size(), 1u);
  EXPECT_EQ(calls.started[1].txs.size(), 1u);
  calls.commit(0);
  ASSERT_EQ(calls.count(), 3u);
  EXPECT_EQ(calls.started[2].txs.size(), 8u);
  EXPECT_EQ(calls.started[2].txs.front().payload, "3");
  calls.commit(1);
  EXPECT_EQ(calls.count(), 3u);  // nothing left to send
  calls.commit(2);
  ASSERT_EQ(answers.size(), 10u);
  for (int n = 1; n <= 10; ++n) {
    ASSERT_TRUE(answers.got.at(n).ok());
    EXPECT_EQ(answers.got.at(n)->height, static_cast<uint64_t>(n));
  }
}

// Over an 800 ms link, writers at a follower that submit together waited a round trip for a
// call to finish when more of them submitted than calls could be under way. Once a call has
// taken longer than kFarCall, up to kMaxCallsFar are under way at once.
TEST(ForwardBatcher, ALeaderALongWayOffGetsMoreCallsAtOnce) {
  Calls calls;
  Answers answers;
  auto now = std::chrono::steady_clock::time_point{};
  ForwardBatcher batcher(calls.send(), /*max_calls=*/2, /*max_batch=*/100, [&now] { return now; });
  for (int n = 1; n <= 3; ++n) batcher.forward_async("coop-1", tx(n), answers.for_tx(n));
  ASSERT_EQ(calls.count(), 2u) << "the third waits: no call has been slow yet";
  now += ForwardBatcher::kFarCall + std::chrono::milliseconds(1);
  calls.commit(0);  // slow: the leader is far
  ASSERT_EQ(calls.count(), 3u);
  for (int n = 4; n <= 40; ++n) batcher.forward_async("coop-1", tx(n), answers.for_tx(n));
  EXPECT_EQ(calls.count(), 1 + ForwardBatcher::kMaxCallsFar) << "each submission a call at once";

  calls.commit(1);  // a quick answer: back to two calls under way at most
  for (size_t i = 2; i < calls.count(); ++i) calls.commit(i);  // starts what still waits
  EXPECT_EQ(answers.size(), 40u);
}

TEST(ForwardBatcher, ABatchIsForOneLeaderAndTheRestKeepTheirOrder) {
  Calls calls;
  Answers answers;
  ForwardBatcher batcher(calls.send(), /*max_calls=*/1, /*max_batch=*/3);
  batcher.forward_async("coop-1", tx(1), answers.for_tx(1));  // starts a call
  batcher.forward_async("coop-2", tx(2), answers.for_tx(2));
  batcher.forward_async("coop-1", tx(3), answers.for_tx(3));
  batcher.forward_async("coop-2", tx(4), answers.for_tx(4));
  batcher.forward_async("coop-2", tx(5), answers.for_tx(5));
  batcher.forward_async("coop-2", tx(6), answers.for_tx(6));
  calls.commit(0);
  ASSERT_EQ(calls.count(), 2u);
  EXPECT_EQ(calls.started[1].leader, "coop-2");  // the oldest waiting names coop-2
  ASSERT_EQ(calls.started[1].txs.size(), 3u);    // a batch holds three at most
  EXPECT_EQ(calls.started[1].txs[0].payload, "2");
  EXPECT_EQ(calls.started[1].txs[2].payload, "5");
  calls.commit(1);
  ASSERT_EQ(calls.count(), 3u);
  EXPECT_EQ(calls.started[2].leader, "coop-1");
  ASSERT_EQ(calls.started[2].txs.size(), 1u);
  EXPECT_EQ(calls.started[2].txs[0].payload, "3");
  calls.commit(2);
  ASSERT_EQ(calls.count(), 4u);
  EXPECT_EQ(calls.started[3].txs[0].payload, "6");
  calls.commit(3);
  EXPECT_EQ(answers.size(), 6u);
}

TEST(ForwardBatcher, AFailedCallAnswersEachOfItsSubmissions) {
  Calls calls;
  Answers answers;
  ForwardBatcher batcher(calls.send(), 1, 100);
  for (int n = 1; n <= 3; ++n) batcher.forward_async("coop-1", tx(n), answers.for_tx(n));
  calls.fail(0, Status::Unavailable("the leader coop-1 did not answer"));
  ASSERT_EQ(calls.count(), 2u);
  // An answer that does not count the batch's transactions is an error for all of them.
  std::function<void(ForwardBatcher::Outcomes)> answer = std::move(calls.started[1].answer);
  answer(std::vector<Result<TxOutcome>>{});
  ASSERT_EQ(answers.size(), 3u);
  for (int n = 1; n <= 3; ++n) EXPECT_FALSE(answers.got.at(n).ok());
  EXPECT_EQ(answers.got.at(1).status().code(), StatusCode::kUnavailable);
}

TEST(ForwardBatcher, StoppingAnswersWhatIsQueuedAndWaitsForTheCallsUnderWay) {
  Calls calls;
  Answers answers;
  ForwardBatcher batcher(calls.send(), 1, 100);
  for (int n = 1; n <= 2; ++n) batcher.forward_async("coop-1", tx(n), answers.for_tx(n));
  std::thread stopper([&] { batcher.stop(); });
  // The queued submission is answered at once; the one under way when its call ends.
  while (answers.size() < 1) std::this_thread::yield();
  EXPECT_EQ(answers.got.count(2), 1u);
  EXPECT_EQ(answers.got.at(2).status().code(), StatusCode::kUnavailable);
  calls.commit(0);
  stopper.join();
  EXPECT_TRUE(answers.got.at(1).ok());
  EXPECT_EQ(calls.count(), 1u);
  // After stopping, a submission is answered UNAVAILABLE without a call.
  batcher.forward_async("coop-1", tx(3), answers.for_tx(3));
  EXPECT_EQ(answers.got.at(3).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls.count(), 1u);
}

}  // namespace
}  // namespace coopchain::net

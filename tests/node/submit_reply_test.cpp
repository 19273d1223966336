// A submission's reply: the first final answer wins whoever gives it, a pending answer is what a
// submitter hears when its wait times out, and a node that stops answering is not waited for.
#include "coopchain/node/submit_reply.h"

#include <gtest/gtest.h>

#include <thread>

namespace coopchain {
namespace {

using namespace std::chrono_literals;
using Clock = SubmitReply::Clock;

TxOutcome outcome(TxState state, uint64_t height = 0) {
  Hash256 id{};
  id.fill(7);
  return TxOutcome{id, state, height, 0, {}};
}

const auto kNeverAbandoned = [] { return false; };

TEST(SubmitReply, TheFirstFinalAnswerWinsAcrossThreads) {
  SubmitReply reply;
  std::thread commit([&] { reply.resolve(outcome(TxState::kCommitted, 12)); });
  commit.join();
  reply.resolve(Status::Unavailable("the leader did not answer"));
  auto answer = reply.wait(Clock::now() + 5s, Clock::now() + 5s, kNeverAbandoned);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->state, TxState::kCommitted);
  EXPECT_EQ(answer->height, 12u);
}

TEST(SubmitReply, AWaiterWakesWhenAnotherThreadResolves) {
  SubmitReply reply;
  reply.note_pending(outcome(TxState::kPending));
  std::thread commit([&] {
    std::this_thread::sleep_for(50ms);
    reply.resolve(outcome(TxState::kCommitted, 3));
  });
  // Pending is noted, but before the deadline only the final answer ends the wait.
  auto answer = reply.wait(Clock::now() + 10s, Clock::now() + 10s, kNeverAbandoned);
  commit.join();
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->state, TxState::kCommitted);
}

TEST(SubmitReply, PendingIsTheAnswerOnceTheDeadlinePasses) {
  SubmitReply reply;
  reply.note_pending(outcome(TxState::kPending));
  const auto start = Clock::now();
  auto answer = reply.wait(start + 100ms, start + 10s, kNeverAbandoned);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->state, TxState::kPending);
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(SubmitReply, WithoutAnyAnswerAStoppedNodeIsUnavailable) {
  SubmitReply reply;
  auto answer = reply.wait(Clock::now(), Clock::now() + 10s, [] { return true; });
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
}

TEST(SubmitReply, WithoutAnyAnswerTheWaitEndsAtTheHardDeadline) {
  SubmitReply reply;
  const auto start = Clock::now();
  auto answer = reply.wait(start, start + 150ms, kNeverAbandoned);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
  EXPECT_GE(Clock::now() - start, 150ms);
}

}  // namespace
}  // namespace coopchain

// A submission's reply: the first final answer wins whoever gives it and is handed over exactly
// once, a pending answer is what a submitter hears once its wait is over, and a reply nobody
// answers still answers when it is dropped.
#include "coopchain/node/submit_reply.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

namespace coopchain {
namespace {

TxOutcome outcome(TxState state, uint64_t height = 0) {
  Hash256 id{};
  id.fill(7);
  return TxOutcome{id, state, height, 0, {}};
}

// Collects every answer a reply hands over.
struct Answers {
  std::vector<Result<TxOutcome>> seen;
  SubmitReply::Answer callback() {
    return [this](Result<TxOutcome> o) { seen.push_back(std::move(o)); };
  }
};

TEST(SubmitReply, TheFirstFinalAnswerWinsAcrossThreads) {
  Answers answers;
  {
    SubmitReply reply(answers.callback());
    std::thread commit([&] { reply.resolve(outcome(TxState::kCommitted, 12)); });
    commit.join();
    reply.resolve(Status::Unavailable("the leader did not answer"));
    reply.give_up("too late");
  }
  ASSERT_EQ(answers.seen.size(), 1u);
  ASSERT_TRUE(answers.seen[0].ok());
  EXPECT_EQ(answers.seen[0]->state, TxState::kCommitted);
  EXPECT_EQ(answers.seen[0]->height, 12u);
}

TEST(SubmitReply, BeforeTheWaitIsOverOnlyAFinalAnswerIsGiven) {
  Answers answers;
  SubmitReply reply(answers.callback());
  reply.note_pending(outcome(TxState::kPending));
  EXPECT_TRUE(answers.seen.empty());
  EXPECT_FALSE(reply.answered());
  reply.resolve(outcome(TxState::kCommitted, 3));
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen[0]->state, TxState::kCommitted);
  EXPECT_TRUE(reply.answered());
}

TEST(SubmitReply, PendingIsTheAnswerOnceTheWaitIsOver) {
  Answers answers;
  SubmitReply reply(answers.callback());
  reply.note_pending(outcome(TxState::kPending));
  reply.expire();
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen[0]->state, TxState::kPending);
}

TEST(SubmitReply, APendingOutcomeNotedAfterTheWaitIsOverIsAnsweredAtOnce) {
  Answers answers;
  SubmitReply reply(answers.callback());
  reply.expire();
  EXPECT_TRUE(answers.seen.empty());
  reply.note_pending(outcome(TxState::kPending));
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen[0]->state, TxState::kPending);
}

TEST(SubmitReply, GivingUpWithoutAnyAnswerIsUnavailable) {
  Answers answers;
  SubmitReply reply(answers.callback());
  reply.expire();
  reply.give_up("the node did not answer in time");
  ASSERT_EQ(answers.seen.size(), 1u);
  ASSERT_FALSE(answers.seen[0].ok());
  EXPECT_EQ(answers.seen[0].status().code(), StatusCode::kUnavailable);
  EXPECT_NE(answers.seen[0].status().message().find("did not answer"), std::string::npos);
}

TEST(SubmitReply, AReplyDroppedUnansweredAnswersThatTheNodeIsShuttingDown) {
  Answers answers;
  { auto reply = std::make_shared<SubmitReply>(answers.callback()); }
  ASSERT_EQ(answers.seen.size(), 1u);
  ASSERT_FALSE(answers.seen[0].ok());
  EXPECT_EQ(answers.seen[0].status().code(), StatusCode::kUnavailable);
}

TEST(SubmitReply, AReplyDroppedWithAPendingOutcomeAnswersPending) {
  Answers answers;
  {
    SubmitReply reply(answers.callback());
    reply.note_pending(outcome(TxState::kPending));
  }
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen[0]->state, TxState::kPending);
}

TEST(SubmitReply, ConcurrentAnswersAreHandedOverOnce) {
  std::atomic<int> calls{0};
  for (int round = 0; round < 200; ++round) {
    SubmitReply reply([&](Result<TxOutcome>) { calls.fetch_add(1); });
    std::thread a([&] { reply.resolve(outcome(TxState::kCommitted, 1)); });
    std::thread b([&] { reply.give_up("gone"); });
    reply.note_pending(outcome(TxState::kPending));
    reply.expire();
    a.join();
    b.join();
  }
  EXPECT_EQ(calls.load(), 200);
}

}  // namespace
}  // namespace coopchain

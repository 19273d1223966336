// Waiting submitters hear "pending" once their wait is over, "did not answer" if nobody ever
// answers, and answered submissions do not linger in the deadline heap.
#include "coopchain/node/submit_deadlines.h"

#include <gtest/gtest.h>

#include <vector>

namespace coopchain {
namespace {

using namespace std::chrono_literals;
using Clock = SubmitDeadlines::Clock;

TxOutcome pending() {
  Hash256 id{};
  id.fill(3);
  return TxOutcome{id, TxState::kPending, 0, 0, {}};
}

struct Recorded {
  std::vector<Result<TxOutcome>> answers;
  std::shared_ptr<SubmitReply> reply() {
    return std::make_shared<SubmitReply>(
        [this](Result<TxOutcome> o) { answers.push_back(std::move(o)); });
  }
};

TEST(SubmitDeadlines, APendingSubmissionIsAnsweredPendingAtItsDeadlineAndNotBefore) {
  SubmitDeadlines deadlines(30s);
  Recorded early, late;
  auto a = early.reply();
  auto b = late.reply();
  a->note_pending(pending());
  b->note_pending(pending());
  const auto t0 = Clock::now();
  deadlines.add(t0 + 200ms, b);
  deadlines.add(t0 + 100ms, a);

  deadlines.expire(t0 + 99ms);
  EXPECT_TRUE(early.answers.empty());
  deadlines.expire(t0 + 100ms);
  ASSERT_EQ(early.answers.size(), 1u);
  EXPECT_EQ(early.answers[0]->state, TxState::kPending);
  EXPECT_TRUE(late.answers.empty());
  deadlines.expire(t0 + 250ms);
  ASSERT_EQ(late.answers.size(), 1u);
  EXPECT_EQ(deadlines.size(), 0u);
}

TEST(SubmitDeadlines, ASubmissionNobodyAnswersIsToldTheNodeDidNotAnswer) {
  SubmitDeadlines deadlines(1s);
  Recorded r;
  auto reply = r.reply();
  const auto t0 = Clock::now();
  deadlines.add(t0, reply);
  deadlines.expire(t0);
  EXPECT_TRUE(r.answers.empty());  // nothing to say yet: no pending outcome was noted
  deadlines.expire(t0 + 999ms);
  EXPECT_TRUE(r.answers.empty());
  deadlines.expire(t0 + 1s);
  ASSERT_EQ(r.answers.size(), 1u);
  ASSERT_FALSE(r.answers[0].ok());
  EXPECT_EQ(r.answers[0].status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.answers[0].status().message().find("did not answer"), std::string::npos);
}

TEST(SubmitDeadlines, APendingOutcomeNotedAfterTheDeadlineIsAnsweredAtOnce) {
  SubmitDeadlines deadlines(30s);
  Recorded r;
  auto reply = r.reply();
  const auto t0 = Clock::now();
  deadlines.add(t0, reply);
  deadlines.expire(t0);
  reply->note_pending(pending());
  ASSERT_EQ(r.answers.size(), 1u);
  EXPECT_EQ(r.answers[0]->state, TxState::kPending);
}

TEST(SubmitDeadlines, CompactionDropsAnsweredAndDestroyedReplies) {
  SubmitDeadlines deadlines(30s);
  Recorded r;
  const auto t0 = Clock::now();
  auto waiting = r.reply();
  auto answered = r.reply();
  deadlines.add(t0 + 1s, waiting);
  deadlines.add(t0 + 2s, answered);
  {
    auto dropped = r.reply();
    deadlines.add(t0 + 3s, dropped);
    dropped->resolve(pending());
  }
  answered->resolve(pending());
  EXPECT_EQ(deadlines.size(), 3u);
  deadlines.compact();
  EXPECT_EQ(deadlines.size(), 1u);
  waiting->note_pending(pending());
  deadlines.expire(t0 + 1s);
  EXPECT_EQ(r.answers.size(), 3u);
}

}  // namespace
}  // namespace coopchain

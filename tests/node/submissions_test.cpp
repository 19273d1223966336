// The submission pipeline over a real replica and RocksDB store: admission on a leader,
// forwarding on a follower, waiters answered on commit or refusal, deadlines, the pending and
// rejected table readers see, and its sweep.
#include "coopchain/node/submissions.h"

#include <gtest/gtest.h>

#include <deque>

#include "chain_fixture.h"
#include "coopchain/node/replica_storage.h"
#include "coopchain/wire/event_codec.h"
#include "temp_dir.h"

namespace coopchain {
namespace {

using testing::fixture_genesis;
using testing::named_key;
using testing::signed_event;
using Clock = SubmissionPipeline::Clock;

constexpr TimeMs kNow = 1'790'000'000'000;

// Every answer a reply hands over. The answers outlive the test's own scope: a reply still held
// by the pipeline when the test ends answers as it is dropped.
struct Answers {
  std::shared_ptr<std::vector<Result<TxOutcome>>> store =
      std::make_shared<std::vector<Result<TxOutcome>>>();
  std::vector<Result<TxOutcome>>& seen = *store;
  std::shared_ptr<SubmitReply> reply() {
    return std::make_shared<SubmitReply>(
        [store = store](Result<TxOutcome> o) { store->push_back(std::move(o)); });
  }
  TxState last_state() const { return seen.back()->state; }
};

// A node's submission side with `validators` validators, this node being node-1: with one it
// leads at once; with three it follows whoever sends it an append.
class SubmissionsTest : public ::testing::Test {
 protected:
  void build(int validators, SubmissionPipeline::Options options = {}) {
    genesis_ = fixture_genesis("net");
    genesis_.genesis_time = kNow - 1000;
    genesis_.validators.resize(static_cast<size_t>(validators));
    store_ = std::move(BlockStore::open({dir_.sub("data")})).value();
    ASSERT_TRUE(store_->initialize(genesis_, "{}", genesis_state(genesis_)).ok());
    storage_ = std::make_unique<BlockStoreReplicaStorage>(*store_);
    replica_ = std::make_unique<consensus::Replica>(
        consensus::ReplicaOptions{"node-1"}, genesis_, named_key("node-1"), *storage_,
        [](const SignedTransaction& tx) { return wire::decode_verified_transaction(tx); }, kNow);
    pipeline_ = std::make_unique<SubmissionPipeline>(
        options, *replica_, storage_->committed_state(), *store_, statuses_, metrics_,
        [this](const std::string& leader, SignedTransaction tx,
               std::function<void(Result<TxOutcome>)> done) {
          forwarded_.push_back({leader, std::move(tx), std::move(done)});
        },
        [this](std::function<void()> work) { posted_.push_back(std::move(work)); });
    if (validators == 1) {
      replica_->tick(kNow + 10);  // elects itself
      ASSERT_EQ(replica_->role(), consensus::Role::kLeader);
    }
  }

  // Makes node-1 follow `leader` in `term`, from a heartbeat at `at`.
  void follow(const std::string& leader, uint64_t term, TimeMs at) {
    consensus::AppendRequest heartbeat;
    heartbeat.term = term;
    heartbeat.prev_height = 0;
    heartbeat.prev_hash = store_->head()->hash;
    replica_->receive({leader, "node-1", heartbeat}, at);
    ASSERT_EQ(replica_->leader(), leader);
  }
  void follow_node_2() { follow("node-2", 1, kNow + 10); }

  Transaction farm(const std::string& id, uint64_t nonce = 0) {
    const SignedTransaction signed_tx =
        signed_event("coop-1", "net",
                     R"({"registerFarm": {"farmId": ")" + id +
                         R"(", "plots": [{"plotId": "P-1", "areaM2": 1000, "crop": "COFFEE"}]}})",
                     nonce);
    return std::move(wire::decode_verified_transaction(signed_tx)).value();
  }

  // Proposes what is queued, commits it (a lone validator commits as it proposes) and settles.
  void commit_queue() {
    replica_->flush(kNow + 20);
    ASSERT_TRUE(storage_->sync().ok());
    for (const auto& o : replica_->take_outcomes()) pipeline_->settle(o);
  }

  // On a follower of node-2: a waiting submission of a new farm, passed on to the leader.
  Transaction submit_to_a_follower(Answers& answers) {
    build(3);
    follow_node_2();
    Transaction tx = farm("F-1");
    pipeline_->submit(tx, true, later_, answers.reply(), kNow + 15);
    return tx;
  }

  void run_posted() {
    while (!posted_.empty()) {
      auto work = std::move(posted_.front());
      posted_.pop_front();
      work();
    }
  }

  struct Forwarded {
    std::string leader;
    SignedTransaction tx;
    std::function<void(Result<TxOutcome>)> done;
  };

  testing::TempDir dir_;
  Genesis genesis_;
  std::unique_ptr<BlockStore> store_;
  std::unique_ptr<BlockStoreReplicaStorage> storage_;
  std::unique_ptr<consensus::Replica> replica_;
  TxStatusTable statuses_{100};
  NodeMetrics metrics_;
  std::unique_ptr<SubmissionPipeline> pipeline_;
  std::vector<Forwarded> forwarded_;
  std::deque<std::function<void()>> posted_;
  Clock::time_point later_ = Clock::now() + std::chrono::hours(1);
};

TEST_F(SubmissionsTest, ALeaderQueuesASubmissionAndAnswersPendingWithoutWaiting) {
  build(1);
  Answers answers;
  const Transaction tx = farm("F-1");
  pipeline_->submit(tx, /*wait=*/false, later_, answers.reply(), kNow + 15);
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kPending);
  EXPECT_EQ(replica_->queued(), 1u);
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kPending);
}

TEST_F(SubmissionsTest, AWaitingSubmitterIsAnsweredWhenItsTransactionCommits) {
  build(1);
  Answers answers;
  const Transaction tx = farm("F-1");
  pipeline_->submit(tx, /*wait=*/true, later_, answers.reply(), kNow + 15);
  EXPECT_TRUE(answers.seen.empty());
  EXPECT_EQ(pipeline_->waiting(), 1u);
  commit_queue();
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kCommitted);
  EXPECT_EQ(answers.seen.back()->height, 1u);
  EXPECT_EQ(pipeline_->waiting(), 0u);
  // Committed: readers find it in the chain, so the table holds nothing for it.
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kUnknown);
  EXPECT_EQ(metrics_.snapshot().txs_committed, 1u);

  Answers again;
  pipeline_->submit(tx, /*wait=*/true, later_, again.reply(), kNow + 30);
  ASSERT_EQ(again.seen.size(), 1u);
  EXPECT_EQ(again.last_state(), TxState::kCommitted) << "a resubmission is idempotent";
}

TEST_F(SubmissionsTest, ARefusalIsAnsweredWithItsRuleCodeAndRemembered) {
  build(1);
  Answers first, second;
  pipeline_->submit(farm("F-1", 1), true, later_, first.reply(), kNow + 15);
  const Transaction same_farm = farm("F-1", 2);
  pipeline_->submit(same_farm, true, later_, second.reply(), kNow + 15);
  ASSERT_EQ(second.seen.size(), 1u);
  EXPECT_EQ(second.last_state(), TxState::kRejected);
  EXPECT_EQ(second.seen.back()->verdict.code, RuleCode::kFarmExists);
  const TxOutcome noted = statuses_.lookup(same_farm.id);
  EXPECT_EQ(noted.state, TxState::kRejected);
  EXPECT_EQ(noted.verdict.code, RuleCode::kFarmExists);
  EXPECT_EQ(metrics_.snapshot().txs_rejected, 1u);
}

TEST_F(SubmissionsTest, AFullMempoolAnswersUnavailable) {
  SubmissionPipeline::Options options;
  options.mempool_max_txs = 1;
  build(1, options);
  Answers first, second;
  pipeline_->submit(farm("F-1"), false, later_, first.reply(), kNow + 15);
  pipeline_->submit(farm("F-2"), false, later_, second.reply(), kNow + 15);
  ASSERT_EQ(second.seen.size(), 1u);
  ASSERT_FALSE(second.seen.back().ok());
  EXPECT_EQ(second.seen.back().status().code(), StatusCode::kUnavailable);
}

TEST_F(SubmissionsTest, AFollowerWithoutALeaderAnswersUnavailableToASubmitterWhoDoesNotWait) {
  build(3);
  Answers answers;
  pipeline_->submit(farm("F-1"), false, later_, answers.reply(), kNow + 15);
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen.back().status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(forwarded_.empty());
}

// Elections once failed the submissions that arrived during them. A waiting one is now held
// until a leader is known, then forwarded.
TEST_F(SubmissionsTest, AWaitingSubmissionArrivingWithoutALeaderIsHeldAndForwardedOnceOneIsKnown) {
  build(3);
  Answers answers;
  const Transaction tx = farm("F-1");
  pipeline_->submit(tx, true, later_, answers.reply(), kNow + 15);
  EXPECT_TRUE(answers.seen.empty());
  EXPECT_EQ(pipeline_->held(), 1u);
  EXPECT_TRUE(forwarded_.empty());
  follow_node_2();
  pipeline_->leader_changed(kNow + 20);
  EXPECT_EQ(pipeline_->held(), 0u);
  ASSERT_EQ(forwarded_.size(), 1u);
  EXPECT_EQ(forwarded_[0].leader, "node-2");
  forwarded_[0].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  pipeline_->settle({tx.id, consensus::TxOutcomeEvent::Kind::kCommitted, 4, 0, {}});
  ASSERT_EQ(answers.seen.size(), 1u) << "answered more than once";
  EXPECT_EQ(answers.last_state(), TxState::kCommitted);
}

TEST_F(SubmissionsTest, AHeldSubmissionWhoseWaitEndsIsToldItIsOnNoNode) {
  build(3);
  Answers answers;
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  pipeline_->submit(farm("F-1"), true, deadline, answers.reply(), kNow + 15);
  pipeline_->tick(deadline - std::chrono::milliseconds(1), kNow + 16);
  EXPECT_TRUE(answers.seen.empty());
  pipeline_->tick(deadline, kNow + 1015);
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen.back().status().code(), StatusCode::kUnavailable);
  EXPECT_NE(answers.seen.back().status().message().find("resubmit"), std::string::npos);
  EXPECT_EQ(pipeline_->held(), 0u);
}

TEST_F(SubmissionsTest, AFollowerForwardsToTheLeaderAndAnswersOnceItCommitsItself) {
  Answers answers;
  const Transaction tx = submit_to_a_follower(answers);
  ASSERT_EQ(forwarded_.size(), 1u);
  EXPECT_EQ(forwarded_[0].leader, "node-2");
  EXPECT_EQ(forwarded_[0].tx.id(), tx.id);
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kPending);
  // The leader queued it: the submitter goes on waiting for this node's commit.
  forwarded_[0].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  EXPECT_TRUE(answers.seen.empty());
  pipeline_->settle({tx.id, consensus::TxOutcomeEvent::Kind::kCommitted, 4, 0, {}});
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kCommitted);
  EXPECT_EQ(answers.seen.back()->height, 4u);
  EXPECT_EQ(metrics_.snapshot().forwarded, 1u);
}

TEST_F(SubmissionsTest, ALeadersRefusalOfAForwardedSubmissionReachesTheSubmitter) {
  Answers answers;
  const Transaction tx = submit_to_a_follower(answers);
  ASSERT_EQ(forwarded_.size(), 1u);
  forwarded_[0].done(
      TxOutcome{tx.id, TxState::kRejected, 0, 0, Verdict::reject(RuleCode::kFarmExists, "x")});
  run_posted();  // the strand notes the refusal
  ASSERT_FALSE(answers.seen.empty());
  EXPECT_EQ(answers.last_state(), TxState::kRejected);
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kRejected);
}

// The leader took it, then stopped leading before this node saw it in a block (it was cut off,
// and dropped its queue): a submitter still waiting here gets it to the next leader.
TEST_F(SubmissionsTest, AWaitingSubmissionTheOldLeaderTookGoesToTheNextLeader) {
  Answers answers;
  const Transaction tx = submit_to_a_follower(answers);
  forwarded_[0].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  run_posted();
  follow("node-3", 2, kNow + 3000);
  ASSERT_FALSE(HasFatalFailure());
  pipeline_->leader_changed(kNow + 3000);
  ASSERT_EQ(forwarded_.size(), 2u);
  EXPECT_EQ(forwarded_[1].leader, "node-3");
  EXPECT_EQ(forwarded_[1].tx.id(), tx.id);
  EXPECT_TRUE(answers.seen.empty()) << "still waiting";
  forwarded_[1].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  pipeline_->settle({tx.id, consensus::TxOutcomeEvent::Kind::kCommitted, 4, 0, {}});
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kCommitted);
}

// A transaction this node let go of is answered DROPPED, with why, to whoever waits for it, and
// tx status says so: never PENDING for what the node no longer holds.
TEST_F(SubmissionsTest, ADroppedTransactionIsAnsweredDroppedWithTheReason) {
  Answers answers;
  const Transaction tx = submit_to_a_follower(answers);
  forwarded_[0].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  run_posted();
  pipeline_->settle({tx.id,
                     consensus::TxOutcomeEvent::Kind::kDropped,
                     0,
                     0,
                     {},
                     "its block at height 3 was replaced"});
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kDropped);
  EXPECT_EQ(answers.seen.back()->reason, "its block at height 3 was replaced");
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kDropped);
  EXPECT_EQ(metrics_.snapshot().txs_dropped, 1u);
}

// A forward to a leader that died is held, not failed: the next leader gets it.
TEST_F(SubmissionsTest, AForwardToAnUnreachableLeaderIsHeldForTheNextLeader) {
  Answers answers;
  const Transaction tx = submit_to_a_follower(answers);
  forwarded_[0].done(Status::Unavailable("failed to connect to all addresses"));
  run_posted();
  EXPECT_TRUE(answers.seen.empty());
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kUnknown) << "pending nowhere meanwhile";
  EXPECT_EQ(pipeline_->held(), 1u);
  // Tried again every half second while node-2 is still named leader, then with the next one.
  pipeline_->tick(Clock::now() + std::chrono::seconds(1), kNow + 1000);
  ASSERT_EQ(forwarded_.size(), 2u);
  forwarded_[1].done(TxOutcome{tx.id, TxState::kPending, 0, 0, {}});
  pipeline_->settle({tx.id, consensus::TxOutcomeEvent::Kind::kCommitted, 4, 0, {}});
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kCommitted);
}

TEST_F(SubmissionsTest, AnUnreachableLeaderAnswersASubmitterWhoDoesNotWaitAtOnce) {
  build(3);
  follow_node_2();
  Answers answers;
  const Transaction tx = farm("F-1");
  pipeline_->submit(tx, false, later_, answers.reply(), kNow + 15);
  forwarded_[0].done(Status::Unavailable("the leader is unreachable"));
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen.back().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(statuses_.lookup(tx.id).state, TxState::kUnknown);
}

TEST_F(SubmissionsTest, ASubmitterWhoseWaitIsOverIsAnsweredPending) {
  build(1);
  Answers answers;
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  pipeline_->submit(farm("F-1"), true, deadline, answers.reply(), kNow + 15);
  pipeline_->tick(deadline - std::chrono::milliseconds(1), kNow + 16);
  EXPECT_TRUE(answers.seen.empty());
  pipeline_->tick(deadline, kNow + 1015);
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.last_state(), TxState::kPending);
}

TEST_F(SubmissionsTest, StoppingAnswersAHeldSubmissionUnavailable) {
  build(3);
  Answers answers;
  pipeline_->submit(farm("F-1"), true, later_, answers.reply(), kNow + 15);
  pipeline_->stop();
  ASSERT_EQ(answers.seen.size(), 1u);
  EXPECT_EQ(answers.seen.back().status().code(), StatusCode::kUnavailable);
}

TEST_F(SubmissionsTest, StoppingAnswersEveryWaiterPending) {
  build(1);
  Answers a, b;
  pipeline_->submit(farm("F-1"), true, later_, a.reply(), kNow + 15);
  pipeline_->submit(farm("F-2"), true, later_, b.reply(), kNow + 15);
  pipeline_->stop();
  ASSERT_EQ(a.seen.size(), 1u);
  ASSERT_EQ(b.seen.size(), 1u);
  EXPECT_EQ(a.last_state(), TxState::kPending);
  EXPECT_EQ(b.last_state(), TxState::kPending);
}

// A leader that loses its term drops its queue without a word: the transactions it had queued
// stop being reported pending once they are old enough and no longer in flight.
TEST_F(SubmissionsTest, PendingEntriesNoLongerInFlightBecomeDropped) {
  SubmissionPipeline::Options options;
  options.pending_memory = std::chrono::seconds(60);
  build(1, options);
  Answers answers;
  const Transaction queued = farm("F-1");
  pipeline_->submit(queued, false, later_, answers.reply(), kNow + 15);
  statuses_.mark_pending(farm("F-GONE").id, Clock::now() - std::chrono::minutes(2));
  pipeline_->tick(Clock::now() + std::chrono::minutes(2), kNow + 120'000);
  EXPECT_EQ(statuses_.lookup(queued.id).state, TxState::kPending) << "still queued";
  const TxOutcome gone = statuses_.lookup(farm("F-GONE").id);
  EXPECT_EQ(gone.state, TxState::kDropped);
  EXPECT_NE(gone.reason.find("in no block this node holds 60 s after"), std::string::npos)
      << gone.reason;
}

}  // namespace
}  // namespace coopchain

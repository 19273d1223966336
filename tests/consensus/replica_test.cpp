// The replica driven message by message (the simulator covers faults; these pin down what a
// fault-free round sends, since every message costs a peer a step, an fsync and an answer).
#include "coopchain/consensus/replica.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "coopchain/core/quorum.h"
#include "coopchain/wire/event_codec.h"
#include "sim_chain.h"

namespace coopchain::sim {
namespace {

using consensus::AppendRequest;
using consensus::AppendResponse;
using consensus::Message;
using consensus::Replica;

constexpr TimeMs kStart = 1'790'000'000'000;
constexpr size_t kMaxBlockTxs = 16;

class Replicas : public ::testing::Test {
 protected:
  explicit Replicas(int count) : chain_(make_sim_chain(7, count, kStart - 1000)) {
    for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
      disks_.push_back(std::make_unique<MemoryDisk>(chain_.block0));
      disks_.back()->apply_genesis(chain_.genesis_changes);
      consensus::ReplicaOptions options;
      options.id = chain_.validator_ids[i];
      options.election_timeout_min_ms = 150;
      options.election_timeout_max_ms = 300;
      options.heartbeat_ms = 40;
      options.max_block_txs = kMaxBlockTxs;
      options.seed = i + 1;
      replicas_.push_back(std::make_unique<Replica>(options, chain_.genesis,
                                                    *chain_.validator_keys[i], *disks_.back(),
                                                    wire::decode_verified_transaction, now_));
    }
    // Only the first replica's clock runs out: it is elected, and its first (empty) block
    // commits everywhere.
    now_ += 1000;
    leader().tick(now_);
    deliver_until_quiet();
  }

  Replica& leader() { return *replicas_[0]; }

  Replica& replica(const std::string& id) {
    for (auto& r : replicas_) {
      if (r->id() == id) return *r;
    }
    throw std::runtime_error("no replica " + id);
  }

  void deliver(const Message& m) { replica(m.to).receive(m, now_); }

  void deliver_until_quiet() {
    for (bool any = true; any;) {
      any = false;
      for (auto& r : replicas_) {
        for (const Message& m : r->take_messages()) {
          deliver(m);
          any = true;
        }
      }
    }
  }

  // The followers' answers to what the leader sent them, not yet delivered.
  std::vector<Message> answers_to(const std::vector<Message>& from_leader) {
    std::vector<Message> answers;
    for (const Message& m : from_leader) {
      deliver(m);
      for (Message& a : replica(m.to).take_messages()) answers.push_back(std::move(a));
    }
    return answers;
  }

  void propose_farms(int count) {
    for (int i = 0; i < count; ++i) {
      auto tx = wire::decode_transaction(register_farm(
          chain_.genesis, *chain_.client, "F-" + std::to_string(next_farm_), next_farm_));
      ++next_farm_;
      ASSERT_TRUE(tx.ok()) << tx.status().to_string();
      ASSERT_EQ(leader().propose(std::move(tx).value(), now_).state,
                consensus::Admission::State::kQueued);
    }
  }

  SimChain chain_;
  TimeMs now_ = kStart;
  uint64_t next_farm_ = 0;
  std::vector<std::unique_ptr<MemoryDisk>> disks_;
  std::vector<std::unique_ptr<Replica>> replicas_;
};

class ThreeReplicas : public Replicas {
 protected:
  ThreeReplicas() : Replicas(3) {}
};

// With five validators the leader's vote and a follower's are two of five: followers commit on
// the leader's certificates.
class FiveReplicas : public Replicas {
 protected:
  FiveReplicas() : Replicas(5) {}
};

TEST_F(FiveReplicas, TheNextBlockCarriesTheCertificateOfTheOneJustCommitted) {
  ASSERT_EQ(leader().role(), consensus::Role::kLeader);
  const uint64_t committed = leader().committed_height();
  ASSERT_EQ(committed, 1u);  // the new leader's empty block

  propose_farms(kMaxBlockTxs);
  leader().flush(now_);
  // Arriving while that block is in flight, these wait for it to commit (they fill no block).
  propose_farms(5);
  leader().flush(now_);
  ASSERT_EQ(leader().last_height(), committed + 1);
  std::vector<Message> answers = answers_to(leader().take_messages());
  ASSERT_EQ(answers.size(), 4u);

  deliver(answers[0]);
  deliver(answers[1]);  // two followers' votes make a majority with the leader's
  ASSERT_EQ(leader().committed_height(), committed + 1);
  ASSERT_EQ(leader().last_height(), committed + 2);
  std::vector<Message> sent = leader().take_messages();
  ASSERT_EQ(sent.size(), 4u) << "one append per follower";
  for (const Message& m : sent) {
    const auto* append = std::get_if<AppendRequest>(&m.payload);
    ASSERT_NE(append, nullptr);
    ASSERT_EQ(append->blocks.size(), 1u);
    EXPECT_EQ(append->blocks[0].header.height, committed + 2);
    EXPECT_EQ(append->blocks[0].txs.size(), 5u);
    ASSERT_EQ(append->certificates.size(), 1u);
    EXPECT_EQ(append->certificates[0].height, committed + 1);
  }

  // Each follower commits the first block and votes for the second in one step.
  answers = answers_to(sent);
  ASSERT_EQ(answers.size(), 4u);
  for (const Message& m : answers) {
    const auto* answer = std::get_if<AppendResponse>(&m.payload);
    ASSERT_NE(answer, nullptr);
    EXPECT_EQ(answer->commit_height, committed + 1);
    ASSERT_EQ(answer->votes.size(), 1u);
    EXPECT_EQ(answer->votes[0].height, committed + 2);
    EXPECT_EQ(replica(m.from).committed_height(), committed + 1);
  }
}

// On a long link a transaction that arrived while a block was in flight waited for that block's
// round trip and then its own: five writers at 0.8 s confirmed in 1.6 s. Now it waits at most
// partial_block_after_ms before its own block follows the first into the pipeline.
TEST_F(ThreeReplicas, WhatArrivesWhileABlockIsInFlightFollowsItAfterTheInterval) {
  const uint64_t committed = leader().committed_height();
  propose_farms(1);
  leader().flush(now_);
  ASSERT_EQ(leader().last_height(), committed + 1);
  std::vector<Message> first = leader().take_messages();  // in flight: not delivered yet

  now_ += 50;
  propose_farms(1);
  leader().flush(now_);
  EXPECT_EQ(leader().last_height(), committed + 1) << "joins the next block, for now";
  now_ += 60;  // 110 ms after the first proposal
  leader().tick(now_);
  EXPECT_EQ(leader().last_height(), committed + 2) << "proposed while the first is in flight";
  EXPECT_EQ(leader().committed_height(), committed);

  for (const Message& m : first) deliver(m);
  deliver_until_quiet();
  EXPECT_EQ(leader().committed_height(), committed + 2);
  for (const auto& r : replicas_) EXPECT_EQ(r->last_height(), committed + 2) << r->id();
}

// Over a slow link (a follower catching up at 1 Mbit/s) a window of blocks takes longer to be
// answered than an election timeout. The leader sent the window again on every heartbeat from
// then on, flooding the link with copies until the follower stalled; now it sends one copy and
// waits twice as long before another.
TEST_F(ThreeReplicas, AWindowSlowerThanAnElectionTimeoutIsNotSentAgainOnEveryHeartbeat) {
  const std::string slow = replicas_[1]->id();
  std::vector<Message> held;  // on the slow link, in order
  size_t blocks_to_slow = 0;
  auto step = [&] {
    for (bool any = true; any;) {
      any = false;
      for (Message& m : leader().take_messages()) {
        if (m.to == slow) {
          if (const auto* a = std::get_if<AppendRequest>(&m.payload)) {
            blocks_to_slow += a->blocks.size();
          }
          held.push_back(std::move(m));
          continue;
        }
        deliver(m);
        any = true;
      }
      for (Message& m : replicas_[2]->take_messages()) {
        deliver(m);
        any = true;
      }
    }
  };
  const uint64_t committed = leader().committed_height();
  propose_farms(3 * kMaxBlockTxs);
  leader().flush(now_);
  step();
  ASSERT_EQ(leader().last_height(), committed + 3);
  ASSERT_EQ(blocks_to_slow, 3u);

  // Six election timeouts (150 ms) pass before the slow link delivers anything.
  for (int i = 0; i < 900 / 20; ++i) {
    now_ += 20;
    leader().tick(now_);
    step();
  }
  ASSERT_EQ(leader().role(), consensus::Role::kLeader);
  EXPECT_LE(blocks_to_slow, 2 * 3u) << "the window and at most one copy of it";

  for (const Message& m : held) deliver(m);
  held.clear();
  for (Message& m : replicas_[1]->take_messages()) deliver(m);
  step();
  for (const Message& m : held) deliver(m);
  held.clear();
  deliver_until_quiet();
  EXPECT_EQ(replicas_[1]->committed_height(), committed + 3);
  EXPECT_EQ(leader().match_height(slow), committed + 3);
}

TEST_F(FiveReplicas, WithNothingQueuedEachFollowerLearnsOfTheCommitWithoutWaitingForATick) {
  const uint64_t committed = leader().committed_height();
  propose_farms(3);
  leader().flush(now_);
  std::vector<Message> answers = answers_to(leader().take_messages());
  ASSERT_EQ(answers.size(), 4u);
  const std::set<std::string> voted = {answers[0].from, answers[1].from};
  const std::string third = answers[2].from;

  deliver(answers[0]);
  deliver(answers[1]);
  ASSERT_EQ(leader().committed_height(), committed + 1);
  const std::vector<Message> after_commit = leader().take_messages();
  ASSERT_EQ(after_commit.size(), 4u) << "one append per follower";
  for (const Message& m : after_commit) {
    const auto* append = std::get_if<AppendRequest>(&m.payload);
    ASSERT_NE(append, nullptr);
    EXPECT_TRUE(append->blocks.empty());
    // Only the followers whose votes arrived are known to hold the block.
    ASSERT_EQ(append->certificates.size(), voted.count(m.to)) << m.to;
    if (voted.count(m.to) != 0) {
      EXPECT_EQ(append->certificates[0].height, committed + 1);
    }
  }

  // A third follower's vote comes in after the commit: it is sent the certificate at once.
  deliver(answers[2]);
  std::vector<Message> sent = leader().take_messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, third);
  const auto* append = std::get_if<AppendRequest>(&sent[0].payload);
  ASSERT_NE(append, nullptr);
  ASSERT_EQ(append->certificates.size(), 1u);
  EXPECT_EQ(append->certificates[0].height, committed + 1);

  for (const Message& m : after_commit) deliver(m);
  deliver(sent[0]);
  deliver(answers[3]);
  deliver_until_quiet();
  for (const auto& r : replicas_) EXPECT_EQ(r->committed_height(), committed + 1) << r->id();
}

// Blocks sent while a link was down are lost with it. When the transport says the link is up
// again the leader sends them at once, not after the answer timeout.
TEST_F(ThreeReplicas, ALinkThatComesBackIsSentTheLostBlocksAtOnce) {
  const std::string cut = replicas_[1]->id();
  const uint64_t committed = leader().committed_height();
  propose_farms(2);
  leader().flush(now_);
  for (const Message& m : leader().take_messages()) {
    if (m.to != cut) deliver(m);  // the other is lost
  }
  deliver_until_quiet();
  ASSERT_EQ(leader().committed_height(), committed + 1);
  ASSERT_EQ(replicas_[1]->last_height(), committed);

  now_ += 10;
  leader().link_up(cut, now_);
  const std::vector<Message> sent = leader().take_messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, cut);
  const auto* append = std::get_if<AppendRequest>(&sent[0].payload);
  ASSERT_NE(append, nullptr);
  ASSERT_EQ(append->blocks.size(), 1u);
  EXPECT_EQ(append->blocks[0].header.height, committed + 1);
  deliver(sent[0]);
  EXPECT_EQ(replicas_[1]->committed_height(), committed + 1);
}

// A client of a follower waited for the block's round trip to the leader and then for the
// certificate: two round trips. With three validators the leader's vote travels with its block,
// and the follower commits on it and its own, before the leader has heard from anyone.
TEST_F(ThreeReplicas, AFollowerCommitsABlockOnArrivalWithTheLeadersVote) {
  const uint64_t committed = leader().committed_height();
  propose_farms(3);
  leader().flush(now_);
  const std::vector<Message> sent = leader().take_messages();
  ASSERT_EQ(sent.size(), 2u);
  for (const Message& m : sent) {
    const auto* append = std::get_if<AppendRequest>(&m.payload);
    ASSERT_NE(append, nullptr);
    ASSERT_EQ(append->leader_votes.size(), 1u);
    EXPECT_EQ(append->leader_votes[0].height, committed + 1);
    EXPECT_EQ(append->leader_votes[0].validator_id, leader().id());
  }
  const std::vector<Message> answers = answers_to(sent);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(leader().committed_height(), committed);
  for (const Message& m : answers) {
    EXPECT_EQ(replica(m.from).committed_height(), committed + 1) << m.from;
    EXPECT_EQ(replica(m.from).take_outcomes().size(), 3u) << m.from;
    EXPECT_EQ(std::get<AppendResponse>(m.payload).commit_height, committed + 1);
  }
  deliver(answers[0]);
  EXPECT_EQ(leader().committed_height(), committed + 1);
  deliver(answers[1]);
  EXPECT_TRUE(leader().take_messages().empty()) << "no append only to announce the commit";
}

// A vote the leader did not sign, or two votes of five, commit nothing.
TEST_F(FiveReplicas, AFollowerCommitsOnlyOnAMajorityOfValidVotes) {
  const uint64_t committed = leader().committed_height();
  propose_farms(1);
  leader().flush(now_);
  const std::vector<Message> sent = leader().take_messages();
  ASSERT_EQ(sent.size(), 4u);
  AppendRequest append = std::get<AppendRequest>(sent[0].payload);
  EXPECT_TRUE(append.leader_votes.empty()) << "of no use with five validators";
  append.leader_votes.push_back(sign_vote(*chain_.validator_keys[0], leader().id(),
                                          chain_.genesis.chain_id, leader().term(), committed + 1,
                                          append.blocks[0].hash()));
  deliver({sent[0].from, sent[0].to, append});
  EXPECT_EQ(replica(sent[0].to).committed_height(), committed) << "two votes of five";
}

TEST_F(ThreeReplicas, AFollowerIgnoresALeaderVoteWithABadSignature) {
  const uint64_t committed = leader().committed_height();
  propose_farms(1);
  leader().flush(now_);
  const std::vector<Message> sent = leader().take_messages();
  AppendRequest append = std::get<AppendRequest>(sent[0].payload);
  ASSERT_EQ(append.leader_votes.size(), 1u);
  append.leader_votes[0].signature[0] ^= 1;
  deliver({sent[0].from, sent[0].to, append});
  EXPECT_EQ(replica(sent[0].to).committed_height(), committed);
}

// ---- terms from a faulty validator ------------------------------------------------------------

bool has_incident(Replica& r, consensus::Incident::Kind kind) {
  for (const auto& i : r.take_incidents()) {
    if (i.kind == kind) return true;
  }
  return false;
}

// A single VoteRequest of term 2^64-1 once put every node at that term for good (term + 1
// wrapped to 0, and the term was persisted). Now it is refused, with the sender named.
TEST_F(ThreeReplicas, AnAbsurdTermIsRefusedAndNamed) {
  const std::string faulty = chain_.validator_ids[2];
  const uint64_t before = leader().term();
  for (uint64_t absurd : {~uint64_t{0}, uint64_t{1} << 63, before + 1'000'000}) {
    for (size_t i = 0; i < 2; ++i) {
      // As a vote request, a refused pre-vote and an append: whatever carries the term.
      replicas_[i]->receive(
          {faulty, chain_.validator_ids[i], consensus::VoteRequest{absurd, 99, 99}}, now_);
      replicas_[i]->receive(
          {faulty, chain_.validator_ids[i], consensus::AppendResponse{absurd, false, 0, 0, {}}},
          now_);
      EXPECT_EQ(replicas_[i]->term(), before) << absurd;
      std::vector<consensus::Incident> incidents = replicas_[i]->take_incidents();
      ASSERT_FALSE(incidents.empty());
      EXPECT_EQ(incidents.front().kind, consensus::Incident::Kind::kTermOutOfBounds);
      EXPECT_EQ(incidents.front().peer, faulty);
    }
  }
  EXPECT_EQ(leader().role(), consensus::Role::kLeader);
}

// Repeating VoteRequest(term + 1) kept the network leaderless for as long as it ran. Under the
// leader lease it is refused; a peer that keeps trying ever higher terms is quarantined.
TEST_F(ThreeReplicas, VoteRequestsWhileTheLeaderIsAliveAreRefusedThenTheSenderIsIgnored) {
  const std::string faulty = chain_.validator_ids[2];
  Replica& follower = *replicas_[1];
  const uint64_t term = follower.term();
  bool quarantined = false;
  for (int k = 0; k < 200 && !quarantined; ++k) {
    now_ += 20;
    leader().tick(now_);
    deliver_until_quiet();  // heartbeats keep the leader alive for the follower
    const uint64_t next = term + 1 + static_cast<uint64_t>(k % 50);
    follower.receive({faulty, follower.id(), consensus::VoteRequest{next, 99, 99}}, now_);
    leader().receive({faulty, leader().id(), consensus::VoteRequest{next, 99, 99}}, now_);
    quarantined = has_incident(follower, consensus::Incident::Kind::kPeerQuarantined);
    (void)follower.take_messages();
    (void)leader().take_messages();
  }
  EXPECT_TRUE(quarantined);
  EXPECT_EQ(follower.term(), term);
  EXPECT_EQ(leader().role(), consensus::Role::kLeader);
  EXPECT_EQ(follower.quarantined().count(faulty), 1u);
}

std::vector<consensus::TxOutcomeEvent> dropped(std::vector<consensus::TxOutcomeEvent> outcomes) {
  std::erase_if(outcomes,
                [](const auto& o) { return o.kind != consensus::TxOutcomeEvent::Kind::kDropped; });
  return outcomes;
}

// Check-quorum. A leader cut off from the others once kept answering PENDING to transactions it
// could never commit, and dropped them silently when it learned of the next leader. Now it
// steps down after an election timeout without a majority, says which transactions it dropped
// and why, and takes no more; and a block of it that another leader's chain replaces reports its
// transactions dropped too.
TEST_F(ThreeReplicas, ALeaderCutOffFromAMajorityStepsDownAndReportsWhatItDropped) {
  const uint64_t term = leader().term();
  propose_farms(kMaxBlockTxs);  // a full block, sent out, then lost with the links
  leader().flush(now_);
  propose_farms(3);  // queued behind it
  leader().flush(now_);
  ASSERT_EQ(leader().queued(), 3u);
  (void)leader().take_messages();
  (void)leader().take_outcomes();

  // Nothing comes back. The next tick is past the longest election timeout (300 ms) since the
  // followers were last heard, and before the queued three go out as a block of their own.
  now_ += 350;
  leader().tick(now_);
  EXPECT_EQ(leader().role(), consensus::Role::kFollower);
  EXPECT_TRUE(leader().lost_quorum());
  EXPECT_EQ(leader().term(), term) << "stepping down starts no election";
  auto gone = dropped(leader().take_outcomes());
  ASSERT_EQ(gone.size(), 3u) << "the queued transactions";
  EXPECT_NE(gone[0].reason.find("heard from no majority of the validators within 300 ms"),
            std::string::npos)
      << gone[0].reason;
  auto tx = wire::decode_transaction(register_farm(chain_.genesis, *chain_.client, "F-late", 1000));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(leader().propose(std::move(tx).value(), now_).state,
            consensus::Admission::State::kNotLeader);

  // The other two elect one of them; the new leader's chain replaces the old leader's block.
  Replica& next = *replicas_[1];
  now_ += 1000;
  next.tick(now_);
  const std::string cut_off = leader().id();
  for (bool any = true; any;) {
    any = false;
    for (size_t i = 1; i < 3; ++i) {
      for (const Message& m : replicas_[i]->take_messages()) {
        if (m.to == cut_off) continue;
        deliver(m);
        any = true;
      }
    }
  }
  ASSERT_EQ(next.role(), consensus::Role::kLeader);
  now_ += 50;
  next.tick(now_);
  deliver_until_quiet();  // the links are back
  EXPECT_EQ(leader().leader(), next.id());
  EXPECT_FALSE(leader().lost_quorum());
  gone = dropped(leader().take_outcomes());
  ASSERT_EQ(gone.size(), kMaxBlockTxs) << "the replaced block's transactions";
  EXPECT_NE(gone[0].reason.find("was replaced by leader " + next.id()), std::string::npos)
      << gone[0].reason;
}

// A node that persisted an absurd term before this version starts again from one above every
// term that can have been used, and says so.
TEST(ReplicaTerms, APersistedAbsurdTermIsRecoveredAtStart) {
  SimChain chain = make_sim_chain(3, 3, kStart - 1000);
  MemoryDisk disk(chain.block0);
  disk.apply_genesis(chain.genesis_changes);
  ASSERT_TRUE(disk.save_hard_state({~uint64_t{0}, chain.validator_ids[1], 0}).ok());
  consensus::ReplicaOptions options;
  options.id = chain.validator_ids[0];
  Replica replica(options, chain.genesis, *chain.validator_keys[0], disk,
                  wire::decode_verified_transaction, kStart);
  EXPECT_EQ(replica.term(), (uint64_t{1} << 20));
  EXPECT_EQ(disk.hard_state().term, replica.term());
  EXPECT_EQ(disk.hard_state().voted_for, "");
  EXPECT_EQ(disk.hard_state().term_entered_at, kStart);
  EXPECT_TRUE(has_incident(replica, consensus::Incident::Kind::kTermRecovered));
}

}  // namespace
}  // namespace coopchain::sim

// The node's read side: what readers on gRPC threads see of transactions and the chain, from
// the views and tables the strand publishes, without the strand.
#include "read_side.h"

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "coopchain/core/quorum.h"
#include "coopchain/rules/rules.h"
#include "temp_dir.h"

namespace coopchain {
namespace {

using testing::fixture_genesis;
using testing::named_key;
using testing::signed_event;

class ReadSideTest : public ::testing::Test {
 protected:
  ReadSideTest() {
    genesis_ = fixture_genesis("net");
    genesis_.validators.resize(1);
    store_ = std::move(BlockStore::open({dir_.sub("data")})).value();
    EXPECT_TRUE(store_->initialize(genesis_, "{}", genesis_state(genesis_)).ok());
  }

  // Commits a block holding `tx` (the state is not the point here).
  void commit(const SignedTransaction& tx) {
    Block b;
    b.header.height = store_->head()->height + 1;
    b.header.prev_hash = store_->head()->hash;
    b.txs = {tx};
    b.header.tx_root = compute_tx_root(b.txs);
    b.header.time_ms = store_->head()->time_ms + 1;
    b.header.proposer = "node-1";
    QuorumCertificate qc{
        b.header.height,
        b.hash(),
        {sign_vote(named_key("node-1"), "node-1", "net", 1, b.header.height, b.hash())}};
    ASSERT_TRUE(store_->commit_block(b, qc, {}).ok());
  }

  testing::TempDir dir_;
  Genesis genesis_;
  std::unique_ptr<BlockStore> store_;
  TxStatusTable statuses_{10};
};

TEST_F(ReadSideTest, ATransactionIsPendingUntilTheViewWithItsBlockIsPublished) {
  ReadSide reads(genesis_, "node-1", statuses_, store_->view());
  const SignedTransaction tx =
      signed_event("coop-1", "net", R"({"registerFarm": {"farmId": "F"}})");
  EXPECT_EQ(reads.transaction_outcome(tx.id()).state, TxState::kUnknown);
  statuses_.mark_pending(tx.id(), TxStatusTable::Clock::now());
  commit(tx);
  // Committed in the store, but readers still hold the view before it: pending.
  EXPECT_EQ(reads.transaction_outcome(tx.id()).state, TxState::kPending);
  EXPECT_EQ(reads.committed()->head().height, 0u);
  reads.publish(store_->view());
  statuses_.forget_pending(tx.id());
  const TxOutcome outcome = reads.transaction_outcome(tx.id());
  EXPECT_EQ(outcome.state, TxState::kCommitted);
  EXPECT_EQ(outcome.height, 1u);
  EXPECT_EQ(reads.committed()->head().height, 1u);
}

TEST_F(ReadSideTest, StatusIsWhatTheStrandLastPublished) {
  ReadSide reads(genesis_, "node-1", statuses_, store_->view());
  EXPECT_EQ(reads.status().role, "STARTING");
  NodeStatusView status;
  status.role = "LEADER";
  status.term = 3;
  status.leader = "node-1";
  reads.publish(status);
  EXPECT_EQ(reads.status().role, "LEADER");
  EXPECT_EQ(reads.status().term, 3u);
  EXPECT_FALSE(reads.stopping());
  reads.set_stopping();
  EXPECT_TRUE(reads.stopping());
  EXPECT_EQ(reads.node_id(), "node-1");
  EXPECT_EQ(reads.genesis_hash(), genesis_hash(genesis_));
}

}  // namespace
}  // namespace coopchain

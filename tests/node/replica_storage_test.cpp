#include "coopchain/node/replica_storage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "coopchain/consensus/replica.h"
#include "coopchain/core/quorum.h"
#include "coopchain/rules/rules.h"
#include "coopchain/wire/event_codec.h"
#include "temp_dir.h"
#include "test_keys.h"

namespace coopchain {
namespace {

constexpr TimeMs kNow = 1'790'000'000'000;

class ReplicaStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    genesis_.chain_id = "net";
    genesis_.genesis_time = kNow - 1000;
    genesis_.params = RuleParams::defaults();
    genesis_.params.default_country = "PE";
    genesis_.organizations.push_back(
        {"coop-1", "Coop", OrgKind::kCooperative, false, {client_.public_key()}});
    genesis_.validators.push_back({"node-1", validator_.public_key()});
    auto store = open_store();
    ASSERT_TRUE(store->initialize(genesis_, "{}", genesis_state(genesis_)).ok());
  }

  std::unique_ptr<BlockStore> open_store() {
    return std::move(BlockStore::open({dir_.string()})).value();
  }

  Transaction farm(const std::string& id, uint64_t nonce = 0) {
    return std::move(
               wire::decode_transaction(testing::sign_event_json(
                   client_, "net",
                   R"({"registerFarm": {"farmId": ")" + id +
                       R"(", "plots": [{"plotId": "P-1", "areaM2": 1000, "crop": "COFFEE"}]}})",
                   nonce)))
        .value();
  }

  static consensus::TxDecoder decoder() {
    return [](const SignedTransaction& stx) { return wire::decode_transaction(stx); };
  }

  testing::TempDir tmp_;
  std::filesystem::path dir_ = tmp_.path() / "db";
  PrivateKey client_ = std::move(PrivateKey::generate()).value();
  PrivateKey validator_ = std::move(PrivateKey::generate()).value();
  Genesis genesis_;
};

TEST_F(ReplicaStorageTest, TermVoteAndUncommittedBlocksSurviveReopen) {
  Block block;
  block.header.height = 1;
  block.header.proposer = "node-1";
  {
    auto store = open_store();
    BlockStoreReplicaStorage storage(*store);
    EXPECT_EQ(storage.hard_state().term, 0u);
    ASSERT_TRUE(storage.save_hard_state({7, "node-2"}).ok());
    ASSERT_TRUE(storage.save_uncommitted_block(block).ok());
    ASSERT_TRUE(storage.sync().ok());
  }
  auto store = open_store();
  BlockStoreReplicaStorage storage(*store);
  EXPECT_EQ(storage.hard_state().term, 7u);
  EXPECT_EQ(storage.hard_state().voted_for, "node-2");
  ASSERT_EQ(storage.uncommitted_blocks().size(), 1u);
  EXPECT_EQ(storage.uncommitted_blocks()[0].hash(), block.hash());
}

TEST_F(ReplicaStorageTest, SavedBlocksComeBackInHeightOrderUntilDropped) {
  auto at = [](uint64_t height) {
    Block block;
    block.header.height = height;
    block.header.proposer = "node-1";
    return block;
  };
  {
    auto store = open_store();
    BlockStoreReplicaStorage storage(*store);
    for (uint64_t h : {3, 1, 258, 2}) ASSERT_TRUE(storage.save_uncommitted_block(at(h)).ok());
    ASSERT_TRUE(storage.drop_uncommitted_from(3).ok());
    ASSERT_TRUE(storage.save_uncommitted_block(at(3)).ok());
    ASSERT_TRUE(storage.sync().ok());
  }
  auto store = open_store();
  BlockStoreReplicaStorage storage(*store);
  std::vector<uint64_t> heights;
  for (const Block& b : storage.uncommitted_blocks()) heights.push_back(b.header.height);
  EXPECT_EQ(heights, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(ReplicaStorageTest, SingleValidatorReplicaCommitsIntoRocksDbAndResumesAfterRestart) {
  {
    auto store = open_store();
    BlockStoreReplicaStorage storage(*store);
    consensus::Replica replica({"node-1"}, genesis_, validator_, storage, decoder(), kNow);
    replica.tick(kNow + 10'000);  // elects itself
    ASSERT_EQ(replica.role(), consensus::Role::kLeader);
    using State = consensus::Admission::State;
    EXPECT_EQ(replica.propose(farm("F-1"), kNow + 10'001).state, State::kQueued);
    EXPECT_EQ(replica.propose(farm("F-1"), kNow + 10'001).state, State::kInFlight);
    auto refused = replica.propose(farm("F-1", 2), kNow + 10'002);  // the same farm id again
    EXPECT_EQ(refused.state, State::kRejected);
    EXPECT_EQ(refused.verdict.code, RuleCode::kFarmExists);
    replica.flush(kNow + 10'003);
    ASSERT_TRUE(replica.failure().ok()) << replica.failure().to_string();
    ASSERT_TRUE(storage.sync().ok());
    auto outcomes = replica.take_outcomes();
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_EQ(outcomes[0].kind, consensus::TxOutcomeEvent::Kind::kCommitted);
    EXPECT_EQ(store->head()->height, 1u);
    EXPECT_TRUE(store->check_consistency().ok());
    auto block = store->block(1);
    auto qc = store->quorum_certificate(1);
    ASSERT_TRUE(block.ok() && qc.ok());
    EXPECT_TRUE(verify_quorum(*qc, block->header, "net", genesis_.validators).ok());
  }
  auto store = open_store();
  BlockStoreReplicaStorage storage(*store);
  EXPECT_GE(storage.hard_state().term, 1u);
  consensus::Replica replica({"node-1"}, genesis_, validator_, storage, decoder(), kNow + 20'000);
  replica.tick(kNow + 40'000);
  ASSERT_EQ(replica.role(), consensus::Role::kLeader);
  ASSERT_EQ(replica.propose(farm("F-2"), kNow + 40'001).state,
            consensus::Admission::State::kQueued);
  replica.flush(kNow + 40'002);
  // A lone validator commits each block as it makes it: no empty block for a new term.
  EXPECT_EQ(store->head()->height, 2u);
  EXPECT_EQ(store->block(2)->header.term, storage.hard_state().term);
  EXPECT_TRUE(store->check_consistency().ok());
}

}  // namespace
}  // namespace coopchain

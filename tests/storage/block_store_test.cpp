#include "coopchain/storage/block_store.h"

#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include <filesystem>
#include <functional>

#include "coopchain/core/quorum.h"
#include "temp_dir.h"

namespace coopchain {
namespace {

class BlockStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = std::make_unique<PrivateKey>(std::move(PrivateKey::generate()).value());
    genesis_ = Genesis{
        "net", 1'700'000'000'000, {}, {{"coop-1", key_->public_key()}}, RuleParams::defaults()};
  }

  std::unique_ptr<BlockStore> open() {
    auto store = BlockStore::open({dir_.string()});
    EXPECT_TRUE(store.ok()) << store.status().to_string();
    return std::move(store).value();
  }

  // Block head+1 with one transaction and one state write, and its single-validator QC.
  std::pair<Block, QuorumCertificate> next_block(const BlockStore& store, std::string tx) {
    Block b;
    b.header.height = store.head()->height + 1;
    b.header.prev_hash = store.head()->hash;
    b.txs.push_back({std::move(tx), std::string(64, 's')});
    b.header.tx_root = compute_tx_root(b.txs);
    b.header.state_root = next_state_root(store.head()->state_root, b.header.height, changes_);
    b.header.time_ms = store.head()->time_ms + 1000;
    b.header.proposer = "coop-1";
    QuorumCertificate qc{b.header.height,
                         b.hash(),
                         {sign_vote(*key_, "coop-1", "net", 0, b.header.height, b.hash())}};
    return {b, qc};
  }

  testing::TempDir tmp_;
  std::filesystem::path dir_ = tmp_.path() / "db";
  std::unique_ptr<PrivateKey> key_;
  Genesis genesis_;
  StateChanges changes_{{"k", std::string("v")}};
};

TEST_F(BlockStoreTest, StartsEmptyAndInitializesBlockZero) {
  auto store = open();
  EXPECT_TRUE(store->empty());
  ASSERT_TRUE(store->initialize(genesis_, "{}", {{"o/coop-1", std::string("x")}}).ok());
  EXPECT_EQ(store->head()->height, 0u);
  EXPECT_EQ(store->block(0)->header.prev_hash, genesis_hash(genesis_));
  EXPECT_EQ(store->get("o/coop-1"), "x");
  EXPECT_TRUE(store->check_consistency().ok());
}

TEST_F(BlockStoreTest, CommittedBlockSurvivesReopen) {
  Hash256 tx_id;
  {
    auto store = open();
    ASSERT_TRUE(store->initialize(genesis_, "{}", {}).ok());
    auto [block, qc] = next_block(*store, "tx-1");
    tx_id = block.txs[0].id();
    ASSERT_TRUE(store->commit_block(block, qc, changes_).ok());
  }
  auto store = open();
  ASSERT_EQ(store->head()->height, 1u);
  EXPECT_TRUE(store->check_consistency().ok());
  EXPECT_EQ(store->get("k"), "v");
  EXPECT_TRUE(store->has_transaction(tx_id));
  EXPECT_EQ(store->locate_transaction(tx_id)->height, 1u);
  auto block = store->block(1);
  auto qc = store->quorum_certificate(1);
  ASSERT_TRUE(block.ok() && qc.ok());
  EXPECT_TRUE(verify_quorum(*qc, block->header, "net", genesis_.validators).ok());
  EXPECT_EQ(store->height_of(block->hash()), 1u);
}

TEST_F(BlockStoreTest, RefusesABlockThatDoesNotExtendTheHead) {
  auto store = open();
  ASSERT_TRUE(store->initialize(genesis_, "{}", {}).ok());
  auto [block, qc] = next_block(*store, "tx-1");
  block.header.prev_hash = sha256("elsewhere");
  EXPECT_FALSE(store->commit_block(block, qc, changes_).ok());
  EXPECT_EQ(store->head()->height, 0u);
  EXPECT_FALSE(store->get("k").has_value());
}

TEST_F(BlockStoreTest, RefusesIdsThatDoNotCountTheBlocksTransactions) {
  auto store = open();
  ASSERT_TRUE(store->initialize(genesis_, "{}", {}).ok());
  auto [block, qc] = next_block(*store, "tx-1");
  const std::vector<Hash256> none;
  EXPECT_FALSE(store->commit_block(block, none, qc, changes_, Durability::kSynced).ok());
  EXPECT_EQ(store->head()->height, 0u);
  const std::vector<Hash256> ids{block.txs[0].id()};
  ASSERT_TRUE(store->commit_block(block, ids, qc, changes_, Durability::kSynced).ok());
  EXPECT_EQ(store->locate_transaction(ids[0])->height, 1u);
}

// A view is the chain frozen at its head: blocks, certificates, the transaction index and the
// state as they were, whatever is committed after it was taken.
TEST_F(BlockStoreTest, AViewSeesTheChainAsItWasWhenTaken) {
  auto store = open();
  ASSERT_TRUE(store->initialize(genesis_, "{}", {}).ok());
  auto [first, first_qc] = next_block(*store, "tx-1");
  ASSERT_TRUE(store->commit_block(first, first_qc, changes_).ok());
  std::shared_ptr<const ChainView> view = store->view();
  auto [second, second_qc] = next_block(*store, "tx-2");
  changes_ = {{"k", std::nullopt}, {"k2", std::string("v2")}};
  ASSERT_TRUE(store->commit_block(second, second_qc, changes_).ok());

  EXPECT_EQ(view->head().height, 1u);
  EXPECT_EQ(view->head().hash, first.hash());
  EXPECT_EQ(view->get("k"), std::optional<std::string>("v"));
  EXPECT_FALSE(view->get("k2").has_value());
  EXPECT_TRUE(view->block(1).ok());
  EXPECT_EQ(view->block(2).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(view->quorum_certificate(1).ok());
  EXPECT_FALSE(view->quorum_certificate(2).ok());
  EXPECT_TRUE(view->has_transaction(first.txs[0].id()));
  EXPECT_FALSE(view->has_transaction(second.txs[0].id()));

  std::shared_ptr<const ChainView> now = store->view();
  EXPECT_EQ(now->head().height, 2u);
  EXPECT_FALSE(now->get("k").has_value());
  EXPECT_EQ(now->get("k2"), std::optional<std::string>("v2"));
  EXPECT_EQ(now->locate_transaction(second.txs[0].id())->height, 2u);
}

TEST_F(BlockStoreTest, InitializeTwiceIsRefused) {
  auto store = open();
  ASSERT_TRUE(store->initialize(genesis_, "{}", {}).ok());
  EXPECT_FALSE(store->initialize(genesis_, "{}", {}).ok());
}

}  // namespace
}  // namespace coopchain

namespace coopchain {
namespace {

// Edits the real RocksDB directory behind a BlockStore's back, as a failing disk or a careless
// operator might, and checks that the startup check notices.
class TamperedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = std::move(PrivateKey::generate()).value();
    Genesis genesis{
        "net", 1'700'000'000'000, {}, {{"coop-1", key.public_key()}}, RuleParams::defaults()};
    auto store = std::move(BlockStore::open({dir_.string()})).value();
    ASSERT_TRUE(store->initialize(genesis, "{}", {}).ok());
    Block b;
    b.header.height = 1;
    b.header.prev_hash = store->head()->hash;
    b.header.state_root = next_state_root(store->head()->state_root, 1, {});
    b.header.time_ms = store->head()->time_ms + 1;
    QuorumCertificate qc{1, b.hash(), {sign_vote(key, "coop-1", "net", 1, 1, b.hash())}};
    ASSERT_TRUE(store->commit_block(b, qc, {}).ok());
  }

  // Runs `edit` on the raw database with its column families (indexed as kColumnFamilies).
  void edit(
      const std::function<void(rocksdb::DB&, std::vector<rocksdb::ColumnFamilyHandle*>&)>& edit) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : kColumnFamilies) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_.string(), cfs, &handles, &db).ok());
    edit(*db, handles);
    for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
    delete db;
  }

  Status reopen_and_check() {
    auto store = BlockStore::open({dir_.string()});
    if (!store.ok()) return store.status();
    return (*store)->check_consistency();
  }

  testing::TempDir tmp_;
  std::filesystem::path dir_ = tmp_.path() / "db";
};

TEST_F(TamperedStoreTest, HonestStorePasses) {
  EXPECT_TRUE(reopen_and_check().ok());
}

TEST_F(TamperedStoreTest, DetectsAStateRootThatDisagreesWithTheHeadBlock) {
  edit([](rocksdb::DB& db, auto& cf) {
    std::string head;
    ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf[0], "head", &head).ok());
    head[8 + 32] ^= 0x01;  // first byte of the state root
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf[0], "head", head).ok());
  });
  Status st = reopen_and_check();
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("state root"), std::string::npos) << st.message();
}

TEST_F(TamperedStoreTest, DetectsAMissingQuorumCertificate) {
  edit([](rocksdb::DB& db, auto& cf) {
    std::string key(8, '\0');
    key[7] = 1;
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), cf[4], key).ok());
  });
  Status st = reopen_and_check();
  EXPECT_NE(st.message().find("quorum certificate"), std::string::npos) << st.message();
}

TEST_F(TamperedStoreTest, DetectsAFlippedByteInTheHeadBlock) {
  edit([](rocksdb::DB& db, auto& cf) {
    std::string key(8, '\0');
    key[7] = 1;
    std::string block;
    ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf[1], key, &block).ok());
    block[20] ^= 0x01;  // inside prev_hash
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf[1], key, block).ok());
  });
  EXPECT_EQ(reopen_and_check().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace coopchain

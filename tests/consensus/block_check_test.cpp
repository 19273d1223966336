// The block check, case by case: one valid block, then one fault of each kind, each named.
#include "coopchain/consensus/block_check.h"

#include <gtest/gtest.h>

#include "coopchain/rules/execute.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/event_codec.h"
#include "sim_chain.h"

namespace coopchain::consensus {
namespace {

constexpr TimeMs kGenesisTime = 1'790'000'000'000;

class BlockCheckTest : public ::testing::Test {
 protected:
  BlockCheckTest() : chain_(sim::make_sim_chain(7, 3, kGenesisTime)) {
    chain_.genesis.params.max_block_txs = 3;
    chain_.genesis_changes = genesis_state(chain_.genesis);
    chain_.block0.header =
        genesis_header(chain_.genesis, next_state_root(Hash256{}, 0, chain_.genesis_changes));
    rules_ = std::make_unique<Rules>(chain_.genesis);
    state_.apply(chain_.genesis_changes, std::vector<Hash256>{});
  }

  SignedTransaction farm(int n) {
    return sim::register_farm(chain_.genesis, *chain_.client, "F-" + std::to_string(n),
                              static_cast<uint64_t>(n));
  }

  // A block after block 0, built as an honest leader builds it.
  Block block_of(std::vector<SignedTransaction> txs) {
    Block b;
    b.txs = std::move(txs);
    BlockHeader& h = b.header;
    const BlockHeader& parent = chain_.block0.header;
    h.height = 1;
    h.prev_hash = block_hash(parent);
    h.time_ms = parent.time_ms + 1000;
    h.term = 1;
    h.proposer = "node-1";
    h.tx_root = compute_tx_root(b.txs);
    std::vector<Transaction> decoded;
    for (const auto& tx : b.txs) decoded.push_back(wire::decode_transaction(tx).value());
    std::vector<const Transaction*> pointers;
    for (const auto& tx : decoded) pointers.push_back(&tx);
    ExecutedTransactions executed =
        execute_transactions(*rules_, state_, pointers, {h.height, h.time_ms});
    h.state_root = next_state_root(parent.state_root, h.height, executed.changes);
    return b;
  }

  BlockVerdict check(const Block& block, std::optional<TimeMs> latest = std::nullopt) {
    decoded_.clear();
    for (const auto& tx : block.txs) decoded_.push_back(wire::decode_verified_transaction(tx));
    return check_block(*rules_, {block, chain_.block0.header, state_, decoded_, latest});
  }

  // The block's fault, which must mention `words`.
  void expect_fault(const Block& block, const std::string& words,
                    std::optional<TimeMs> latest = std::nullopt) {
    BlockVerdict v = check(block, latest);
    ASSERT_FALSE(v.ok()) << "expected a fault mentioning \"" << words << "\"";
    EXPECT_NE(v.fault().to_string().find(words), std::string::npos) << v.fault().to_string();
  }

  // The block limits in force after block 0, as a passed setParameters leaves them.
  void set_limits_in_state(uint32_t txs, uint64_t bytes) {
    RuleParams params = WorldView(state_).params();
    params.max_block_txs = txs;
    params.max_block_bytes = bytes;
    StateChanges changes;
    put_record(changes, params_key(), params);
    state_.apply(changes, std::vector<Hash256>{});
  }

  sim::SimChain chain_;
  std::unique_ptr<Rules> rules_;
  MemoryState state_;
  std::vector<Result<Transaction>> decoded_;
};

TEST_F(BlockCheckTest, AcceptsAnHonestBlockWithItsEffects) {
  Block block = block_of({farm(1), farm(2)});
  BlockVerdict v = check(block);
  ASSERT_TRUE(v.ok()) << v.fault().to_string();
  ASSERT_EQ(v.effects().tx_ids.size(), 2u);
  EXPECT_EQ(v.effects().tx_ids[0], block.txs[0].id());
  EXPECT_FALSE(v.effects().changes.empty());
}

TEST_F(BlockCheckTest, RefusesMoreTransactionsThanTheChainAllows) {
  expect_fault(block_of({farm(1), farm(2), farm(3), farm(4)}), "maxBlockTxs");
}

TEST_F(BlockCheckTest, RefusesMoreBytesThanTheChainAllows) {
  Block block = block_of({farm(1), farm(2)});
  set_limits_in_state(3, transaction_bytes(block.txs[0]) + 1);
  expect_fault(block, "maxBlockBytes");
}

TEST_F(BlockCheckTest, LimitsComeFromTheStateAfterTheParentNotFromTheGenesisOrTheCaller) {
  // The genesis says 3; a governance change (setParameters) in force after the parent says 4:
  // the same block is valid, whoever checks it.
  Block block = block_of({farm(1), farm(2), farm(3), farm(4)});
  expect_fault(block, "maxBlockTxs");
  set_limits_in_state(4, RuleParams::defaults().max_block_bytes);
  EXPECT_TRUE(check(block).ok());
}

TEST_F(BlockCheckTest, RefusesAHeaderThatDoesNotFollowItsParent) {
  Block block = block_of({farm(1)});
  Block wrong = block;
  wrong.header.version = 2;
  expect_fault(wrong, "block version 2");
  wrong = block;
  wrong.header.height = 2;
  expect_fault(wrong, "says it is height 2");
  wrong = block;
  wrong.header.prev_hash[0] ^= 1;
  expect_fault(wrong, "previous hash");
  wrong = block;
  wrong.header.time_ms = chain_.block0.header.time_ms;
  expect_fault(wrong, "does not move forward");
  wrong = block;
  wrong.header.proposer = "node-9";
  expect_fault(wrong, "is not a validator");
}

// The validators in force come from the state after the parent (nodes/), not from the genesis:
// a proposer the state no longer names is refused, and a certificate is checked against the
// validators in force for its block, those before a change for the blocks up to it.
TEST_F(BlockCheckTest, ValidatorsComeFromTheStateAfterTheParent) {
  Block block = block_of({farm(1)});
  NodeSetRecord nodes = WorldView(state_).nodes();
  ASSERT_EQ(nodes.validators_for(1), chain_.genesis.validators);
  NodeSetRecord without_proposer = nodes;
  without_proposer.previous_validators = nodes.nodes;
  without_proposer.nodes.erase(without_proposer.nodes.begin());  // node-1, the proposer
  without_proposer.changed_height = 0;
  StateChanges changes;
  put_record(changes, nodes_key(), without_proposer);
  state_.apply(changes, std::vector<Hash256>{});
  expect_fault(block, "is not a validator");
  EXPECT_EQ(without_proposer.validators_for(1).size(), 2u);
  without_proposer.changed_height = 1;  // the change came with block 1: it binds block 2 on
  EXPECT_EQ(without_proposer.validators_for(1), chain_.genesis.validators);
  EXPECT_EQ(without_proposer.validators_for(2).size(), 2u);
  EXPECT_EQ(decode_nodes(encode(without_proposer)), without_proposer);
}

TEST_F(BlockCheckTest, RefusesATermThatGoesBack) {
  Block block = block_of({farm(1)});
  chain_.block0.header.term = 2;
  block.header.prev_hash = block_hash(chain_.block0.header);
  expect_fault(block, "goes back");
}

TEST_F(BlockCheckTest, RefusesATimeAfterTheLatestGivenAndNoneWithoutIt) {
  Block block = block_of({farm(1)});
  expect_fault(block, "in the future", block.header.time_ms - 1);
  EXPECT_TRUE(check(block, block.header.time_ms).ok());
  EXPECT_TRUE(check(block).ok());  // a replay of history has no clock
}

TEST_F(BlockCheckTest, RefusesATransactionRootThatDoesNotMatch) {
  Block block = block_of({farm(1), farm(2)});
  std::swap(block.txs[0], block.txs[1]);
  expect_fault(block, "transaction root");
}

TEST_F(BlockCheckTest, RefusesABadSignature) {
  Block block = block_of({farm(1)});
  block.txs[0].signature[5] ^= 1;
  block.header.tx_root = compute_tx_root(block.txs);
  expect_fault(block, "transaction 0");
}

TEST_F(BlockCheckTest, RefusesATransactionThatBreaksARule) {
  // The second registers the same farm again.
  SignedTransaction again = sim::register_farm(chain_.genesis, *chain_.client, "F-1", 99);
  expect_fault(block_of({farm(1), again}), "breaks a rule: FARM_EXISTS");
}

TEST_F(BlockCheckTest, RefusesAStateRootThatDiffers) {
  Block block = block_of({farm(1)});
  block.header.state_root[0] ^= 1;
  expect_fault(block, "state root");
}

}  // namespace
}  // namespace coopchain::consensus

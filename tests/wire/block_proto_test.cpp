#include "coopchain/wire/block_proto.h"

#include <gtest/gtest.h>

namespace coopchain::wire {
namespace {

Block sample_block() {
  Block b;
  b.header.height = 2;
  b.header.prev_hash = sha256("parent");
  b.header.state_root = sha256("state");
  b.header.time_ms = 1792504800250;
  b.header.term = 3;
  b.header.proposer = "coop-1";
  b.txs.push_back({"payload", std::string(64, 's')});
  b.header.tx_root = compute_tx_root(b.txs);
  return b;
}

TEST(BlockToProto, ShowsHashesInLowercaseHexAndTheQuorum) {
  Block b = sample_block();
  QuorumCertificate qc{2, b.hash(), {{"coop-1", 1, 2, b.hash(), std::string(64, 'v')}}};
  v1::BlockInfo info = block_to_proto(b, &qc, /*with_transactions=*/true);
  EXPECT_EQ(info.hash(), to_hex(b.hash()));
  ASSERT_EQ(info.tx_ids_size(), 1);
  EXPECT_EQ(info.tx_ids(0), to_hex(sha256("payload")));
  EXPECT_EQ(info.transactions_size(), 1);
  ASSERT_EQ(info.quorum_size(), 1);
  EXPECT_EQ(info.quorum(0).validator_id(), "coop-1");
  EXPECT_EQ(block_to_proto(b, nullptr, false).transactions_size(), 0);
}

TEST(BlockFromProto, RebuildsTheSameBlockAndCertificate) {
  Block b = sample_block();
  QuorumCertificate qc{2, b.hash(), {{"coop-1", 3, 2, b.hash(), std::string(64, 'v')}}};
  auto back = block_from_proto(block_to_proto(b, &qc, true));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->first.header, b.header);
  EXPECT_EQ(back->first.txs, b.txs);
  EXPECT_EQ(back->second.block_hash, b.hash());
  EXPECT_EQ(back->second.votes, qc.votes);
}

TEST(BlockFromProto, RefusesMalformedHashesAndMissingTransactions) {
  Block b = sample_block();
  v1::BlockInfo info = block_to_proto(b, nullptr, true);
  info.set_prev_hash("xyz");
  EXPECT_FALSE(block_from_proto(info).ok());
  EXPECT_FALSE(block_from_proto(block_to_proto(b, nullptr, false)).ok());
}

}  // namespace
}  // namespace coopchain::wire

#include "coopchain/net/message_codec.h"

#include <gtest/gtest.h>

namespace coopchain::net {
namespace {

Block sample_block(uint64_t height) {
  Block b;
  b.header.height = height;
  b.header.prev_hash = sha256("prev");
  b.header.time_ms = 1'700'000'000'000;
  b.header.term = 3;
  b.header.proposer = "coop-1";
  b.txs.push_back({"payload", "signature"});
  b.header.tx_root = compute_tx_root(b.txs);
  return b;
}

Vote sample_vote(uint64_t height) {
  return {"coop-2", 3, height, sha256("block"), std::string(64, 's')};
}

TEST(MessageCodecTest, EveryKindRoundTrips) {
  consensus::AppendRequest append{3, 4, sha256("h4"), {sample_block(5), sample_block(6)}, 4, {}};
  append.certificates.push_back({4, sha256("h4"), {sample_vote(4), sample_vote(4)}});
  append.leader_votes = {sample_vote(5), sample_vote(6)};
  const std::vector<consensus::Payload> payloads = {
      consensus::PreVoteRequest{7, 10, 6},
      consensus::PreVoteResponse{7, true},
      consensus::VoteRequest{7, 10, 6},
      consensus::VoteResponse{7, false},
      append,
      consensus::AppendResponse{3, true, 6, 4, {sample_vote(5), sample_vote(6)}},
  };
  for (const auto& payload : payloads) {
    const std::string bytes = encode_message(payload);
    auto decoded = decode_message(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
    EXPECT_EQ(decoded->index(), payload.index());
    EXPECT_EQ(encode_message(*decoded), bytes);
  }
  auto decoded = decode_message(encode_message(append));
  const auto& back = std::get<consensus::AppendRequest>(*decoded);
  ASSERT_EQ(back.blocks.size(), 2u);
  EXPECT_EQ(back.blocks[1].hash(), sample_block(6).hash());
  EXPECT_EQ(back.blocks[1].txs, sample_block(6).txs);
  ASSERT_EQ(back.certificates.size(), 1u);
  EXPECT_EQ(back.certificates[0].votes[1], sample_vote(4));
  EXPECT_EQ(back.leader_votes, append.leader_votes);
}

TEST(MessageCodecTest, DamagedBytesAreRefused) {
  const std::string bytes =
      encode_message(consensus::AppendResponse{3, true, 6, 4, {sample_vote(5), sample_vote(6)}});
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode_message(bytes.substr(0, cut)).ok()) << "cut at " << cut;
  }
  EXPECT_FALSE(decode_message(bytes + "x").ok());
  std::string other_version = bytes;
  other_version[0] = static_cast<char>(kMessageVersion + 1);
  EXPECT_FALSE(decode_message(other_version).ok());
  std::string unknown_kind = bytes;
  unknown_kind[1] = 99;
  EXPECT_FALSE(decode_message(unknown_kind).ok());
}

}  // namespace
}  // namespace coopchain::net

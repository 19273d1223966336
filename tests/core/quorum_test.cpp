// The quorum certificate check that every block check and start-up check runs.
#include <gtest/gtest.h>

#include "coopchain/core/quorum.h"

namespace coopchain {
namespace {

struct ThreeValidators {
  PrivateKey a = std::move(PrivateKey::generate()).value();
  PrivateKey b = std::move(PrivateKey::generate()).value();
  PrivateKey c = std::move(PrivateKey::generate()).value();
  std::vector<Validator> validators{
      {"a", a.public_key()}, {"b", b.public_key()}, {"c", c.public_key()}};
};

TEST(QuorumTest, RefusesMissingForeignAndBadVotes) {
  auto a = std::move(PrivateKey::generate()).value();
  auto b = std::move(PrivateKey::generate()).value();
  auto c = std::move(PrivateKey::generate()).value();
  std::vector<Validator> validators{
      {"a", a.public_key()}, {"b", b.public_key()}, {"c", c.public_key()}};
  BlockHeader h;
  h.height = 7;
  const Hash256 hash = block_hash(h);
  QuorumCertificate qc{7, hash, {sign_vote(a, "a", "net", 1, 7, hash)}};
  EXPECT_FALSE(verify_quorum(qc, h, "net", validators).ok());  // 1 of 3
  qc.votes.push_back(sign_vote(b, "b", "net", 1, 7, hash));
  EXPECT_TRUE(verify_quorum(qc, h, "net", validators).ok());
  EXPECT_FALSE(verify_quorum(qc, h, "other-net", validators).ok());
  auto dup = qc;
  dup.votes[1] = sign_vote(a, "a", "net", 1, 7, hash);
  EXPECT_FALSE(verify_quorum(dup, h, "net", validators).ok());
  auto forged = qc;
  forged.votes[1].signature[3] ^= 1;
  EXPECT_FALSE(verify_quorum(forged, h, "net", validators).ok());
  auto stranger = std::move(PrivateKey::generate()).value();
  auto foreign = qc;
  foreign.votes[1] = sign_vote(stranger, "d", "net", 1, 7, hash);
  EXPECT_FALSE(verify_quorum(foreign, h, "net", validators).ok());
}

TEST(QuorumTest, RefusesVotesOfMixedTerms) {
  ThreeValidators v;
  BlockHeader h;
  h.height = 7;
  h.term = 2;
  const Hash256 hash = block_hash(h);
  QuorumCertificate qc{
      7, hash, {sign_vote(v.a, "a", "net", 3, 7, hash), sign_vote(v.b, "b", "net", 3, 7, hash)}};
  EXPECT_TRUE(verify_quorum(qc, h, "net", v.validators).ok());
  qc.votes[1] = sign_vote(v.b, "b", "net", 4, 7, hash);
  Status mixed = verify_quorum(qc, h, "net", v.validators);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.message().find("mix terms"), std::string::npos) << mixed.message();
  // Each vote's signature is good and the terms differ: a majority only across two terms.
  qc.votes.push_back(sign_vote(v.c, "c", "net", 3, 7, hash));
  EXPECT_FALSE(verify_quorum(qc, h, "net", v.validators).ok());
}

TEST(QuorumTest, RefusesVotesFromBeforeTheBlocksTerm) {
  ThreeValidators v;
  BlockHeader h;
  h.height = 7;
  h.term = 5;
  const Hash256 hash = block_hash(h);
  QuorumCertificate qc{
      7, hash, {sign_vote(v.a, "a", "net", 4, 7, hash), sign_vote(v.b, "b", "net", 4, 7, hash)}};
  Status early = verify_quorum(qc, h, "net", v.validators);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.message().find("before the block's term"), std::string::npos) << early.message();
}

}  // namespace
}  // namespace coopchain

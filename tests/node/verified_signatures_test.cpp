// The node's memory of verified signatures: what verifies is remembered and handed back decoded,
// what does not is refused and forgotten, a known payload under another signature is checked
// afresh, and both the entries and the decoded copies stay within their bounds.
#include "coopchain/node/verified_signatures.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chain_fixture.h"
#include "coopchain/wire/event_codec.h"
#include "event_json.h"

namespace coopchain {
namespace {

SignedTransaction harvest(int n) {
  return testing::signed_event(
      "coop-1", "test-chain",
      testing::harvest_json("LOT-" + std::to_string(n), "F-1", 1000, "2026-05-01T08:00:00Z"), n);
}

SignedTransaction with_bad_signature(SignedTransaction tx) {
  tx.signature[0] = static_cast<char>(tx.signature[0] ^ 1);
  return tx;
}

TEST(VerifiedSignatures, RemembersWhatVerifiesAndRefusesWhatDoesNot) {
  VerifiedSignatures verified(16, 4);
  const SignedTransaction tx = harvest(1);
  auto first = verified.decode_verified(tx);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->id, tx.id());
  EXPECT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified.decoded(), 0u);  // the caller has it

  auto again = verified.decode_verified(tx);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->nonce, 1u);

  auto bad = verified.decode_verified(with_bad_signature(harvest(2)));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().rule(), RuleCode::kBadSignature);
  SignedTransaction short_signature = harvest(3);
  short_signature.signature.pop_back();
  auto refused = verified.decode_verified(short_signature);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().rule(), RuleCode::kBadSignature);
  EXPECT_EQ(verified.size(), 1u);
}

TEST(VerifiedSignatures, AKnownPayloadUnderAnotherSignatureIsCheckedAfresh) {
  VerifiedSignatures verified(16, 4);
  const SignedTransaction tx = harvest(1);
  ASSERT_TRUE(verified.decode_verified(tx).ok());
  auto forged = verified.decode_verified(with_bad_signature(tx));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().rule(), RuleCode::kBadSignature);
  // Nor does a block carrying the forgery make it known.
  verified.verify_all({with_bad_signature(tx)});
  EXPECT_FALSE(verified.decode_verified(with_bad_signature(tx)).ok());
  EXPECT_TRUE(verified.decode_verified(tx).ok());
}

TEST(VerifiedSignatures, VerifyAllKeepsTransactionsDecodedUntilTheStrandTakesThem) {
  VerifiedSignatures verified(16, 4);
  const std::vector<SignedTransaction> block{harvest(1), harvest(2),
                                             with_bad_signature(harvest(3))};
  verified.verify_all(block);
  EXPECT_EQ(verified.size(), 2u);
  EXPECT_EQ(verified.decoded(), 2u);

  auto taken = verified.decode_verified(block[0]);
  ASSERT_TRUE(taken.ok());
  auto fresh = wire::decode_transaction(block[0]);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(taken->id, fresh->id);
  EXPECT_EQ(taken->signer_key_id, fresh->signer_key_id);
  EXPECT_EQ(taken->signed_tx.payload, block[0].payload);
  EXPECT_EQ(taken->signed_tx.signature, block[0].signature);
  EXPECT_EQ(verified.decoded(), 1u);

  // Taken once; asked again (a block executed a second time), it is decoded anew.
  auto again = verified.decode_verified(block[0]);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, fresh->id);
  EXPECT_EQ(verified.decoded(), 1u);

  auto refused = verified.decode_verified(block[2]);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().rule(), RuleCode::kBadSignature);
}

TEST(VerifiedSignatures, StaysWithinItsBounds) {
  VerifiedSignatures verified(3, 2);
  std::vector<SignedTransaction> txs;
  for (int n = 1; n <= 5; ++n) txs.push_back(harvest(n));
  verified.verify_all(txs);
  EXPECT_EQ(verified.size(), 3u);
  EXPECT_LE(verified.decoded(), 2u);
  // The oldest were forgotten; the newest are still known and hand over what they kept.
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(verified.decode_verified(txs[i]).ok());
  EXPECT_EQ(verified.decoded(), 0u);
  EXPECT_EQ(verified.size(), 3u);
  EXPECT_TRUE(verified.decode_verified(txs[0]).ok());  // verified afresh, remembered again
  EXPECT_EQ(verified.size(), 3u);
}

}  // namespace
}  // namespace coopchain

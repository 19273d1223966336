#include "coopchain/core/ed25519.h"

#include <gtest/gtest.h>

#include "coopchain/core/hash.h"

namespace coopchain {
namespace {

TEST(Ed25519, SignsAndVerifies) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  std::string sig = key->sign("payload");
  EXPECT_EQ(sig.size(), kSignatureSize);
  EXPECT_TRUE(verify_signature(key->public_key(), "payload", sig));
}

TEST(Ed25519, RejectsTamperedMessageSignatureOrKey) {
  auto key = PrivateKey::generate();
  auto other = PrivateKey::generate();
  std::string sig = key->sign("payload");
  EXPECT_FALSE(verify_signature(key->public_key(), "payloaD", sig));
  std::string bad = sig;
  bad[10] ^= 1;
  EXPECT_FALSE(verify_signature(key->public_key(), "payload", bad));
  EXPECT_FALSE(verify_signature(other->public_key(), "payload", sig));
  EXPECT_FALSE(verify_signature(key->public_key(), "payload", sig.substr(1)));
}

TEST(Ed25519, PemRoundTripKeepsTheKey) {
  auto key = PrivateKey::generate();
  auto back = PrivateKey::from_pem(key->to_pem());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->public_key(), key->public_key());
  EXPECT_FALSE(PrivateKey::from_pem("not a key").ok());
}

// The identity point as key and as R, with S = 0, satisfies the verification equation for any
// message; a verifier that allowed small-order points would accept it.
TEST(Ed25519, RefusesSmallOrderKeyAndR) {
  std::string identity(kPublicKeySize, '\0');
  identity[0] = 1;
  const std::string signature = identity + std::string(32, '\0');
  EXPECT_FALSE(verify_signature(identity, "payload", signature));
}

// S + L (the group order) is the same scalar mod L; only the canonical S < L verifies.
TEST(Ed25519, RefusesNonCanonicalS) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  std::string sig = key->sign("payload");
  const auto order = from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    const unsigned sum =
        static_cast<unsigned char>(sig[32 + i]) + static_cast<unsigned char>((*order)[i]) + carry;
    sig[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  EXPECT_FALSE(verify_signature(key->public_key(), "payload", sig));
}

TEST(Ed25519, MovedKeyStillSigns) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  PrivateKey moved = std::move(key).value();
  const std::string sig = moved.sign("payload");
  EXPECT_TRUE(verify_signature(moved.public_key(), "payload", sig));
}

// RFC 8032, section 7.1, test 1.
TEST(Ed25519, MatchesRfc8032Vector) {
  auto seed = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  auto key = PrivateKey::from_seed(*seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(to_hex(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(to_hex(key->sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(key_id(key->public_key()).size(), 64u);
}

}  // namespace
}  // namespace coopchain

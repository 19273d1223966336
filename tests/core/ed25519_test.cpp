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

#include "coopchain/core/hash.h"

#include <gtest/gtest.h>

namespace coopchain {
namespace {

TEST(Sha256, MatchesKnownVector) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, BuilderEqualsOneShot) {
  Sha256Builder b;
  b.add("a").add("bc");
  EXPECT_EQ(b.finish(), sha256("abc"));
}

TEST(Hex, RoundTripsAndRejectsBadDigits) {
  EXPECT_EQ(from_hex(to_hex(std::string("\x00\xff\x10", 3))), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_FALSE(hash_from_hex("00").has_value());
}

TEST(MerkleRoot, EmptyIsZero) {
  EXPECT_EQ(merkle_root({}), Hash256{});
}

TEST(MerkleRoot, DependsOnOrderAndEveryLeaf) {
  Hash256 a = sha256("a"), b = sha256("b"), c = sha256("c");
  EXPECT_NE(merkle_root({a, b, c}), merkle_root({b, a, c}));
  EXPECT_NE(merkle_root({a, b, c}), merkle_root({a, b}));
  EXPECT_NE(merkle_root({a}), a);  // a leaf is domain-separated from a node
  EXPECT_EQ(merkle_root({a, b, c}), merkle_root({a, b, c}));
}

}  // namespace
}  // namespace coopchain

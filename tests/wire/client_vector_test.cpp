// The test vector of docs/api.md ("Write your own client"): a fixed key, chain id, nonce and
// event give these payload bytes, this signature and this transaction id. A client in another
// language checks its own encoding and signing against them; this test keeps the document true.
#include <gtest/gtest.h>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::wire {
namespace {

// The Ed25519 seed is 32 bytes of 0x01.
constexpr const char* kSeedHex = "0101010101010101010101010101010101010101010101010101010101010101";
constexpr const char* kChainId = "coopchain-example";
constexpr uint64_t kNonce = 7;
constexpr const char* kEventJson =
    R"({"harvest": {"lotId": "H-1", "farmId": "F-001", "plotId": "P-1", "crop": "COFFEE",
        "form": "CHERRY", "massG": "1200000", "harvestedAt": "2026-10-20T14:00:00Z"}})";

// What docs/api.md prints.
constexpr const char* kPublicKeyHex =
    "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
constexpr const char* kPayloadHex =
    "0a11636f6f70636861696e2d6578616d706c6512208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf374"
    "8801b40f6f5c1807222312210a03482d311205462d3030311a03502d312001280130809f493a0608e0e7ddd606";
constexpr const char* kSignatureHex =
    "3d1f9cd835df2da5a12be68454fb62d2ca1e3b348f3b03268d4cbb08dc5312d045e9d5a0bae789193a82b92679d524"
    "2649ee9b8537f35ded5069dfd03716db0c";
constexpr const char* kTxId = "1a542f14c18e06a0febeec36f1433abfe8d56a73d05dc546750256ecaba9f0d9";

struct Vector {
  std::string public_key_hex;
  std::string payload_hex;
  std::string signature_hex;
  std::string tx_id;
};

Vector compute() {
  auto key = PrivateKey::from_seed(*from_hex(kSeedHex));
  EXPECT_TRUE(key.ok());
  auto events = events_from_json(kEventJson);
  EXPECT_TRUE(events.ok());
  const std::string payload = encode_payload(kChainId, key->public_key(), kNonce, events->front());
  const std::string signature = key->sign(payload);
  return {to_hex(key->public_key()), to_hex(payload), to_hex(signature), to_hex(sha256(payload))};
}

TEST(ClientTestVector, MatchesTheDocumentedBytes) {
  const Vector v = compute();
  EXPECT_EQ(v.public_key_hex, kPublicKeyHex);
  EXPECT_EQ(v.payload_hex, kPayloadHex);
  EXPECT_EQ(v.signature_hex, kSignatureHex);
  EXPECT_EQ(v.tx_id, kTxId);
  // And the node takes the documented bytes as they are.
  auto tx = decode_verified_transaction({*from_hex(kPayloadHex), *from_hex(kSignatureHex)});
  ASSERT_TRUE(tx.ok()) << tx.status().to_string();
  EXPECT_EQ(to_hex(tx->id), kTxId);
}

}  // namespace
}  // namespace coopchain::wire

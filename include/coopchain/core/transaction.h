// Transactions: the signed bytes as they travel and are stored, and the decoded form the rules
// read. The transaction id is the SHA-256 of the payload bytes exactly as the client signed them;
// those bytes are never re-serialized.
#pragma once

#include <string>

#include "coopchain/core/codec.h"
#include "coopchain/core/domain.h"
#include "coopchain/core/hash.h"

namespace coopchain {

// The largest payload a node accepts; larger ones are MALFORMED.
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;

// What a client submits and a block stores: the payload (a serialized
// coopchain.v1.TxPayload that names the chain, the signer's public key and the event) and an
// Ed25519 signature over exactly those bytes.
struct SignedTransaction {
  std::string payload;
  std::string signature;

  Hash256 id() const { return sha256(payload); }
  bool operator==(const SignedTransaction&) const = default;
};

void encode(Writer& w, const SignedTransaction& tx);
SignedTransaction decode_signed_transaction(Reader& r);

// A transaction whose payload has been decoded; `signed_tx` keeps the original bytes.
struct Transaction {
  Hash256 id{};
  std::string chain_id;
  std::string public_key;     // raw 32 bytes
  std::string signer_key_id;  // hex SHA-256 of public_key, derived by the decoder, never sent
  uint64_t nonce = 0;
  Event event;
  SignedTransaction signed_tx;
};

// True when the signature is the signer's over the payload bytes.
bool verify_transaction_signature(const Transaction& tx);

}  // namespace coopchain

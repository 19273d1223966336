#include "coopchain/core/transaction.h"

#include "coopchain/core/ed25519.h"

namespace coopchain {

void encode(Writer& w, const SignedTransaction& tx) {
  w.bytes(tx.payload).bytes(tx.signature);
}

SignedTransaction decode_signed_transaction(Reader& r) {
  SignedTransaction tx;
  tx.payload = r.bytes();
  tx.signature = r.bytes();
  return tx;
}

bool verify_transaction_signature(const Transaction& tx) {
  return verify_signature(tx.public_key, tx.signed_tx.payload, tx.signed_tx.signature);
}

}  // namespace coopchain

// VerifiedSignatures: the signed transactions this node has already verified, so that each
// signature is checked once per node — on admission, or when a block first brings it — and not
// again when the block that carries it is executed on the strand. Thread-safe; bounded (the
// oldest entries are forgotten first), keyed by a hash of the payload and the signature
// together, so a known payload with another signature is verified afresh.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <set>

#include "coopchain/core/hash.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"

namespace coopchain {

class VerifiedSignatures {
 public:
  explicit VerifiedSignatures(size_t capacity) : capacity_(capacity) {}

  // wire::decode_verified_transaction, skipping the signature check for a transaction
  // verified before; remembers every one that verifies.
  Result<Transaction> decode_verified(const SignedTransaction& tx);
  // Verifies (and remembers) each transaction not verified before; the outcomes are
  // discarded, since the strand decides with decode_verified.
  void verify_all(const std::vector<SignedTransaction>& txs);
  size_t size() const;

 private:
  static Hash256 key(const SignedTransaction& tx);
  bool contains(const Hash256& key) const;
  void insert(const Hash256& key);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::set<Hash256> known_;
  std::deque<Hash256> order_;  // oldest first
};

}  // namespace coopchain

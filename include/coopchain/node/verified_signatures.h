// VerifiedSignatures: the signed transactions this node has already verified, so that each
// signature is checked once per node — on admission, or when a block first brings it — and not
// again when the block that carries it is executed on the strand. A transaction first verified
// off the strand (a block's, on its arrival) is also kept decoded until the strand takes it, so
// that it is decoded once. Thread-safe; bounded (the oldest entries are forgotten first). Keyed
// by transaction id with the signature kept alongside: a known payload under another signature
// is verified afresh.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "coopchain/core/hash.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/state/hashing.h"

namespace coopchain {

class VerifiedSignatures {
 public:
  // Remembers `capacity` verified transactions, of which at most `decoded_capacity` are kept
  // decoded for the strand.
  VerifiedSignatures(size_t capacity, size_t decoded_capacity)
      : capacity_(capacity), decoded_capacity_(decoded_capacity) {}

  // wire::decode_verified_transaction, skipping the signature check for a transaction verified
  // before and handing over the decoded copy verify_all kept; remembers every one that
  // verifies.
  Result<Transaction> decode_verified(const SignedTransaction& tx);
  // Verifies each transaction not verified before and keeps it decoded for decode_verified.
  // Those that fail are not remembered: the strand decides about them with decode_verified.
  void verify_all(const std::vector<SignedTransaction>& txs);
  size_t size() const;
  size_t decoded() const;

 private:
  using Signature = std::array<char, 64>;
  struct Entry {
    Signature signature;
    std::unique_ptr<Transaction> decoded;  // until decode_verified takes it
  };
  // Remembers a verified transaction unless its id is known already (verified meanwhile on
  // another thread, or under another signature). REQUIRES: mu_ held.
  void insert_locked(const Hash256& id, const Signature& signature,
                     std::unique_ptr<Transaction> decoded);
  // The entry for a transaction verified before under this very signature. REQUIRES: mu_ held.
  Entry* find_locked(const SignedTransaction& tx, const Hash256& id);
  static Signature signature_of(const SignedTransaction& tx);

  const size_t capacity_;
  const size_t decoded_capacity_;
  mutable std::mutex mu_;
  std::unordered_map<Hash256, Entry, TxIdHash> known_;
  std::deque<Hash256> order_;  // oldest first
  size_t decoded_count_ = 0;
};

}  // namespace coopchain

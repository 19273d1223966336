// StateCache: a bounded read cache in front of the committed state. Every transaction reads the
// same few records (its signer's key and organization, the farm, its lot index, the yield
// tally), and looks up its own id several times on its way into a block (on admission, in the
// rules, on every follower). Each of those reads is a RocksDB lookup without the cache.
//
// What it keeps: records read while present, and transaction ids, committed or not. A state key
// read while absent is not kept: on the write path that is a record about to be created (a new
// lot), read once per node, and remembering its absence cost more than the second lookup it
// could save. A committed block updates the entries the cache holds and adds its transactions;
// what it writes to keys the cache does not hold is read from the base when it is asked for.
//
// Invariant: every answer equals the base reader's, provided that every change to the base goes
// through apply() right after it is written, deletions included. It is an optimization only: it
// decides nothing, and nothing iterates it.
//
// Memory is bounded by two generations: reads fill the newer one; when it exceeds half the
// budget it becomes the older one and the one before is dropped, so the entries read most
// recently stay. NOT thread-safe: the owner (the node's strand) serializes every call.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "coopchain/state/hashing.h"
#include "coopchain/state/state_view.h"

namespace coopchain {

class StateCache final : public StateReader {
 public:
  // REQUIRES: base outlives the cache.
  StateCache(const StateReader& base, size_t budget_bytes);

  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override;

  // Records what a committed block wrote to the base: its state changes and its transactions.
  void apply(const StateChanges& changes, std::span<const Hash256> committed_txs);

  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

 private:
  using Values =
      std::unordered_map<std::string, std::optional<std::string>, StringHash, std::equal_to<>>;
  using Txs = std::unordered_map<Hash256, bool, TxIdHash>;

  // Finds key in either generation; moves an older entry into the newer one.
  const std::optional<std::string>* find(std::string_view key) const;
  void remember(std::string key, std::optional<std::string> value) const;
  void remember_tx(const Hash256& id, bool committed) const;
  void rotate_if_full() const;

  const StateReader& base_;
  const size_t generation_bytes_;
  mutable Values values_;
  mutable Values older_values_;
  mutable Txs txs_;
  mutable Txs older_txs_;
  mutable size_t bytes_ = 0;  // approximate size of the newer generation
  mutable size_t hits_ = 0;
  mutable size_t misses_ = 0;
};

}  // namespace coopchain

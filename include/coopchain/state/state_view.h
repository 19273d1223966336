// The world state as ordered key/value bytes, the overlay that stages a block's (or a
// transaction's) writes on top of it, and the state root that commits to every change.
//
// The state root after block h is
//   SHA-256("coopchain/state/v1" || root(h-1) || u64 h || changes of block h in key order),
// each change encoded as bytes(key) || u8 present || bytes(value). It is cheap to maintain
// (proportional to a block's writes, not to the size of the state) and two nodes agree on it
// exactly when they applied the same changes from the same genesis. Genesis is height 0 with
// root(-1) = 32 zero bytes.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "coopchain/core/hash.h"
#include "coopchain/state/hashing.h"

namespace coopchain {

// Read access to committed state. Implementations are the RocksDB store and the in-memory
// store used by tests, the simulator and the auditor.
// REQUIRES: reads are deterministic for a given committed height. A storage failure while
// reading is fatal to the process (a node must not decide validity from a failing disk).
class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Whether a transaction with this id is already committed.
  virtual bool has_transaction(const Hash256& id) const = 0;
};

// Writes are a key mapped to its new value, or to nullopt for a deletion.
using StateChanges = std::map<std::string, std::optional<std::string>, std::less<>>;

// Staged writes over a base reader: a block's (or the leader's queue's) writes. A transaction
// is applied under a Savepoint and undone if the rules refuse it, so a rejected transaction
// leaves no trace without staging it separately. Its own index is hashed (a transaction's reads
// and writes are point lookups, several per transaction on every node); the key order the state
// root needs is established once, when the changes are taken. NOT thread-safe; the base must
// outlive the overlay.
class StateOverlay final : public StateReader {
 public:
  using TxIds = std::unordered_set<Hash256, TxIdHash>;

  // Undoes every write and transaction staged after it unless kept. Savepoints nest; the
  // innermost one must end first.
  class Savepoint {
   public:
    explicit Savepoint(StateOverlay& state);
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint();
    void keep();

   private:
    StateOverlay& state_;
    size_t writes_;
    size_t txs_;
    bool open_ = true;
  };

  explicit StateOverlay(const StateReader& base) : base_(base) {}
  // The undo journal points into this overlay's own entries.
  StateOverlay(const StateOverlay&) = delete;
  StateOverlay& operator=(const StateOverlay&) = delete;

  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override;

  void put(std::string key, std::string value);
  void erase(std::string key);
  void add_transaction(const Hash256& id);

  // The staged writes in key order (a copy).
  StateChanges changes() const;
  // Hands over the staged writes in key order, leaving the overlay without writes.
  // REQUIRES: no savepoint is open.
  StateChanges release_changes();
  const TxIds& transactions() const { return txs_; }
  // Whether a write (or an erase) of `key` is staged.
  bool writes(std::string_view key) const { return changes_.find(key) != changes_.end(); }

 private:
  using Writes =
      std::unordered_map<std::string, std::optional<std::string>, StringHash, std::equal_to<>>;
  // What a write under a savepoint replaced. The key points at the entry's own key: an entry is
  // erased only when the record that created it is undone, which is the last one undone for it.
  struct Undo {
    const std::string* key;
    std::optional<std::optional<std::string>> previous;  // nullopt: the key was not staged
  };

  void write(std::string key, std::optional<std::string> value);
  void undo_to(size_t writes, size_t txs);

  const StateReader& base_;
  Writes changes_;
  TxIds txs_;
  size_t open_savepoints_ = 0;
  std::vector<Undo> undo_;
  std::vector<Hash256> undo_txs_;
};

// An in-memory committed state: the auditor's replay, tests and the simulator.
class MemoryState final : public StateReader {
 public:
  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override { return txs_.count(id) != 0; }
  template <typename TxIdRange = std::vector<Hash256>>
  void apply(const StateChanges& changes, const TxIdRange& txs) {
    apply_changes(changes);
    txs_.insert(txs.begin(), txs.end());
  }
  const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

 private:
  void apply_changes(const StateChanges& changes);

  std::map<std::string, std::string, std::less<>> entries_;
  std::set<Hash256> txs_;
};

Hash256 next_state_root(const Hash256& previous_root, uint64_t height, const StateChanges& changes);

}  // namespace coopchain

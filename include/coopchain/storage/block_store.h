// BlockStore: the node's RocksDB database (the only code that includes RocksDB). It holds the
// chain (blocks by height, hash → height, tx id → location, quorum certificates), the world
// state, and consensus metadata, in the column families listed in docs/storage-format.md.
//
// Invariant: a committed block, its quorum certificate, its tx index entries, its state changes
// and the new head record are written in ONE WriteBatch. After any crash the database is at a
// block boundary: either all of a block is there or none of it.
//
// Durability: a kSynced write is on disk when it returns. A kBuffered write is in the
// write-ahead log but not yet synced; sync() makes it and every write before it durable (one
// fsync for many writes: the node's group commit). A crash before that loses a suffix of the
// buffered writes, never part of one and never one without those before it.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"
#include "coopchain/state/state_view.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Snapshot;
struct WriteOptions;
}  // namespace rocksdb

namespace coopchain {

inline constexpr uint32_t kStorageFormatVersion = 8;

// The column families in their on-disk order (docs/storage-format.md); "default" holds meta.
inline constexpr std::array<const char*, 7> kColumnFamilies = {
    "default", "blocks", "block_hash", "tx_index", "qc", "state", "consensus"};

struct StoreOptions {
  std::string path;
  bool create_if_missing = true;
  bool read_only = false;
  // Write every committed block with sync=true. Only tests that do not care about crashes may
  // turn it off.
  bool sync_writes = true;
  // A block or certificate that cannot be read, does not decode, or is missing below the head
  // means the disk lost data. The node stops at once (fatal) rather than serve or vote on a
  // guess; tools that report damage (audit, verify-db) get a Corruption status instead.
  bool corruption_is_fatal = true;
};

enum class Durability { kSynced, kBuffered };

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
  bool operator==(const TxLocation&) const = default;
};

// The derived tables an auditor walks whole (docs/storage-format.md).
enum class StoreTable { kState, kBlockHash, kTxIndex };

// Decoders for the index values, shared by the store and the auditor; nullopt when the bytes are
// not a well-formed entry.
std::optional<uint64_t> decode_height_entry(std::string_view bytes);
std::optional<TxLocation> decode_tx_location(std::string_view bytes);

class BlockStore;

// The committed chain as it stood at one head, frozen: a RocksDB snapshot. Readers on any
// thread use it while the node goes on committing; it sees nothing written after it was taken
// (take it only after the head's writes are synced: then everything it shows is durable).
// Thread-safe. REQUIRES: the BlockStore outlives it.
class ChainView final : public StateReader {
 public:
  ~ChainView() override;
  ChainView(const ChainView&) = delete;
  ChainView& operator=(const ChainView&) = delete;

  const ChainHead& head() const { return head_; }
  Result<Block> block(uint64_t height) const;
  Result<QuorumCertificate> quorum_certificate(uint64_t height) const;
  std::optional<TxLocation> locate_transaction(const Hash256& id) const;
  // The genesis JSON the database was initialized with, byte for byte.
  Result<std::string> genesis_json() const;
  // StateReader over the state after head(). A read error aborts the process.
  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override;

 private:
  friend class BlockStore;
  ChainView(const BlockStore& store, const rocksdb::Snapshot* snapshot, ChainHead head);
  const BlockStore& store_;
  const rocksdb::Snapshot* snapshot_;
  ChainHead head_;
};

class BlockStore final : public StateReader {
 public:
  static Result<std::unique_ptr<BlockStore>> open(const StoreOptions& options);
  ~BlockStore() override;
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  // Nothing stored yet: the node must initialize it from a genesis.
  bool empty() const { return !head_.has_value(); }
  const std::optional<ChainHead>& head() const { return head_; }

  // Writes genesis as block 0 (no transactions, prev_hash = genesis hash, state_root over the
  // genesis state) together with the genesis state and the genesis JSON, in one synced batch.
  // REQUIRES: empty().
  Status initialize(const Genesis& genesis, std::string_view genesis_json,
                    const StateChanges& genesis_state);

  // Appends block head+1 with everything it implies. REQUIRES: block.header.height ==
  // head()->height + 1 and prev_hash == head()->hash (checked; a mismatch is an error).
  Status commit_block(const Block& block, const QuorumCertificate& qc, const StateChanges& changes,
                      Durability durability = Durability::kSynced);
  // The same, given the ids of block.txs in order (checked by count only: the caller computed
  // them from these very transactions).
  Status commit_block(const Block& block, std::span<const Hash256> tx_ids,
                      const QuorumCertificate& qc, const StateChanges& changes,
                      Durability durability);
  // Makes every buffered write durable; a no-op when nothing is buffered.
  Status sync();
  // The first write or sync that failed (disk full, I/O error). Once set, every later write and
  // sync returns it without touching the database: after a failed write RocksDB must not be
  // asked to sync (it asserts), and nothing written after a lost write may become durable.
  const Status& write_failure() const { return write_failure_; }
  // Reads every table file and checks its block checksums (RocksDB's VerifyChecksum).
  Status verify_checksums() const;

  Result<Block> block(uint64_t height) const;
  Result<QuorumCertificate> quorum_certificate(uint64_t height) const;
  std::optional<uint64_t> height_of(const Hash256& block_hash) const;
  std::optional<TxLocation> locate_transaction(const Hash256& id) const;
  // The genesis JSON this database was initialized with.
  Result<std::string> genesis_json() const;

  // Consensus metadata (term, vote, accepted blocks) as opaque values.
  Status put_meta(std::string_view key, std::string_view value,
                  Durability durability = Durability::kSynced);
  Status delete_meta(std::string_view key, Durability durability = Durability::kSynced);
  std::optional<std::string> get_meta(std::string_view key) const;
  // Visits the metadata entries whose key starts with `prefix`, in key order.
  Status scan_meta(
      std::string_view prefix,
      const std::function<void(std::string_view key, std::string_view value)>& visit) const;

  // StateReader over committed state. A read error aborts the process (see state_view.h).
  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override;

  // The chain as it stands now, frozen for readers on other threads. REQUIRES: !empty().
  std::shared_ptr<const ChainView> view() const;

  // Visits every entry of `table` in key order until `visit` returns false. Errors are read
  // errors of the database.
  Status scan(StoreTable table,
              const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

  // The startup check: the head record, the head block, its state root and its stored
  // certificate agree. Signatures are checked by the caller, which knows the validators.
  Status check_consistency() const;

 private:
  friend class ChainView;
  BlockStore() = default;
  Status load_head();
  // Reads at `snapshot` (nullptr: the latest writes). NotFound is nullopt; other errors are
  // returned.
  Result<std::optional<std::string>> try_read(size_t cf, std::string_view key,
                                              const rocksdb::Snapshot* snapshot) const;
  // try_read for callers that cannot report an error (StateReader): an error is fatal.
  std::optional<std::string> read(size_t cf, std::string_view key,
                                  const rocksdb::Snapshot* snapshot) const;
  // Damage found by a read is fatal or returned as StoreOptions::corruption_is_fatal says;
  // the start-up check always has it returned, to report it in its own words.
  enum class OnDamage { kPerOptions, kReturn };
  // The record of `cf` at `height`: one from `first_required` to `head_height` must be there
  // (its absence is damage); NotFound otherwise.
  Result<std::string> read_at_height(size_t cf, std::string_view what, uint64_t height,
                                     const rocksdb::Snapshot* snapshot, uint64_t first_required,
                                     uint64_t head_height, OnDamage on_damage) const;
  // Blocks and certificates at or below `head_height` must be there and decode.
  Result<Block> read_block(uint64_t height, const rocksdb::Snapshot* snapshot, uint64_t head_height,
                           OnDamage on_damage = OnDamage::kPerOptions) const;
  Result<QuorumCertificate> read_qc(uint64_t height, const rocksdb::Snapshot* snapshot,
                                    uint64_t head_height,
                                    OnDamage on_damage = OnDamage::kPerOptions) const;
  Status damaged(Status status, OnDamage on_damage) const;
  // Records the first failed write; returns `status`.
  Status note_write(Status status);
  std::optional<TxLocation> read_location(const Hash256& id,
                                          const rocksdb::Snapshot* snapshot) const;

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::WriteOptions write_options(Durability durability);

  std::optional<ChainHead> head_;
  bool buffered_ = false;  // a kBuffered write since the last sync
  Status write_failure_;
};

}  // namespace coopchain

#include "coopchain/storage/block_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "coopchain/core/codec.h"
#include "coopchain/core/fatal.h"

namespace coopchain {
namespace {

// Shared by every column family: the working set of a cooperative's node (recent blocks, the
// state it reads) fits, and a small machine keeps its memory.
constexpr size_t kBlockCacheBytes = 64 << 20;
// Memtables of every column family together, and the write-ahead log kept on disk.
constexpr size_t kMemtableBudgetBytes = 64 << 20;
constexpr uint64_t kWalBudgetBytes = 64 << 20;
// A memtable's bloom filter, as a share of its write buffer size.
constexpr double kMemtableBloomRatio = 0.01;

// Indexes into kColumnFamilies.
enum Cf : size_t { kMeta = 0, kBlocks, kBlockHash, kTxIndex, kQc, kState, kConsensus, kCfCount };
static_assert(kCfCount == kColumnFamilies.size());

constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kGenesisKey = "genesis";
constexpr std::string_view kFormatKey = "format_version";

std::string height_key(uint64_t height) {
  Writer w;
  w.u64(height);
  return std::move(w).data();
}

std::string encode_head(const ChainHead& h) {
  Writer w;
  w.u64(h.height).hash(h.hash).hash(h.state_root).i64(h.time_ms);
  return std::move(w).data();
}

std::optional<ChainHead> decode_head(std::string_view bytes) {
  Reader r(bytes);
  ChainHead h;
  h.height = r.u64();
  h.hash = r.hash();
  h.state_root = r.hash();
  h.time_ms = r.i64();
  if (!r.at_end_ok()) return std::nullopt;
  return h;
}

std::string encode_location(const TxLocation& loc) {
  Writer w;
  w.u64(loc.height).u32(loc.index);
  return std::move(w).data();
}

Status from_rocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(std::string(what) + ": " + s.ToString());
  return Status::IOError(std::string(what) + ": " + s.ToString());
}

rocksdb::Slice slice(std::string_view s) {
  return {s.data(), s.size()};
}
rocksdb::Slice slice(const Hash256& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

}  // namespace

std::optional<uint64_t> decode_height_entry(std::string_view bytes) {
  Reader r(bytes);
  const uint64_t height = r.u64();
  if (!r.at_end_ok()) return std::nullopt;
  return height;
}

std::optional<TxLocation> decode_tx_location(std::string_view bytes) {
  Reader r(bytes);
  TxLocation loc;
  loc.height = r.u64();
  loc.index = r.u32();
  if (!r.at_end_ok()) return std::nullopt;
  return loc;
}

Result<std::unique_ptr<BlockStore>> BlockStore::open(const StoreOptions& options) {
  std::unique_ptr<BlockStore> store(new BlockStore());
  store->options_ = options;
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = options.create_if_missing;
  db_options.max_open_files = 256;
  db_options.keep_log_file_num = 4;
  // Bounded memory and disk on a small machine. The memtables of all column families share one
  // budget. The write-ahead log is bounded too: a file is freed only when every column family
  // that wrote to it has flushed, and the small ones (head, consensus metadata) would otherwise
  // pin every log file for as long as the node runs (measured: 1.4 KB of log per event kept).
  db_options.db_write_buffer_size = kMemtableBudgetBytes;
  db_options.max_total_wal_size = kWalBudgetBytes;
  // Most lookups on the write path miss: a new transaction's id, a new lot's key. Bloom filters
  // answer those without reading the tables and, over whole keys in the memtable, without
  // searching its skip list (that search was 9 % of a follower's strand).
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.memtable_whole_key_filtering = true;
  cf_options.memtable_prefix_bloom_size_ratio = kMemtableBloomRatio;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name : kColumnFamilies) cfs.emplace_back(name, cf_options);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, cfs, &store->handles_, &raw)
          : rocksdb::DB::Open(db_options, options.path, cfs, &store->handles_, &raw);
  if (!s.ok()) return from_rocks(s, "cannot open the database at " + options.path);
  store->db_.reset(raw);
  std::string format;
  s = store->db_->Get(rocksdb::ReadOptions(), store->handles_[kMeta], kFormatKey, &format);
  if (s.ok() && format != std::to_string(kStorageFormatVersion)) {
    return Status::Corruption("database at " + options.path + " has storage format " + format +
                              "; this build reads format " + std::to_string(kStorageFormatVersion));
  }
  Status st = store->load_head();
  if (!st.ok()) return st;
  return store;
}

BlockStore::~BlockStore() {
  if (!write_failure_.ok()) {
    // RocksDB's close would sync the log it failed to write to, which its Debian build
    // asserts on. Leave it: the process is stopping, and the next open recovers from the log.
    handles_.clear();
    (void)db_.release();
    return;
  }
  for (auto* h : handles_) {
    if (db_) (void)db_->DestroyColumnFamilyHandle(h);
  }
  handles_.clear();
  if (db_) (void)db_->Close();
}

Status BlockStore::load_head() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[kMeta], kHeadKey, &value);
  if (s.IsNotFound()) {
    head_.reset();
    return Status::Ok();
  }
  if (!s.ok()) return from_rocks(s, "reading the head record");
  head_ = decode_head(value);
  if (!head_) return Status::Corruption("the head record does not decode");
  return Status::Ok();
}

Status BlockStore::initialize(const Genesis& genesis, std::string_view genesis_json,
                              const StateChanges& genesis_state) {
  if (!empty()) return Status(StatusCode::kAlreadyExists, "the database already holds a chain");
  Block block0;
  block0.header = genesis_header(genesis, next_state_root(Hash256{}, 0, genesis_state));
  rocksdb::WriteBatch batch;
  const Hash256 hash = block0.hash();
  batch.Put(handles_[kBlocks], height_key(0), encode_block(block0));
  batch.Put(handles_[kBlockHash], slice(hash), height_key(0));
  for (const auto& [k, v] : genesis_state) {
    if (v) batch.Put(handles_[kState], k, *v);
  }
  ChainHead head{0, hash, block0.header.state_root, block0.header.time_ms};
  batch.Put(handles_[kMeta], kHeadKey, encode_head(head));
  batch.Put(handles_[kMeta], kGenesisKey, slice(genesis_json));
  batch.Put(handles_[kMeta], kFormatKey, std::to_string(kStorageFormatVersion));
  if (!write_failure_.ok()) return write_failure_;
  rocksdb::WriteOptions wo;
  wo.sync = true;
  Status st = note_write(from_rocks(db_->Write(wo, &batch), "writing genesis"));
  if (st.ok()) head_ = head;
  return st;
}

Status BlockStore::note_write(Status status) {
  if (!status.ok() && write_failure_.ok()) write_failure_ = status;
  return status;
}

Status BlockStore::damaged(Status status, OnDamage on_damage) const {
  if (options_.corruption_is_fatal && on_damage == OnDamage::kPerOptions) {
    fatal("the database at " + options_.path + " is damaged: " + status.message() +
          ". The node stops rather than serve or vote on what it cannot read; run `coopchain "
          "verify-db --data-dir " +
          options_.path + "` and see docs/operations.md (Corruption)");
  }
  return status;
}

Status BlockStore::verify_checksums() const {
  return from_rocks(db_->VerifyChecksum(), "verifying the table files' checksums");
}

rocksdb::WriteOptions BlockStore::write_options(Durability durability) {
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes && durability == Durability::kSynced;
  if (options_.sync_writes && durability == Durability::kBuffered) buffered_ = true;
  return wo;
}

Status BlockStore::sync() {
  if (!write_failure_.ok()) return write_failure_;
  if (!buffered_) return Status::Ok();
  Status st = note_write(from_rocks(db_->SyncWAL(), "syncing the write-ahead log"));
  if (st.ok()) buffered_ = false;
  return st;
}

Status BlockStore::commit_block(const Block& block, const QuorumCertificate& qc,
                                const StateChanges& changes, Durability durability) {
  std::vector<Hash256> ids;
  ids.reserve(block.txs.size());
  for (const auto& tx : block.txs) ids.push_back(tx.id());
  return commit_block(block, ids, qc, changes, durability);
}

Status BlockStore::commit_block(const Block& block, std::span<const Hash256> tx_ids,
                                const QuorumCertificate& qc, const StateChanges& changes,
                                Durability durability) {
  if (!head_) return Status::Internal("commit_block before initialize");
  if (!write_failure_.ok()) return write_failure_;
  if (tx_ids.size() != block.txs.size()) {
    return Status::Internal("commit_block given " + std::to_string(tx_ids.size()) + " ids for " +
                            std::to_string(block.txs.size()) + " transactions");
  }
  const BlockHeader& h = block.header;
  if (h.height != head_->height + 1 || h.prev_hash != head_->hash) {
    return Status::Internal("block " + std::to_string(h.height) + " does not extend head " +
                            std::to_string(head_->height));
  }
  const Hash256 hash = block.hash();
  rocksdb::WriteBatch batch;
  batch.Put(handles_[kBlocks], height_key(h.height), encode_block(block));
  batch.Put(handles_[kBlockHash], slice(hash), height_key(h.height));
  batch.Put(handles_[kQc], height_key(h.height), encode_qc(qc));
  for (uint32_t i = 0; i < tx_ids.size(); ++i) {
    batch.Put(handles_[kTxIndex], slice(tx_ids[i]), encode_location({h.height, i}));
  }
  for (const auto& [k, v] : changes) {
    if (v) {
      batch.Put(handles_[kState], k, *v);
    } else {
      batch.Delete(handles_[kState], k);
    }
  }
  ChainHead head{h.height, hash, h.state_root, h.time_ms};
  batch.Put(handles_[kMeta], kHeadKey, encode_head(head));
  Status st = note_write(from_rocks(db_->Write(write_options(durability), &batch),
                                    "committing block " + std::to_string(h.height)));
  if (st.ok()) head_ = head;
  return st;
}

Result<std::optional<std::string>> BlockStore::try_read(size_t cf, std::string_view key,
                                                        const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(ro, handles_[cf], slice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return from_rocks(s, std::string("reading from ") + kColumnFamilies[cf]);
  return std::optional<std::string>(std::move(value));
}

std::optional<std::string> BlockStore::read(size_t cf, std::string_view key,
                                            const rocksdb::Snapshot* snapshot) const {
  auto value = try_read(cf, key, snapshot);
  if (!value.ok()) {
    // The rules read state through here and have no way to carry an error; guessing a value
    // would fork this node from the others.
    fatal("storage read error: " + value.status().message() + " (see docs/operations.md)");
  }
  return std::move(value).value();
}

Result<std::string> BlockStore::read_at_height(size_t cf, std::string_view what, uint64_t height,
                                               const rocksdb::Snapshot* snapshot,
                                               uint64_t first_required, uint64_t head_height,
                                               OnDamage on_damage) const {
  const std::string where = "the " + std::string(what) + " at height " + std::to_string(height);
  auto value = try_read(cf, height_key(height), snapshot);
  if (!value.ok()) {
    return damaged(Status::Corruption(where + ": " + value.status().message()), on_damage);
  }
  if (!*value) {
    if (height >= first_required && height <= head_height) {
      return damaged(
          Status::Corruption(where + " is missing below the head " + std::to_string(head_height)),
          on_damage);
    }
    return Status::NotFound("no " + std::string(what) + " at height " + std::to_string(height));
  }
  return std::move(**value);
}

Result<Block> BlockStore::read_block(uint64_t height, const rocksdb::Snapshot* snapshot,
                                     uint64_t head_height, OnDamage on_damage) const {
  auto bytes = read_at_height(kBlocks, "block", height, snapshot, 0, head_height, on_damage);
  if (!bytes.ok()) return bytes.status();
  auto block = decode_block(*bytes);
  if (!block.ok()) {
    return damaged(Status::Corruption("the block at height " + std::to_string(height) +
                                      " does not decode: " + block.status().message()),
                   on_damage);
  }
  return block;
}

Result<QuorumCertificate> BlockStore::read_qc(uint64_t height, const rocksdb::Snapshot* snapshot,
                                              uint64_t head_height, OnDamage on_damage) const {
  // Block 0 (genesis) has none.
  auto bytes =
      read_at_height(kQc, "quorum certificate", height, snapshot, 1, head_height, on_damage);
  if (!bytes.ok()) return bytes.status();
  auto qc = decode_qc(*bytes);
  if (!qc.ok()) {
    return damaged(Status::Corruption("the quorum certificate at height " + std::to_string(height) +
                                      " does not decode: " + qc.status().message()),
                   on_damage);
  }
  return qc;
}

std::optional<TxLocation> BlockStore::read_location(const Hash256& id,
                                                    const rocksdb::Snapshot* snapshot) const {
  auto value = read(kTxIndex, Sha256Builder::as_view(id), snapshot);
  if (!value) return std::nullopt;
  return decode_tx_location(*value);
}

Result<Block> BlockStore::block(uint64_t height) const {
  return read_block(height, nullptr, head_ ? head_->height : 0);
}

Result<QuorumCertificate> BlockStore::quorum_certificate(uint64_t height) const {
  return read_qc(height, nullptr, head_ ? head_->height : 0);
}

std::optional<uint64_t> BlockStore::height_of(const Hash256& block_hash) const {
  auto value = read(kBlockHash, Sha256Builder::as_view(block_hash), nullptr);
  if (!value) return std::nullopt;
  return decode_height_entry(*value);
}

std::optional<TxLocation> BlockStore::locate_transaction(const Hash256& id) const {
  return read_location(id, nullptr);
}

std::shared_ptr<const ChainView> BlockStore::view() const {
  return std::shared_ptr<const ChainView>(new ChainView(*this, db_->GetSnapshot(), *head_));
}

ChainView::ChainView(const BlockStore& store, const rocksdb::Snapshot* snapshot, ChainHead head)
    : store_(store), snapshot_(snapshot), head_(head) {}

ChainView::~ChainView() {
  store_.db_->ReleaseSnapshot(snapshot_);
}

Result<Block> ChainView::block(uint64_t height) const {
  return store_.read_block(height, snapshot_, head_.height);
}

Result<QuorumCertificate> ChainView::quorum_certificate(uint64_t height) const {
  return store_.read_qc(height, snapshot_, head_.height);
}

std::optional<TxLocation> ChainView::locate_transaction(const Hash256& id) const {
  return store_.read_location(id, snapshot_);
}

std::optional<std::string> ChainView::get(std::string_view key) const {
  return store_.read(kState, key, snapshot_);
}

Result<std::string> ChainView::genesis_json() const {
  auto value = store_.read(kMeta, kGenesisKey, snapshot_);
  if (!value) return Status::Corruption("the database holds no genesis");
  return std::move(*value);
}

bool ChainView::has_transaction(const Hash256& id) const {
  return locate_transaction(id).has_value();
}

Result<std::string> BlockStore::genesis_json() const {
  auto value = read(kMeta, kGenesisKey, nullptr);
  if (!value) return Status::Corruption("the database holds no genesis");
  return std::move(*value);
}

Status BlockStore::put_meta(std::string_view key, std::string_view value, Durability durability) {
  if (!write_failure_.ok()) return write_failure_;
  return note_write(from_rocks(
      db_->Put(write_options(durability), handles_[kConsensus], slice(key), slice(value)),
      "writing consensus metadata"));
}

Status BlockStore::delete_meta(std::string_view key, Durability durability) {
  if (!write_failure_.ok()) return write_failure_;
  return note_write(
      from_rocks(db_->Delete(write_options(durability), handles_[kConsensus], slice(key)),
                 "deleting consensus metadata"));
}

Status BlockStore::scan_meta(
    std::string_view prefix,
    const std::function<void(std::string_view key, std::string_view value)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), handles_[kConsensus]));
  for (it->Seek(slice(prefix)); it->Valid() && it->key().starts_with(slice(prefix)); it->Next()) {
    const rocksdb::Slice k = it->key();
    const rocksdb::Slice v = it->value();
    visit({k.data(), k.size()}, {v.data(), v.size()});
  }
  return from_rocks(it->status(), "reading consensus metadata");
}

std::optional<std::string> BlockStore::get_meta(std::string_view key) const {
  return read(kConsensus, key, nullptr);
}

std::optional<std::string> BlockStore::get(std::string_view key) const {
  return read(kState, key, nullptr);
}

bool BlockStore::has_transaction(const Hash256& id) const {
  return locate_transaction(id).has_value();
}

Status BlockStore::scan(
    StoreTable table,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  const Cf cf = table == StoreTable::kState       ? kState
                : table == StoreTable::kBlockHash ? kBlockHash
                                                  : kTxIndex;
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // a whole-table walk must not evict the working set
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handles_[cf]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    const rocksdb::Slice v = it->value();
    if (!visit({k.data(), k.size()}, {v.data(), v.size()})) break;
  }
  return from_rocks(it->status(), "scanning the database");
}

Status BlockStore::check_consistency() const {
  if (!head_) return Status::Ok();
  auto head_block = read_block(head_->height, nullptr, head_->height, OnDamage::kReturn);
  if (!head_block.ok()) {
    return Status::Corruption("head record names height " + std::to_string(head_->height) +
                              " but that block is missing: " + head_block.status().message());
  }
  if (head_block->hash() != head_->hash) {
    return Status::Corruption("head block hash " + to_hex(head_block->hash()) +
                              " differs from the head record's " + to_hex(head_->hash));
  }
  if (head_block->header.state_root != head_->state_root) {
    return Status::Corruption("head block's state root " + to_hex(head_block->header.state_root) +
                              " differs from the stored state root " + to_hex(head_->state_root));
  }
  // Nothing may be stored above the head: that would be a block without its state.
  if (read_block(head_->height + 1, nullptr, head_->height, OnDamage::kReturn).ok()) {
    return Status::Corruption("a block is stored above the head height " +
                              std::to_string(head_->height));
  }
  if (head_->height == 0) return Status::Ok();
  auto qc = read_qc(head_->height, nullptr, head_->height, OnDamage::kReturn);
  if (!qc.ok()) {
    return Status::Corruption("head block " + std::to_string(head_->height) +
                              " has no quorum certificate: " + qc.status().message());
  }
  if (qc->block_hash != head_->hash || qc->height != head_->height) {
    return Status::Corruption("the quorum certificate at the head certifies another block");
  }
  return Status::Ok();
}

}  // namespace coopchain

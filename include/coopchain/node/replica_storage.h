// The consensus replica's durable storage over the node's BlockStore: committed blocks, their
// certificates and the state through BlockStore itself; the term, the vote and each accepted but
// uncommitted block (one record per height) in its consensus column family. Every write is
// buffered in the write-ahead log and made durable by sync(). Committed state is read through a
// cache that each commit keeps current (the replica reads the same records for every
// transaction); nothing else may write the store's state while this object is in use.
#pragma once

#include <vector>

#include "coopchain/consensus/storage.h"
#include "coopchain/state/state_cache.h"
#include "coopchain/storage/block_store.h"

namespace coopchain {

class BlockStoreReplicaStorage final : public consensus::ReplicaStorage {
 public:
  // The committed-state cache holds at most about this many bytes.
  static constexpr size_t kStateCacheBytes = 8 << 20;

  explicit BlockStoreReplicaStorage(BlockStore& store)
      : store_(store), state_cache_(store, kStateCacheBytes) {}

  // Through the cache. Strand-only, like every other call.
  const StateReader& committed_state() const override { return state_cache_; }
  uint64_t committed_height() const override { return store_.head()->height; }
  Result<Block> committed_block(uint64_t height) const override { return store_.block(height); }
  Result<QuorumCertificate> certificate(uint64_t height) const override {
    return store_.quorum_certificate(height);
  }
  Status commit(const Block& block, std::span<const Hash256> tx_ids, const QuorumCertificate& qc,
                const StateChanges& changes) override {
    Status st = store_.commit_block(block, tx_ids, qc, changes, Durability::kBuffered);
    if (!st.ok()) return st;
    state_cache_.apply(changes, tx_ids);
    // Its saved copy is stale now; one that outlives a crash is skipped on restart.
    return store_.delete_meta(uncommitted_key(block.header.height), Durability::kBuffered);
  }

  consensus::HardState hard_state() const override;
  Status save_hard_state(const consensus::HardState& state) override;
  std::vector<Block> uncommitted_blocks() const override;
  Status save_uncommitted_block(const Block& block) override;
  Status drop_uncommitted_from(uint64_t height) override;
  Status sync() override { return store_.sync(); }

 private:
  static std::string uncommitted_key(uint64_t height);

  BlockStore& store_;
  StateCache state_cache_;
};

}  // namespace coopchain

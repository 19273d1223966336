// The consensus replica's durable storage over the node's BlockStore: committed blocks, their
// certificates and the state through BlockStore itself; the term, the vote and each accepted but
// uncommitted block (one record per height) in its consensus column family. Every write is
// buffered in the write-ahead log and made durable by sync().
#pragma once

#include "coopchain/consensus/storage.h"
#include "coopchain/storage/block_store.h"

namespace coopchain {

class BlockStoreReplicaStorage final : public consensus::ReplicaStorage {
 public:
  explicit BlockStoreReplicaStorage(BlockStore& store) : store_(store) {}

  const StateReader& committed_state() const override { return store_; }
  uint64_t committed_height() const override { return store_.head()->height; }
  Result<Block> committed_block(uint64_t height) const override { return store_.block(height); }
  Result<QuorumCertificate> certificate(uint64_t height) const override {
    return store_.quorum_certificate(height);
  }
  Status commit(const Block& block, const QuorumCertificate& qc,
                const StateChanges& changes) override {
    Status st = store_.commit_block(block, qc, changes, Durability::kBuffered);
    // Its saved copy is stale now; one that outlives a crash is skipped on restart.
    if (st.ok())
      st = store_.delete_meta(uncommitted_key(block.header.height), Durability::kBuffered);
    return st;
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
};

}  // namespace coopchain

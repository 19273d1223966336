// The consensus replica's durable storage over the node's BlockStore: committed blocks, their
// certificates and the state through BlockStore itself; the term, the vote and the accepted but
// uncommitted blocks as records in its consensus column family. Every write is synced.
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
    return store_.commit_block(block, qc, changes);
  }

  consensus::HardState hard_state() const override;
  Status save_hard_state(const consensus::HardState& state) override;
  std::vector<Block> uncommitted_blocks() const override;
  Status save_uncommitted_blocks(const std::vector<Block>& blocks) override;

 private:
  BlockStore& store_;
};

}  // namespace coopchain

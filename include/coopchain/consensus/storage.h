// What a replica needs from durable storage. The node implements it over the BlockStore; the
// simulator over memory. Every call returns only once the data is durable: a replica persists
// its term and vote before it answers a vote request, and a block before it votes for it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/status.h"
#include "coopchain/state/state_view.h"

namespace coopchain::consensus {

struct HardState {
  uint64_t term = 0;
  std::string voted_for;  // empty: no vote in `term`
};

class ReplicaStorage {
 public:
  virtual ~ReplicaStorage() = default;

  // The committed chain and the state after its head.
  virtual const StateReader& committed_state() const = 0;
  virtual uint64_t committed_height() const = 0;
  virtual Result<Block> committed_block(uint64_t height) const = 0;
  virtual Result<QuorumCertificate> certificate(uint64_t height) const = 0;
  // Appends block committed_height()+1 with its certificate and state changes, atomically.
  virtual Status commit(const Block& block, const QuorumCertificate& qc,
                        const StateChanges& changes) = 0;

  virtual HardState hard_state() const = 0;
  virtual Status save_hard_state(const HardState& state) = 0;

  // Blocks above the committed head that this replica accepted but that are not committed yet,
  // lowest first. Saved whole whenever they change.
  virtual std::vector<Block> uncommitted_blocks() const = 0;
  virtual Status save_uncommitted_blocks(const std::vector<Block>& blocks) = 0;
};

}  // namespace coopchain::consensus

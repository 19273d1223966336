// What a replica needs from durable storage. The node implements it over the BlockStore; the
// simulator over memory. Writes may be buffered until sync(): the replica's owner calls it after
// every step (tick, receive, flush) and before it sends that step's messages or reports its
// outcomes, so a replica's term and vote are durable before it answers a vote request, a block
// before anyone learns of the vote for it, and a commit before a client is told — with one
// fsync per step however many writes the step made.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/status.h"
#include "coopchain/state/state_view.h"

namespace coopchain::consensus {

struct HardState {
  uint64_t term = 0;
  std::string voted_for;  // empty: no vote in `term`
  // When this replica entered `term`, by its clock: how far terms could have moved on since
  // bounds the term a peer may announce (0 when unknown, which bounds nothing).
  TimeMs term_entered_at = 0;
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
  // tx_ids are the ids of block.txs, in order: the replica has them already.
  virtual Status commit(const Block& block, std::span<const Hash256> tx_ids,
                        const QuorumCertificate& qc, const StateChanges& changes) = 0;

  virtual HardState hard_state() const = 0;
  virtual Status save_hard_state(const HardState& state) = 0;

  // Blocks this replica accepted above the committed head, lowest first. Saved blocks at or
  // below the committed height may be among them; the replica skips those.
  virtual std::vector<Block> uncommitted_blocks() const = 0;
  // Saves an accepted block, replacing any saved at its height.
  virtual Status save_uncommitted_block(const Block& block) = 0;
  // Forgets the saved blocks at `height` and above (the leader's chain replaced them).
  virtual Status drop_uncommitted_from(uint64_t height) = 0;

  // Makes every write so far durable.
  virtual Status sync() = 0;
};

}  // namespace coopchain::consensus

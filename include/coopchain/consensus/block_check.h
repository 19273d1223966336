// The block check: the one decision of whether a block is valid, shared by the replica (on every
// block a leader sends), the simulator (through the replica) and the auditor's replay. Nothing
// else decides validity.
//
// Pure: no I/O, no clock, no local config. A block's validity depends only on the chain — its
// genesis (chain id, validators), the parent header and the state after the parent (with the
// chain parameters in force: the genesis's as governance has changed them) —
// and on the block itself. The one input from outside the chain is `latest_time`: a node refuses
// a block from further in its future than the allowed skew; an auditor, replaying history, passes
// none.
//
// A block is valid when, in this order:
//   1. its header follows the parent: version, height + 1, previous hash, a later time (and, with
//      latest_time, not after it), a term no earlier than the parent's, a proposer that is a
//      validator in force for the block (validators_for);
//   2. it keeps the limits in force after the parent: at most max_block_txs transactions and
//      max_block_bytes bytes of them (payload and signature), and its transaction root is the
//      Merkle root of their ids;
//   3. every transaction decodes, is signed by its signer's key and passes the rules on the
//      parent's state at the block's height and time (re-execution);
//   4. its state root is the parent's root chained with the block's state changes.
// A committed block also needs its quorum certificate (check_certificate).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/state_view.h"

namespace coopchain::consensus {

// What does not hold, and what a valid block has there (empty when plain from `what`).
struct BlockFault {
  std::string what;
  std::string expected;

  std::string to_string() const;
};

// What a valid block does: the ids of its transactions in order and its state changes.
struct BlockEffects {
  std::vector<Hash256> tx_ids;
  StateChanges changes;
};

// Either the block's effects or the first fault found.
class BlockVerdict {
 public:
  static BlockVerdict valid(BlockEffects effects);
  static BlockVerdict invalid(std::string what, std::string expected = {});

  bool ok() const { return !fault_.has_value(); }
  const BlockFault& fault() const { return *fault_; }
  BlockEffects& effects() { return effects_; }

 private:
  std::optional<BlockFault> fault_;
  BlockEffects effects_;
};

struct BlockCheckInput {
  const Block& block;
  const BlockHeader& parent;
  const StateReader& state;  // after the parent
  // The block's transactions, decoded with their signatures verified (or the reason not), in
  // block order: the caller decodes them where it likes (worker threads, a cache).
  std::span<const Result<Transaction>> txs;
  // A node's clock plus the allowed skew; nullopt for a replay of history.
  std::optional<TimeMs> latest_time;
};

// `rules` carries the genesis (its chain id); validators and parameters come from the state.
BlockVerdict check_block(const Rules& rules, const BlockCheckInput& input);

// The size of a transaction against max_block_bytes.
inline uint64_t transaction_bytes(const SignedTransaction& tx) {
  return tx.payload.size() + tx.signature.size();
}

// The validators in force for block `height`: those whose majority certifies it and one of
// whom proposes it. Read from the state after block height − 1 (the chain's nodes/ record,
// the genesis's validators as governance has changed them); a later state serves as well until
// the validators next change.
std::vector<Validator> validators_for(const StateReader& state, uint64_t height);

// A committed block's certificate: votes of a majority of `validators` (those in force for the
// block), each once, all for this block's height and hash, in one term no earlier than the
// block's, on this chain (core's verify_quorum).
Status check_certificate(std::string_view chain_id, const std::vector<Validator>& validators,
                         const QuorumCertificate& qc, const BlockHeader& header);

}  // namespace coopchain::consensus

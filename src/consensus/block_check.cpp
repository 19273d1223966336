#include "coopchain/consensus/block_check.h"

#include <cassert>

#include "coopchain/core/quorum.h"
#include "coopchain/rules/execute.h"
#include "coopchain/state/world.h"

namespace coopchain::consensus {
namespace {

std::string height_name(uint64_t height) {
  return "block " + std::to_string(height);
}

// Step 1: the header against its parent.
std::optional<BlockFault> check_header(const std::vector<Validator>& validators,
                                       const BlockHeader& h, const BlockHeader& parent,
                                       std::optional<TimeMs> latest_time) {
  auto fault = [](std::string what, std::string expected) {
    return BlockFault{std::move(what), std::move(expected)};
  };
  if (h.version != kBlockVersion) {
    return fault("block version " + std::to_string(h.version),
                 "version " + std::to_string(kBlockVersion));
  }
  if (h.height != parent.height + 1) {
    return fault("the block after height " + std::to_string(parent.height) + " says it is height " +
                     std::to_string(h.height),
                 "height " + std::to_string(parent.height + 1));
  }
  const Hash256 parent_hash = block_hash(parent);
  if (h.prev_hash != parent_hash) {
    return fault("its previous hash is " + to_hex(h.prev_hash),
                 "the hash of " + height_name(parent.height) + ", " + to_hex(parent_hash));
  }
  if (h.time_ms <= parent.time_ms) {
    return fault("its time " + std::to_string(h.time_ms) + " ms does not move forward",
                 "a time after " + height_name(parent.height) + "'s " +
                     std::to_string(parent.time_ms) + " ms");
  }
  if (latest_time && h.time_ms > *latest_time) {
    return fault("its time " + std::to_string(h.time_ms) + " ms is in the future",
                 "a time no later than " + std::to_string(*latest_time) +
                     " ms (this node's clock plus the allowed skew)");
  }
  if (h.term < parent.term) {
    return fault("its term " + std::to_string(h.term) + " goes back",
                 "a term of at least " + std::to_string(parent.term));
  }
  if (find_validator(validators, h.proposer) == nullptr) {
    return fault("its proposer \"" + h.proposer + "\" is not a validator",
                 "one of the validators in force");
  }
  return std::nullopt;
}

// Step 2: the chain's limits and the transaction root.
std::optional<BlockFault> check_body(const RuleParams& params, const Block& block) {
  if (block.txs.size() > params.max_block_txs) {
    return BlockFault{
        "it holds " + std::to_string(block.txs.size()) + " transactions",
        "at most " + std::to_string(params.max_block_txs) + " (the chain's maxBlockTxs)"};
  }
  uint64_t bytes = 0;
  for (const auto& tx : block.txs) bytes += transaction_bytes(tx);
  if (bytes > params.max_block_bytes) {
    return BlockFault{
        "its transactions take " + std::to_string(bytes) + " bytes",
        "at most " + std::to_string(params.max_block_bytes) + " (the chain's maxBlockBytes)"};
  }
  const Hash256 tx_root = compute_tx_root(block.txs);
  if (tx_root != block.header.tx_root) {
    return BlockFault{"its transaction root " + to_hex(block.header.tx_root) +
                          " does not match its " + std::to_string(block.txs.size()) +
                          " transactions",
                      "the Merkle root of their ids, " + to_hex(tx_root)};
  }
  return std::nullopt;
}

}  // namespace

std::string BlockFault::to_string() const {
  return expected.empty() ? what : what + " (expected " + expected + ")";
}

BlockVerdict BlockVerdict::valid(BlockEffects effects) {
  BlockVerdict v;
  v.effects_ = std::move(effects);
  return v;
}

BlockVerdict BlockVerdict::invalid(std::string what, std::string expected) {
  BlockVerdict v;
  v.fault_ = BlockFault{std::move(what), std::move(expected)};
  return v;
}

BlockVerdict check_block(const Rules& rules, const BlockCheckInput& in) {
  const Block& block = in.block;
  const std::vector<Validator> validators = validators_for(in.state, block.header.height);
  if (auto f = check_header(validators, block.header, in.parent, in.latest_time)) {
    return BlockVerdict::invalid(std::move(f->what), std::move(f->expected));
  }
  // The limits in force after the parent: a change that passed in the parent binds this block.
  if (auto f = check_body(WorldView(in.state).params(), block)) {
    return BlockVerdict::invalid(std::move(f->what), std::move(f->expected));
  }
  // Step 3: decoding, signatures, then the rules on the parent's state.
  assert(in.txs.size() == block.txs.size());
  std::vector<const Transaction*> txs;
  txs.reserve(in.txs.size());
  for (size_t i = 0; i < in.txs.size(); ++i) {
    if (!in.txs[i].ok()) {
      return BlockVerdict::invalid("transaction " + std::to_string(i) + " (" +
                                       to_hex(block.txs[i].id()) +
                                       "): " + in.txs[i].status().to_string(),
                                   "a well-formed payload signed by its signer's key");
    }
    txs.push_back(&in.txs[i].value());
  }
  const uint64_t height = block.header.height;
  ExecutedTransactions executed =
      execute_transactions(rules, in.state, txs, BlockContext{height, block.header.time_ms});
  if (!executed.rejected.empty()) {
    const auto& [i, verdict] = executed.rejected.front();
    return BlockVerdict::invalid("transaction " + std::to_string(i) + " (" + to_hex(txs[i]->id) +
                                     ", " + std::string(event_type_name(txs[i]->event)) +
                                     ") breaks a rule: " + verdict.to_string(),
                                 "every transaction in a block passes the rules");
  }
  // Step 4: the state root.
  const Hash256 root = next_state_root(in.parent.state_root, height, executed.changes);
  if (root != block.header.state_root) {
    return BlockVerdict::invalid(
        "its state root " + to_hex(block.header.state_root) + " differs from the re-executed one",
        to_hex(root));
  }
  BlockEffects effects;
  effects.tx_ids.reserve(txs.size());
  for (const Transaction* tx : txs) effects.tx_ids.push_back(tx->id);
  effects.changes = std::move(executed.changes);
  return BlockVerdict::valid(std::move(effects));
}

std::vector<Validator> validators_for(const StateReader& state, uint64_t height) {
  return WorldView(state).nodes().validators_for(height);
}

Status check_certificate(std::string_view chain_id, const std::vector<Validator>& validators,
                         const QuorumCertificate& qc, const BlockHeader& header) {
  return verify_quorum(qc, header, chain_id, validators);
}

}  // namespace coopchain::consensus

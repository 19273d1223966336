// Test doubles shared by the consensus simulator and the replica's unit tests: a replica's
// disk in memory, and a chain (genesis, validator keys, a client cooperative's key) derived
// from a seed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "coopchain/consensus/storage.h"
#include "coopchain/core/block.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/state_view.h"

namespace coopchain::sim {

// A node's disk: what survives a crash.
class MemoryDisk final : public consensus::ReplicaStorage {
 public:
  explicit MemoryDisk(const Block& block0) {
    blocks_.push_back(block0);
    qcs_.emplace_back();
  }

  const StateReader& committed_state() const override { return state_; }
  uint64_t committed_height() const override { return blocks_.size() - 1; }
  Result<Block> committed_block(uint64_t h) const override {
    if (h >= blocks_.size()) return Status::NotFound("no block");
    return blocks_[h];
  }
  Result<QuorumCertificate> certificate(uint64_t h) const override {
    if (h == 0 || h >= qcs_.size()) return Status::NotFound("no certificate");
    return qcs_[h];
  }
  Status commit(const Block& block, std::span<const Hash256> tx_ids, const QuorumCertificate& qc,
                const StateChanges& changes) override {
    std::set<Hash256> ids;
    bool right = tx_ids.size() == block.txs.size();
    for (size_t i = 0; right && i < tx_ids.size(); ++i) {
      right = tx_ids[i] == block.txs[i].id();
      ids.insert(tx_ids[i]);
    }
    if (!right) {
      return Status::Internal("the replica gave block " + std::to_string(block.header.height) +
                              " ids that are not its transactions'");
    }
    state_.apply(changes, ids);
    blocks_.push_back(block);
    qcs_.push_back(qc);
    uncommitted_.erase(block.header.height);
    if (on_commit) on_commit(block, qc);
    return Status::Ok();
  }
  consensus::HardState hard_state() const override { return hard_; }
  Status save_hard_state(const consensus::HardState& s) override {
    hard_ = s;
    return Status::Ok();
  }
  std::vector<Block> uncommitted_blocks() const override {
    std::vector<Block> blocks;
    for (const auto& [height, block] : uncommitted_) blocks.push_back(block);
    return blocks;
  }
  Status save_uncommitted_block(const Block& block) override {
    uncommitted_[block.header.height] = block;
    return Status::Ok();
  }
  Status drop_uncommitted_from(uint64_t height) override {
    uncommitted_.erase(uncommitted_.lower_bound(height), uncommitted_.end());
    return Status::Ok();
  }
  // Every write lands at once, and a simulated crash falls between steps, after the step's
  // sync: what a step wrote is what survives.
  Status sync() override { return Status::Ok(); }

  void apply_genesis(const StateChanges& changes) { state_.apply(changes, {}); }
  const MemoryState& state() const { return state_; }
  const std::vector<Block>& blocks() const { return blocks_; }

  std::function<void(const Block&, const QuorumCertificate&)> on_commit;

 private:
  MemoryState state_;
  std::vector<Block> blocks_;
  std::vector<QuorumCertificate> qcs_;
  consensus::HardState hard_;
  std::map<uint64_t, Block> uncommitted_;
};

// The same seed gives the same keys: a run can be replayed.
PrivateKey derived_key(uint64_t seed, const std::string& label);

// A genesis of `nodes` validators (node-1, node-2, ...), one cooperative, coop-1, whose members
// sign with `client`, and an accredited certifier, cert-1, signing with `certifier`.
struct SimChain {
  Genesis genesis;
  Block block0;
  StateChanges genesis_changes;
  std::vector<std::string> validator_ids;
  std::vector<std::unique_ptr<PrivateKey>> validator_keys;
  std::unique_ptr<PrivateKey> client;
  std::unique_ptr<PrivateKey> certifier;
};
SimChain make_sim_chain(uint64_t seed, int nodes, TimeMs genesis_time);

// The vote keys a simulated node may hold: its own, and the one a rotation gives it.
PrivateKey node_key(uint64_t seed, const std::string& node_id, bool rotated);

// The k-th membership change of the simulator's schedule, proposed (and so passed at once) by
// coop-1 for a network of `nodes` genesis validators and one spare node, node-(nodes+1): the
// spare joins as a learner and is promoted; node-1 is removed, joins again as a learner and is
// promoted; node-2's vote key is rotated (to its second key, then back); the spare is removed.
// Seven steps, then again. Each is one validator change or none; the rules refuse what does not
// fit the chain as it is when it lands (a step before it refused, or two changes in one block).
SignedTransaction membership_tx(const Genesis& genesis, const PrivateKey& client, uint64_t seed,
                                int nodes, int k, TimeMs at);

// The k-th change of the paired schedule, for `nodes` genesis validators and two spares,
// node-(nodes+1) and node-(nodes+2): both join as learners (one proposal); both are promoted in
// one proposal, which the rules refuse (two validator changes at once); each is promoted alone;
// both are removed in one proposal, refused too; each is removed alone. Seven steps, then again.
SignedTransaction paired_membership_tx(const Genesis& genesis, const PrivateKey& client,
                                       uint64_t seed, int nodes, int k, TimeMs at);

// A farm of one coffee plot registered by `signer`, signed.
SignedTransaction register_farm(const Genesis& genesis, const PrivateKey& signer,
                                const std::string& farm_id, uint64_t nonce);

// The k-th transaction of the simulator's workload, events dated `at` (near the block times):
// per farm a cycle of twelve — register the farm, issue it a group certificate, propose and
// approve it as a member (every third farm still in conversion), estimate its yield and approve
// a lower figure, harvest claiming the certificate within it, hold the lot, then release it or
// fail its inspection, register the farm again, and govern: admit an exporter (suspend it in the
// next cycle) and add a spare key (revoke it in the next cycle). Commit order decides which the
// rules accept
// (FARM_EXISTS always, FARM_IN_CONVERSION, and more when a resubmission lands out of order); every
// node must decide alike.
SignedTransaction workload_tx(const Genesis& genesis, const PrivateKey& client,
                              const PrivateKey& certifier, int k, TimeMs at);

}  // namespace coopchain::sim

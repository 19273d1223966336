#include "simulator.h"

#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include "coopchain/consensus/block_check.h"
#include "coopchain/consensus/replica.h"
#include "coopchain/core/quorum.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/event_codec.h"
#include "sim_chain.h"

namespace coopchain::sim {
namespace {

using consensus::Message;
using consensus::Replica;

constexpr int64_t kStepMs = 5;
constexpr TimeMs kEpoch = 1'790'000'000'000;  // virtual time 0, in 2026

struct InFlight {
  TimeMs at;
  uint64_t seq;
  Message message;
  bool operator>(const InFlight& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

class Simulation {
 public:
  explicit Simulation(const SimOptions& o) : o_(o), rng_(o.seed) {
    if (o_.faulty_leader || o_.equivocating_leader || o_.disruptive_validator) {
      o_.membership_changes = false;
    }
    build_network();
  }

  SimResult run() {
    const TimeMs end_of_faults = o_.fault_ms;
    const TimeMs end = o_.fault_ms + o_.heal_ms;
    for (now_ = 0; now_ <= end && result_.ok; now_ += kStepMs) {
      if (o_.faults && now_ < end_of_faults) inject_faults();
      if (now_ == end_of_faults) heal_everything();
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (!nodes_[i].replica && now_ >= nodes_[i].restart_at) start(i);
      }
      deliver();
      for (auto& n : nodes_) {
        if (n.replica) n.replica->tick(kEpoch + now_);
      }
      client_step();
      if (o_.disruptive_validator && now_ < end_of_faults) disrupt();
      collect();
      check_safety();
    }
    if (result_.ok) check_end_state();
    result_.committed_height = reference().disk->committed_height();
    for (const auto& id : acknowledged_) {
      if (membership_ids_.count(id) != 0) ++result_.membership_committed;
    }
    result_.acknowledged = acknowledged_.size() - result_.membership_committed;
    result_.leaders_elected = leader_of_term_.size();
    return result_;
  }

 private:
  struct Node {
    std::string id;
    std::unique_ptr<PrivateKey> key;
    std::unique_ptr<MemoryDisk> disk;
    std::unique_ptr<Replica> replica;  // null while crashed
    TimeMs restart_at = 0;
    bool rekey = false;  // its vote key was rotated: it restarts with the new one
  };

  void fail(const std::string& what) {
    if (!result_.ok) return;
    result_.ok = false;
    std::ostringstream out;
    out << "seed " << o_.seed << " nodes " << o_.nodes << " at " << now_ << " ms: " << what;
    result_.failure = out.str();
  }

  void build_network() {
    SimChain chain = make_sim_chain(o_.seed, o_.nodes, kEpoch - 1000);
    genesis_ = std::move(chain.genesis);
    client_key_ = std::move(chain.client);
    certifier_key_ = std::move(chain.certifier);
    // With membership changes, spare nodes beyond the genesis's validators run from the
    // start, knowing no one: each hears from the leader once the chain admits it.
    const int spares = !o_.membership_changes ? 0 : o_.paired_changes ? 2 : 1;
    const int count = o_.nodes + spares;
    for (int i = 0; i < count; ++i) {
      Node n;
      n.id = "node-" + std::to_string(i + 1);
      n.disk = std::make_unique<MemoryDisk>(chain.block0);
      n.disk->apply_genesis(chain.genesis_changes);
      nodes_.push_back(std::move(n));
    }
    for (size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].disk->on_commit = [this, i](const Block& b, const QuorumCertificate& qc) {
        on_commit(i, b, qc);
      };
      start(i);
    }
  }

  void start(size_t i) {
    // The vote key in force on its own chain: after a rotation an operator restarts the node
    // with the new key.
    const NodeSetRecord nodes = WorldView(nodes_[i].disk->committed_state()).nodes();
    const NodeRecord* record = nodes.find(nodes_[i].id);
    const PrivateKey rotated = node_key(o_.seed, nodes_[i].id, true);
    const bool use_rotated = record != nullptr && record->vote_key == rotated.public_key();
    nodes_[i].key = std::make_unique<PrivateKey>(node_key(o_.seed, nodes_[i].id, use_rotated));
    consensus::ReplicaOptions options;
    options.id = nodes_[i].id;
    if (!o_.slow_link) {
      options.election_timeout_min_ms = 150;
      options.election_timeout_max_ms = 300;
      options.heartbeat_ms = 40;
    }
    options.max_block_txs = 16;
    if (o_.mixed_local_limits) {
      constexpr size_t kLocalLimits[] = {16, 2, 7};
      options.max_block_txs = kLocalLimits[i % 3];
    }
    options.seed = o_.seed * 1000 + i * 17 + result_.crashes;
    nodes_[i].replica =
        std::make_unique<Replica>(options, genesis_, *nodes_[i].key, *nodes_[i].disk,
                                  wire::decode_verified_transaction, kEpoch + now_);
    // The others' links to it connect again.
    for (size_t j = 0; j < nodes_.size(); ++j) {
      if (j != i && nodes_[j].replica) nodes_[j].replica->link_up(nodes_[i].id, kEpoch + now_);
    }
  }

  // The transport tells each sender whose link was blocked that it is up again.
  void links_up(const std::set<std::pair<std::string, std::string>>& were_blocked) {
    for (const auto& [from, to] : were_blocked) {
      for (auto& n : nodes_) {
        if (n.id == from && n.replica) n.replica->link_up(to, kEpoch + now_);
      }
    }
  }

  // ---- faults --------------------------------------------------------------------------------

  void inject_faults() {
    std::uniform_int_distribution<int> roll(0, 999);
    // About every 400 ms something happens.
    if (roll(rng_) < 12) {
      switch (roll(rng_) % 4) {
        case 0:
          crash_one();
          break;
        case 1:
          partition();
          break;
        case 2:
          block_one_way();
          break;
        case 3:
          heal_links();
          break;
      }
    }
    if (roll(rng_) < 2) crash_all();  // rare: everyone loses power at once
    drop_per_mille_ = 50;
    dup_per_mille_ = 30;
  }

  void crash(size_t i) {
    if (!nodes_[i].replica) return;
    nodes_[i].replica.reset();  // what it had not persisted is gone; its messages in flight stay
    // Half the crashes are quick reboots, the others long outages.
    std::uniform_int_distribution<int64_t> quick(5, 100), outage(100, 2000);
    nodes_[i].restart_at = now_ + ((rng_() % 2) ? quick(rng_) : outage(rng_));
    ++result_.crashes;
  }

  void crash_one() { crash(std::uniform_int_distribution<size_t>(0, nodes_.size() - 1)(rng_)); }
  void crash_all() {
    for (size_t i = 0; i < nodes_.size(); ++i) crash(i);
  }

  void partition() {
    heal_links();
    std::vector<int> side(nodes_.size());
    for (auto& s : side) s = static_cast<int>(rng_() % 2);
    for (size_t a = 0; a < nodes_.size(); ++a) {
      for (size_t b = 0; b < nodes_.size(); ++b) {
        if (side[a] != side[b]) blocked_.insert({nodes_[a].id, nodes_[b].id});
      }
    }
  }

  void block_one_way() {
    std::uniform_int_distribution<size_t> pick(0, nodes_.size() - 1);
    size_t a = pick(rng_), b = pick(rng_);
    if (a != b) blocked_.insert({nodes_[a].id, nodes_[b].id});
  }

  void heal_links() {
    auto were_blocked = std::move(blocked_);
    blocked_.clear();
    links_up(were_blocked);
  }

  void heal_everything() {
    heal_links();
    drop_per_mille_ = 0;
    dup_per_mille_ = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (!nodes_[i].replica) start(i);
    }
  }

  // ---- network -------------------------------------------------------------------------------

  void send(Message m) {
    ++result_.messages;
    std::uniform_int_distribution<int> roll(0, 999);
    if (blocked_.count({m.from, m.to}) != 0) return;
    if (roll(rng_) < drop_per_mille_) return;
    std::uniform_int_distribution<int64_t> delay(o_.slow_link ? 300 : 1, o_.slow_link ? 500 : 40);
    if (roll(rng_) < dup_per_mille_) network_.push({now_ + delay(rng_), seq_++, m});
    network_.push({now_ + delay(rng_), seq_++, std::move(m)});
  }

  void deliver() {
    while (!network_.empty() && network_.top().at <= now_) {
      InFlight f = network_.top();
      network_.pop();
      for (auto& n : nodes_) {
        if (n.id == f.message.to && n.replica) n.replica->receive(f.message, kEpoch + now_);
      }
    }
  }

  void collect() {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      Node& n = nodes_[i];
      if (!n.replica) continue;
      bool crash_after_send = false;
      for (auto& m : n.replica->take_messages()) {
        // The moments where a lost write would hurt most: right after granting a vote or
        // acknowledging blocks. Crashing there checks that both were persisted first.
        const bool risky = std::holds_alternative<consensus::VoteResponse>(m.payload) ||
                           std::holds_alternative<consensus::AppendResponse>(m.payload);
        if (risky && o_.faults && now_ < o_.fault_ms && rng_() % 1000 < 15) crash_after_send = true;
        if (o_.faulty_leader && i == 0 && now_ < o_.fault_ms) tamper(m);
        if (o_.equivocating_leader && i == 0 && now_ < o_.fault_ms) equivocate(m);
        send(std::move(m));
      }
      for (const auto& incident : n.replica->take_incidents()) {
        if (incident.kind == consensus::Incident::Kind::kPeerQuarantined) {
          ++result_.quarantines;
          if (!(o_.disruptive_validator && incident.peer == nodes_.front().id)) {
            fail(n.id + " quarantined the honest " + incident.peer + ": " + incident.detail);
          }
        }
        if (incident.kind == consensus::Incident::Kind::kTermOutOfBounds) ++result_.terms_refused;
      }
      result_.highest_term = std::max(result_.highest_term, n.replica->term());
      for (auto& outcome : n.replica->take_outcomes()) {
        if (outcome.kind == consensus::TxOutcomeEvent::Kind::kCommitted) {
          acknowledged_.insert(outcome.id);
        } else if (outcome.kind == consensus::TxOutcomeEvent::Kind::kRejected &&
                   outcome.verdict.code != RuleCode::kDuplicateTx) {
          refuse(outcome.id, outcome.verdict.code);
        }
      }
      if (!n.replica->failure().ok()) fail(n.id + " failed: " + n.replica->failure().to_string());
      if (crash_after_send) crash(i);
      if (n.rekey && n.replica) {
        n.replica.reset();
        n.restart_at = now_ + 20;
      }
      n.rekey = false;
    }
  }

  // ---- the disruptive validator --------------------------------------------------------------

  void disrupt() {
    if (now_ % 150 != 0) return;
    uint64_t highest = 0;
    for (size_t i = 1; i < nodes_.size(); ++i) {
      if (nodes_[i].replica) highest = std::max(highest, nodes_[i].replica->term());
    }
    const std::string& self = nodes_.front().id;
    const bool absurd = now_ % 1000 == 0;
    const uint64_t term = absurd ? ~uint64_t{0} - static_cast<uint64_t>(now_) : highest + 1;
    for (size_t i = 1; i < nodes_.size(); ++i) {
      const std::string& to = nodes_[i].id;
      send({self, to, consensus::VoteRequest{term, ~uint64_t{0} >> 2, ~uint64_t{0} >> 2}});
      if (absurd) {
        send({self, to, consensus::PreVoteResponse{term, false}});
        send({self, to, consensus::AppendResponse{term, false, 0, 0, {}}});
      }
      result_.disruptive_messages += absurd ? 3 : 1;
    }
  }

  // ---- the faulty leader ---------------------------------------------------------------------

  void tamper(Message& m) {
    auto* append = std::get_if<consensus::AppendRequest>(&m.payload);
    if (append == nullptr) return;
    for (Block& block : append->blocks) {
      if (block.header.proposer != nodes_.front().id) continue;
      block.txs.push_back(forbidden_tx());
      block.header.tx_root = compute_tx_root(block.txs);
      ++result_.tampered_blocks;
    }
  }

  void equivocate(Message& m) {
    auto* append = std::get_if<consensus::AppendRequest>(&m.payload);
    if (append == nullptr) return;
    size_t peer = 0;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      if (nodes_[k].id == m.to) peer = k;
    }
    if (peer % 2 != 0) return;
    for (Block& block : append->blocks) {
      if (block.header.proposer != nodes_.front().id) continue;
      block.header.time_ms += 1;
      ++result_.equivocations;
    }
  }

  SignedTransaction forbidden_tx() {
    if (!forbidden_) {
      forbidden_ = register_farm(genesis_, derived_key(o_.seed, "stranger"), "F-FORGED", 0);
    }
    return *forbidden_;
  }

  // ---- clients -------------------------------------------------------------------------------

  Transaction make_tx(int k) {
    auto tx = wire::decode_transaction(
        workload_tx(genesis_, *client_key_, *certifier_key_, k, kEpoch + now_));
    return std::move(tx).value();
  }

  void client_step() {
    const TimeMs submit_until = o_.fault_ms + o_.heal_ms / 2;
    if (next_tx_ < o_.transactions && now_ % 150 == 0 && now_ < submit_until) {
      submitted_.push_back(make_tx(next_tx_++));
    }
    if (o_.membership_changes && now_ % 1500 == 750 && now_ < submit_until) {
      const auto schedule = o_.paired_changes ? paired_membership_tx : membership_tx;
      auto tx = wire::decode_transaction(
          schedule(genesis_, *client_key_, o_.seed, o_.nodes, next_membership_++, kEpoch + now_));
      membership_ids_.insert(tx->id);
      submitted_.push_back(std::move(tx).value());
    }
    if (now_ % 100 != 0) return;
    // Resubmit everything unanswered to whoever is leader (submission is idempotent).
    for (auto& n : nodes_) {
      if (!n.replica || n.replica->role() != consensus::Role::kLeader) continue;
      for (const auto& tx : submitted_) {
        if (acknowledged_.count(tx.id) != 0 || rejected_.count(tx.id) != 0) continue;
        auto admission = n.replica->propose(tx, kEpoch + now_);
        if (admission.state == consensus::Admission::State::kRejected &&
            admission.verdict.code != RuleCode::kDuplicateTx) {
          refuse(tx.id, admission.verdict.code);
        }
      }
      n.replica->flush(kEpoch + now_);
    }
  }

  void refuse(const Hash256& id, RuleCode code) {
    if (!rejected_.insert(id).second) return;
    if (membership_ids_.count(id) != 0) {
      ++result_.membership_refused;
      ++result_.membership_refusals[std::string(rule_code_name(code))];
    } else {
      ++result_.refusals[std::string(rule_code_name(code))];
    }
  }

  // ---- properties ----------------------------------------------------------------------------

  void on_commit(size_t node, const Block& block, const QuorumCertificate& qc) {
    const uint64_t h = block.header.height;
    // The node's state after the block names the validators in force for it (its state root
    // is checked against the other nodes' by property 1).
    Status quorum = consensus::check_certificate(
        genesis_.chain_id, consensus::validators_for(nodes_[node].disk->committed_state(), h), qc,
        block.header);
    if (!quorum.ok())
      fail("property 3: " + nodes_[node].id + " committed height " + std::to_string(h) +
           " without a valid certificate: " + quorum.message());
    for (const auto& tx : block.txs) {
      if (forbidden_ && tx == *forbidden_) {
        fail(nodes_[node].id + " committed a transaction the rules forbid at height " +
             std::to_string(h));
      }
    }
    result_.largest_block = std::max(result_.largest_block, block.txs.size());
    const NodeSetRecord nodes = WorldView(nodes_[node].disk->committed_state()).nodes();
    const NodeRecord* self = nodes.find(nodes_[node].id);
    if (self != nullptr && self->vote_key != nodes_[node].key->public_key()) {
      nodes_[node].rekey = true;
    }
    auto [it, inserted] = committed_.emplace(h, block.hash());
    if (!inserted && it->second != block.hash()) {
      fail("property 2: two different blocks committed at height " + std::to_string(h));
    }
  }

  void check_safety() {
    for (const auto& n : nodes_) {
      if (!n.replica || n.replica->role() != consensus::Role::kLeader) continue;
      auto [it, inserted] = leader_of_term_.emplace(n.replica->term(), n.id);
      if (!inserted && it->second != n.id) {
        fail("property 1: two leaders in term " + std::to_string(n.replica->term()) + ": " +
             it->second + " and " + n.id);
      }
    }
  }

  // The node that committed furthest: a node removed from the network stops where it was.
  const Node& reference() const {
    const Node* best = &nodes_.front();
    for (const auto& n : nodes_) {
      if (n.disk->committed_height() > best->disk->committed_height()) best = &n;
    }
    return *best;
  }

  // The nodes in the network at the end (validators, learners), as the chain says.
  std::vector<const Node*> members() const {
    const NodeSetRecord nodes = WorldView(reference().disk->committed_state()).nodes();
    std::vector<const Node*> out;
    for (const auto& n : nodes_) {
      if (nodes.find(n.id) != nullptr) out.push_back(&n);
    }
    return out;
  }

  void check_end_state() {
    const Node& ref = reference();
    const uint64_t height = ref.disk->committed_height();
    const std::vector<const Node*> in_network = members();
    for (const Node* n : in_network) {
      if (n->disk->committed_height() != height) {
        const NodeSetRecord nodes = WorldView(ref.disk->committed_state()).nodes();
        fail("commits did not resume everywhere: " + n->id + " (" +
             std::string(name_of(nodes.find(n->id)->role)) + ", " +
             (n->replica
                  ? std::string(consensus::role_name(n->replica->role())) + " of term " +
                        std::to_string(n->replica->term()) + ", leader " + n->replica->leader()
                  : std::string("down")) +
             ") is at " + std::to_string(n->disk->committed_height()) + ", " + ref.id + " at " +
             std::to_string(height) + " (" +
             std::string(consensus::role_name(ref.replica ? ref.replica->role()
                                                          : consensus::Role::kFollower)) +
             ")");
        return;
      }
      if (n->disk->state().entries() != ref.disk->state().entries()) {
        fail("property 5: equal heights, different state on " + n->id);
        return;
      }
    }
    for (const auto& tx : submitted_) {
      if (acknowledged_.count(tx.id) == 0 && rejected_.count(tx.id) == 0) {
        fail("a transaction submitted before the network healed was never answered");
        return;
      }
    }
    for (const auto& id : acknowledged_) {
      for (const Node* n : in_network) {
        if (!n->disk->state().has_transaction(id)) {
          fail("property 4: acknowledged transaction " + to_hex(id) + " missing on " + n->id);
          return;
        }
      }
    }
    if (acknowledged_.empty()) fail("nothing was committed: the run proved nothing");
  }

  SimOptions o_;
  std::mt19937_64 rng_;
  Genesis genesis_;
  std::unique_ptr<PrivateKey> client_key_;
  std::unique_ptr<PrivateKey> certifier_key_;
  std::optional<SignedTransaction> forbidden_;
  std::vector<Node> nodes_;
  TimeMs now_ = 0;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> network_;
  uint64_t seq_ = 0;
  std::set<std::pair<std::string, std::string>> blocked_;
  int drop_per_mille_ = 0;
  int dup_per_mille_ = 0;
  std::vector<Transaction> submitted_;
  int next_tx_ = 0;
  int next_membership_ = 0;
  std::set<Hash256> membership_ids_;
  std::set<Hash256> acknowledged_;
  std::set<Hash256> rejected_;
  std::map<uint64_t, Hash256> committed_;
  std::map<uint64_t, std::string> leader_of_term_;
  SimResult result_;
};

}  // namespace

SimResult run_simulation(const SimOptions& options) {
  return Simulation(options).run();
}

}  // namespace coopchain::sim

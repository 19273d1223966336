#include "coopchain/consensus/replica.h"

#include <algorithm>

#include "coopchain/consensus/block_check.h"
#include "coopchain/core/quorum.h"
#include "coopchain/rules/execute.h"
#include "coopchain/state/world.h"

namespace coopchain::consensus {
namespace {

// No real network comes near this many terms (one per election of at least a second), and
// term + 1 stays far from wrapping. A term above it is absurd whoever sends it.
constexpr uint64_t kMaxTerm = uint64_t{1} << 62;
// Terms a peer may be ahead beyond what elections could have produced in the time elapsed:
// room for rounds this node did not see the start of.
constexpr uint64_t kTermJumpSlack = 64;
// A persisted absurd term is reset to the last block's term plus this: above any term the node
// can have voted in (it would take this many failed elections since the last block).
constexpr uint64_t kTermRecoveryMargin = uint64_t{1} << 20;

uint64_t term_of(const Payload& payload) {
  return std::visit([](const auto& m) { return m.term; }, payload);
}

// Whether the message, when its term is above this node's, makes this node adopt it. A
// pre-vote asks about the next term without raising anyone's; a granted pre-vote echoes it.
bool raises_term(const Payload& payload) {
  if (std::holds_alternative<PreVoteRequest>(payload)) return false;
  if (const auto* r = std::get_if<PreVoteResponse>(&payload)) return !r->granted;
  return true;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kFollower:
      return "FOLLOWER";
    case Role::kPreCandidate:
      return "PRE_CANDIDATE";
    case Role::kCandidate:
      return "CANDIDATE";
    case Role::kLeader:
      return "LEADER";
  }
  return "UNKNOWN";
}

// A block accepted above the committed head, with the state changes it makes.
struct Replica::Pending {
  Block block;
  Hash256 hash{};
  StateChanges changes;
  std::vector<Hash256> ids;                      // of block.txs, in order
  std::unordered_set<Hash256, TxIdHash> tx_ids;  // the same, for look-ups
  // Those in force for the block (from the state after its parent): their majority commits it.
  std::vector<Validator> validators;
};

// The committed state with the changes of uncommitted blocks on top, lowest first. It reads
// the deque live, so it stays right as blocks are accepted, committed or truncated.
class Replica::LayeredState final : public StateReader {
 public:
  LayeredState(const StateReader& base, const std::deque<Pending>& layers)
      : base_(base), layers_(layers) {}
  std::optional<std::string> get(std::string_view key) const override {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
      auto found = it->changes.find(key);
      if (found != it->changes.end()) return found->second;
    }
    return base_.get(key);
  }
  bool has_transaction(const Hash256& id) const override {
    for (const Pending& p : layers_) {
      if (p.tx_ids.count(id) != 0) return true;
    }
    return base_.has_transaction(id);
  }

 private:
  const StateReader& base_;
  const std::deque<Pending>& layers_;
};

Replica::Replica(ReplicaOptions options, const Genesis& genesis, const PrivateKey& key,
                 ReplicaStorage& storage, TxDecoder decoder, TimeMs now)
    : options_(std::move(options)),
      genesis_(genesis),
      key_(key),
      storage_(storage),
      decoder_(std::move(decoder)),
      rules_(genesis),
      rng_(options_.seed),
      tip_(std::make_unique<LayeredState>(storage.committed_state(), uncommitted_)),
      queue_state_(std::make_unique<StateOverlay>(*tip_)) {
  refresh_membership();
  const HardState hard = storage_.hard_state();
  term_ = hard.term;
  voted_for_ = hard.voted_for;
  term_entered_at_ = hard.term_entered_at;
  // Blocks accepted before a restart are re-executed; one that no longer checks out (it
  // cannot, unless the disk lies) is dropped with everything above it. Blocks at or below the
  // committed height were committed after the list was last saved.
  for (const Block& block : storage_.uncommitted_blocks()) {
    if (block.header.height <= storage_.committed_height()) continue;
    if (!validate_and_accept(block, block.header.time_ms).ok()) {
      Status st = storage_.drop_uncommitted_from(block.header.height);
      if (!st.ok()) fail(st);
      break;
    }
  }
  if (term_ > kMaxTerm) {
    // Adopted from a peer before such terms were refused. Nobody can have voted between the
    // recovered term and the absurd one, so no vote is cast twice in a term.
    const uint64_t recovered = std::min(last_term() + kTermRecoveryMargin, kMaxTerm);
    note({Incident::Kind::kTermRecovered, "", term_,
          "the stored term " + std::to_string(term_) +
              " is beyond any an election produces; "
              "continuing from term " +
              std::to_string(recovered)});
    term_ = recovered;
    voted_for_.clear();
    term_entered_at_ = now;
    persist_hard_state();
  }
  reset_election_deadline(now);
  // A lone validator needs nobody's vote: it campaigns on its first tick.
  if (quorum() == 1 && votes_in(voters_)) election_deadline_ = now;
}

Replica::~Replica() = default;

// ---- outputs ---------------------------------------------------------------------------------

std::vector<Message> Replica::take_messages() {
  return std::exchange(outbox_, {});
}
std::vector<TxOutcomeEvent> Replica::take_outcomes() {
  return std::exchange(outcomes_, {});
}
std::vector<Incident> Replica::take_incidents() {
  return std::exchange(incidents_, {});
}
void Replica::note(Incident incident) {
  incidents_.push_back(std::move(incident));
}

void Replica::send(const std::string& to, Payload payload) {
  outbox_.push_back({options_.id, to, std::move(payload)});
}

void Replica::fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
}

void Replica::persist_hard_state() {
  Status st = storage_.save_hard_state({term_, voted_for_, term_entered_at_});
  if (!st.ok()) fail(st);
}

void Replica::persist_accepted(const Block& block) {
  Status st = storage_.save_uncommitted_block(block);
  if (!st.ok()) fail(st);
}

// ---- chain access ----------------------------------------------------------------------------

// ---- membership ------------------------------------------------------------------------------

void Replica::refresh_membership() {
  const NodeSetRecord nodes = WorldView(*tip_).nodes();
  voters_ = nodes.validators_for(last_height() + 1);
  std::vector<NodeRecord> records;
  std::optional<NodeRecord> self;
  auto add = [&](const NodeRecord& node) {
    if (node.node_id != options_.id &&
        std::none_of(records.begin(), records.end(),
                     [&](const NodeRecord& r) { return r.node_id == node.node_id; })) {
      records.push_back(node);
    }
  };
  for (const auto& n : nodes.nodes) {
    if (n.node_id == options_.id) self = n;
    add(n);
  }
  for (const Pending& p : uncommitted_) {
    for (const auto& v : p.validators) add({v.id, v.public_key, NodeRole::kValidator, v.tls_pin});
  }
  if (records == peer_records_ && self == self_record_) return;
  if (role_ == Role::kLeader) {
    for (const auto& node : records) {
      if (!is_peer(node.node_id)) init_peer(node.node_id);
    }
  }
  peer_records_ = std::move(records);
  self_record_ = std::move(self);
  ++membership_version_;
}

void Replica::refresh_membership_after_accept() {
  // Only a block that writes the nodes changes them; its own validators are the tip's before it.
  if (uncommitted_.back().changes.count(nodes_key()) != 0) refresh_membership();
}

void Replica::init_peer(const std::string& peer) {
  next_height_[peer] = last_height() + 1;
  match_height_[peer] = 0;
  replicating_[peer] = false;
  answer_timeout_[peer] = options_.election_timeout_min_ms;
  probe_unanswered_[peer] = false;
  peer_commit_[peer] = 0;
  certificate_sent_[peer] = 0;
}

size_t Replica::quorum() const {
  return quorum_size(voters_.size());
}

bool Replica::is_voter(const std::string& id) const {
  return find_validator(voters_, id) != nullptr;
}

bool Replica::is_peer(const std::string& id) const {
  return std::any_of(peer_records_.begin(), peer_records_.end(),
                     [&](const NodeRecord& peer) { return peer.node_id == id; });
}

bool Replica::votes_in(const std::vector<Validator>& validators) const {
  const Validator* me = find_validator(validators, options_.id);
  return me != nullptr && me->public_key == key_.public_key();
}

bool Replica::queue_changes_validators() const {
  if (queue_.empty() || !queue_state_->writes(nodes_key())) return false;
  // The rules mark the block that changes the validators in the nodes record.
  return WorldView(*queue_state_).nodes().changed_height == queue_ctx_.height;
}

Replica::BlockRoom Replica::block_room() const {
  // The chain's limits decide validity; the node's own may only make its blocks smaller.
  // The limits in force for the next block: those after the last block this node holds.
  const RuleParams params = WorldView(*tip_).params();
  return {std::min<uint64_t>(options_.max_block_txs, params.max_block_txs), params.max_block_bytes};
}

bool Replica::queue_fills_a_block() const {
  const BlockRoom room = block_room();
  return queue_.size() >= room.txs || queue_bytes_ >= room.bytes;
}

uint64_t Replica::last_height() const {
  return storage_.committed_height() + uncommitted_.size();
}

Replica::Pending* Replica::pending_at(uint64_t height) {
  const uint64_t committed = storage_.committed_height();
  if (height <= committed || height > committed + uncommitted_.size()) return nullptr;
  return &uncommitted_[height - committed - 1];
}

std::optional<Block> Replica::block_at(uint64_t height) const {
  const uint64_t committed = storage_.committed_height();
  if (height > committed) {
    if (height - committed > uncommitted_.size()) return std::nullopt;
    return uncommitted_[height - committed - 1].block;
  }
  auto block = storage_.committed_block(height);
  if (!block.ok()) return std::nullopt;
  return std::move(block).value();
}

std::optional<BlockHeader> Replica::header_at(uint64_t height) const {
  const uint64_t committed = storage_.committed_height();
  if (height > committed) {
    if (height - committed > uncommitted_.size()) return std::nullopt;
    return uncommitted_[height - committed - 1].block.header;
  }
  if (height == committed && committed_head_ && committed_head_->height == committed) {
    return committed_head_;
  }
  auto block = storage_.committed_block(height);
  if (block.ok() && height == committed) committed_head_ = block->header;
  if (!block.ok()) return std::nullopt;
  return block->header;
}

std::optional<Hash256> Replica::hash_at(uint64_t height) const {
  auto header = header_at(height);
  if (!header) return std::nullopt;
  return block_hash(*header);
}

uint64_t Replica::last_term() const {
  auto header = header_at(last_height());
  return header ? header->term : 0;
}

bool Replica::in_flight(const Hash256& id) const {
  if (queued_ids_.count(id) != 0) return true;
  for (const Pending& p : uncommitted_) {
    if (p.tx_ids.count(id) != 0) return true;
  }
  return false;
}

uint64_t Replica::match_height(const std::string& peer) const {
  auto it = match_height_.find(peer);
  return it == match_height_.end() ? 0 : it->second;
}

// ---- elections -------------------------------------------------------------------------------

void Replica::reset_election_deadline(TimeMs now) {
  std::uniform_int_distribution<int64_t> spread(options_.election_timeout_min_ms,
                                                options_.election_timeout_max_ms);
  election_deadline_ = now + spread(rng_);
}

bool Replica::candidate_up_to_date(uint64_t candidate_last_term,
                                   uint64_t candidate_last_height) const {
  const uint64_t my_term = last_term();
  return candidate_last_term > my_term ||
         (candidate_last_term == my_term && candidate_last_height >= last_height());
}

void Replica::become_follower(uint64_t term, const std::string& leader, TimeMs now,
                              std::string_view why) {
  if (term > term_ || leader != leader_) {
    leader_conflicts_ = false;
    leader_block_refused_ = false;
  }
  if (!leader.empty()) lost_quorum_ = false;
  if (role_ == Role::kLeader) {
    // Queued transactions were never proposed; their submitters hear that they were dropped.
    std::string reason =
        "this node stopped leading term " + std::to_string(term_) + " before proposing it: ";
    if (!why.empty()) {
      reason += why;
    } else if (term > term_) {
      reason += "a validator started term " + std::to_string(term);
    } else {
      reason += leader + " leads";
    }
    for (const Transaction& tx : queue_) {
      outcomes_.push_back({tx.id, TxOutcomeEvent::Kind::kDropped, 0, 0, {}, reason});
    }
    queue_.clear();
    queue_bytes_ = 0;
    queued_ids_.clear();
    queue_state_ = std::make_unique<StateOverlay>(*tip_);
  }
  if (term > term_) {
    term_ = term;
    term_entered_at_ = now;
    voted_for_.clear();
    my_votes_.clear();
    persist_hard_state();
  }
  role_ = Role::kFollower;
  leader_ = leader;
  votes_.clear();
  reset_election_deadline(now);
}

void Replica::start_pre_vote(TimeMs now) {
  role_ = Role::kPreCandidate;
  leader_.clear();
  pre_votes_ = {options_.id};
  reset_election_deadline(now);
  next_heartbeat_ = now + options_.heartbeat_ms;
  if (pre_votes_.size() >= quorum()) {
    start_election(now);
    return;
  }
  for (const auto& voter : voters_) {
    if (voter.id != options_.id) {
      send(voter.id, PreVoteRequest{term_ + 1, last_height(), last_term()});
    }
  }
}

void Replica::start_election(TimeMs now) {
  term_ += 1;
  term_entered_at_ = now;
  voted_for_ = options_.id;
  my_votes_.clear();
  persist_hard_state();
  role_ = Role::kCandidate;
  leader_.clear();
  votes_granted_ = {options_.id};
  reset_election_deadline(now);
  next_heartbeat_ = now + options_.heartbeat_ms;
  if (votes_granted_.size() >= quorum()) {
    become_leader(now);
    return;
  }
  for (const auto& voter : voters_) {
    if (voter.id != options_.id) send(voter.id, VoteRequest{term_, last_height(), last_term()});
  }
}

void Replica::become_leader(TimeMs now) {
  role_ = Role::kLeader;
  lost_quorum_ = false;
  leader_ = options_.id;
  votes_.clear();
  for (const auto& peer : peer_records_) init_peer(peer.node_id);
  // Earlier-term blocks commit only through a block of this term; vote for them now so that
  // their certificates are complete when that block commits.
  for (uint64_t h = storage_.committed_height() + 1; h <= last_height(); ++h) {
    const Pending* p = pending_at(h);
    if (votes_in(p->validators)) {
      record_vote(sign_vote(key_, options_.id, genesis_.chain_id, term_, h, p->hash));
    }
  }
  // A lone validator has no earlier-term blocks left uncommitted (each of its blocks commits
  // as it is made), so it needs no empty block either.
  propose_block(now, /*allow_empty=*/quorum() > 1 || !uncommitted_.empty());
  next_heartbeat_ = now + options_.heartbeat_ms;
}

void Replica::on_pre_vote_request(const std::string& from, const PreVoteRequest& m, TimeMs now) {
  // A follower that heard from a leader recently, or a leader, keeps the peace.
  const bool granted =
      m.term > term_ && !leader_alive(now) && candidate_up_to_date(m.last_term, m.last_height);
  send(from, PreVoteResponse{granted ? m.term : term_, granted});
}

void Replica::on_pre_vote_response(const std::string& from, const PreVoteResponse& m, TimeMs now) {
  if (!m.granted && m.term > term_) {
    // A peer already in a later term: adopt it. Otherwise a pre-candidate with the longer
    // chain could ask forever for a term its peers have already passed, while they, with
    // shorter chains, can never win its vote.
    become_follower(m.term, "", now);
    return;
  }
  if (role_ != Role::kPreCandidate || m.term != term_ + 1 || !m.granted || !is_voter(from)) return;
  pre_votes_.insert(from);
  if (pre_votes_.size() >= quorum()) start_election(now);
}

bool Replica::majority_in_contact(TimeMs now) const {
  size_t in_contact = is_voter(options_.id) ? 1 : 0;
  for (const auto& voter : voters_) {
    if (voter.id == options_.id) continue;
    auto it = last_heard_.find(voter.id);
    if (it != last_heard_.end() && now - it->second <= options_.election_timeout_max_ms) {
      ++in_contact;
    }
  }
  return in_contact >= quorum();
}

uint64_t Replica::leader_commit() const {
  return role_ == Role::kLeader ? storage_.committed_height() : leader_commit_;
}

bool Replica::leader_alive(TimeMs now) const {
  return role_ == Role::kLeader || (role_ == Role::kFollower && !leader_.empty() &&
                                    now - last_leader_contact_ < options_.election_timeout_min_ms);
}

void Replica::on_vote_request(const std::string& from, const VoteRequest& m, TimeMs now) {
  if (m.term > term_ && from != leader_ && leader_alive(now)) {
    // Raft's leader lease: an honest candidate got here through pre-votes from nodes that lost
    // the leader, so refusing it while this node hears one costs nothing; granting would let
    // any one validator depose a working leader at will.
    note({Incident::Kind::kVoteWhileLeaderAlive, from, m.term,
          "asked for votes in term " + std::to_string(m.term) + " while leader " + leader_ +
              " of term " + std::to_string(term_) + " is alive; refused"});
    send(from, VoteResponse{term_, false});
    return;
  }
  if (m.term > term_) become_follower(m.term, "", now);
  const bool granted = m.term == term_ && (voted_for_.empty() || voted_for_ == from) &&
                       candidate_up_to_date(m.last_term, m.last_height);
  if (granted && voted_for_ != from) {
    voted_for_ = from;
    persist_hard_state();  // before the answer leaves
    reset_election_deadline(now);
  }
  send(from, VoteResponse{term_, granted});
}

void Replica::on_vote_response(const std::string& from, const VoteResponse& m, TimeMs now) {
  if (m.term > term_) {
    become_follower(m.term, "", now);
    return;
  }
  if (role_ != Role::kCandidate || m.term != term_ || !m.granted || !is_voter(from)) return;
  votes_granted_.insert(from);
  if (votes_granted_.size() >= quorum()) become_leader(now);
}

// ---- terms from peers ------------------------------------------------------------------------
//
// A validator's TLS key is enough to send any term. Honest terms grow by one per election and
// an election takes at least the minimum election timeout, so a term further ahead than
// elections could have produced since this node entered its own is refused (and one above
// kMaxTerm always). Each term a peer raises this node to, or tries to, is a disruption; a peer
// with more in a window than honest elections can cause is quarantined until restart.

uint64_t Replica::term_jump_allowed(TimeMs now) const {
  if (term_entered_at_ == 0) return kMaxTerm;
  const auto elapsed = static_cast<uint64_t>(std::max<TimeMs>(0, now - term_entered_at_));
  const auto timeout =
      static_cast<uint64_t>(std::max<int64_t>(1, options_.election_timeout_min_ms));
  return kTermJumpSlack + 2 * (elapsed / timeout);
}

void Replica::count_disruption(const std::string& from, uint64_t term, TimeMs now) {
  // A window of many elections. An honest peer disrupts at most once per election it starts
  // (its retransmissions carry the same term and are not counted again).
  const TimeMs window = 20 * options_.election_timeout_max_ms;
  const uint64_t limit =
      static_cast<uint64_t>(2 * window / std::max<int64_t>(1, options_.election_timeout_min_ms)) +
      10;
  Disruptions& d = disruptions_[from];
  if (now - d.window_start > window) d = {now, 0, 0};
  if (term != 0 && term == d.last_term) return;
  d.last_term = term;
  ++d.count;
  if (d.count > limit && quarantined_.insert(from).second) {
    note({Incident::Kind::kPeerQuarantined, from, term_,
          "raised or tried to raise this node's term " + std::to_string(d.count) + " times in " +
              std::to_string(now - d.window_start) +
              " ms; its election messages and higher terms are ignored until this node restarts"});
  }
}

bool Replica::admit_term(const std::string& from, uint64_t term, bool raises, TimeMs now) {
  if (quarantined_.count(from) != 0) return false;
  const uint64_t allowed = term_jump_allowed(now);
  if (term > kMaxTerm || term - term_ > allowed) {
    count_disruption(from, /*term=*/0, now);  // never sent by an honest node: each one counts
    note({Incident::Kind::kTermOutOfBounds, from, term,
          "announced term " + std::to_string(term) + " while this node is in term " +
              std::to_string(term_) + "; elections since can have reached " +
              std::to_string(std::min(kMaxTerm, term_ + std::min(allowed, kMaxTerm))) +
              "; ignored"});
    return false;
  }
  if (raises) count_disruption(from, term, now);
  return quarantined_.count(from) == 0;
}

// ---- replication -----------------------------------------------------------------------------

Admission Replica::propose(Transaction tx, TimeMs now) {
  // A leader whose vote the chain it holds no longer counts (removed, or its vote key rotated)
  // proposes nothing more; it steps down once what it proposed is committed.
  if (role_ != Role::kLeader || !failure_.ok() || !votes_in(voters_)) {
    return {Admission::State::kNotLeader, {}};
  }
  if (in_flight(tx.id)) return {Admission::State::kInFlight, {}};
  // The next block's time is fixed by its first transaction, so that the block can be built
  // from the queue's state without running its transactions again. A queue that waited too long
  // (no room in the pipeline) gets a fresh time, or events of this minute would look like
  // events from the future.
  if (queue_.empty() || now - queue_ctx_.block_time > kMaxQueueTimeLagMs) {
    rebuild_queue_state(now);
    if (!failure_.ok()) return {Admission::State::kNotLeader, {}};
  }
  Verdict verdict = rules_.apply(*queue_state_, tx, queue_ctx_);
  if (!verdict.ok()) return {Admission::State::kRejected, std::move(verdict)};
  queued_ids_.insert(tx.id);
  queue_bytes_ += transaction_bytes(tx.signed_tx);
  queue_.push_back(std::move(tx));
  return {Admission::State::kQueued, {}};
}

void Replica::flush(TimeMs now) {
  while (role_ == Role::kLeader && failure_.ok() && !queue_.empty() &&
         uncommitted_.size() < options_.max_uncommitted_blocks) {
    // While a block is in flight the next one waits until it is full, or until the newest
    // block has been out partial_block_after_ms: what arrives meanwhile joins it, so under load
    // blocks grow instead of multiplying (each costs a round of votes and an fsync on every
    // node), while on a long link a transaction that arrives during a round trip waits a
    // fraction of it, not a whole one more.
    if (!uncommitted_.empty() && !queue_fills_a_block() &&
        now - last_proposed_at_ < options_.partial_block_after_ms) {
      break;
    }
    const size_t before = queue_.size();
    propose_block(now, false);
    if (queue_.size() == before) break;
  }
}

void Replica::rebuild_queue_state(TimeMs now) {
  queue_state_ = std::make_unique<StateOverlay>(*tip_);
  const auto parent = header_at(last_height());
  if (!parent) {
    fail(Status::Internal("cannot read block " + std::to_string(last_height())));
    return;
  }
  queue_ctx_ = BlockContext{last_height() + 1, std::max(now, parent->time_ms + 1)};
  std::deque<Transaction> kept;
  queue_bytes_ = 0;
  for (Transaction& tx : queue_) {
    Verdict verdict = rules_.apply(*queue_state_, tx, queue_ctx_);
    if (verdict.ok()) {
      queue_bytes_ += transaction_bytes(tx.signed_tx);
      kept.push_back(std::move(tx));
    } else {
      queued_ids_.erase(tx.id);
      outcomes_.push_back({tx.id, TxOutcomeEvent::Kind::kRejected, 0, 0, std::move(verdict)});
    }
  }
  queue_ = std::move(kept);
}

void Replica::propose_block(TimeMs now, bool allow_empty) {
  if (role_ != Role::kLeader || !failure_.ok() || !votes_in(voters_)) return;
  if (!allow_empty && (queue_.empty() || uncommitted_.size() >= options_.max_uncommitted_blocks)) {
    return;
  }
  const uint64_t height = last_height() + 1;
  const auto parent = header_at(height - 1);
  if (!parent) {
    fail(Status::Internal("cannot read block " + std::to_string(height - 1)));
    return;
  }
  // A block that changes the validators waits until nothing is in flight and this leader has
  // committed a block of its own term (Raft's condition for one-at-a-time changes): then the
  // change before it is committed, and no leader of an earlier term, elected by the other set,
  // can still replace a block that this set committed. Sets that differ by one validator
  // have intersecting majorities; two changes in flight could differ by two.
  if (queue_changes_validators()) {
    const auto committed = header_at(storage_.committed_height());
    const bool committed_in_term = quorum() == 1 || (committed && committed->term == term_);
    if (!uncommitted_.empty() || !committed_in_term) return;
  }
  // The whole queue fits in the block: its state is the block's, already executed on this
  // chain with this block's context (the queue's invariant). Otherwise the block's part of the
  // queue runs again on its own.
  const BlockRoom room = block_room();
  const bool whole_queue = !queue_.empty() && queue_.size() <= room.txs &&
                           queue_bytes_ <= room.bytes && queue_ctx_.height == height;
  std::vector<Transaction> batch;
  uint64_t batch_bytes = 0;
  while (!queue_.empty() && batch.size() < room.txs) {
    const uint64_t bytes = transaction_bytes(queue_.front().signed_tx);
    if (!batch.empty() && batch_bytes + bytes > room.bytes) break;
    batch_bytes += bytes;
    queue_bytes_ -= bytes;
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
    queued_ids_.erase(batch.back().id);
  }
  BlockContext ctx{height, std::max(now, parent->time_ms + 1)};
  ExecutedTransactions executed;
  if (whole_queue) {
    ctx = queue_ctx_;
    for (size_t i = 0; i < batch.size(); ++i) executed.accepted.push_back(i);
    executed.changes = queue_state_->release_changes();
  } else {
    std::vector<const Transaction*> candidates;
    for (const auto& tx : batch) candidates.push_back(&tx);
    executed = execute_transactions(rules_, *tip_, candidates, ctx);
  }
  for (auto& [index, verdict] : executed.rejected) {
    outcomes_.push_back(
        {batch[index].id, TxOutcomeEvent::Kind::kRejected, 0, 0, std::move(verdict)});
  }
  if (executed.accepted.empty() && !allow_empty) {
    rebuild_queue_state(now);
    return;
  }

  Pending p;
  for (size_t index : executed.accepted) {
    p.block.txs.push_back(std::move(batch[index].signed_tx));
    p.ids.push_back(batch[index].id);
    p.tx_ids.insert(batch[index].id);
  }
  BlockHeader& h = p.block.header;
  h.height = height;
  h.prev_hash = block_hash(*parent);
  h.tx_root = compute_tx_root(p.block.txs);
  h.state_root = next_state_root(parent->state_root, height, executed.changes);
  h.time_ms = ctx.block_time;
  h.term = term_;
  h.proposer = options_.id;
  p.hash = p.block.hash();
  p.changes = std::move(executed.changes);
  p.validators = validators_for(*tip_, height);
  const Hash256 hash = p.hash;
  const bool my_vote_counts = votes_in(p.validators);
  const bool commits_alone = my_vote_counts && quorum_size(p.validators.size()) == 1;
  uncommitted_.push_back(std::move(p));
  refresh_membership_after_accept();
  last_proposed_at_ = now;
  rebuild_queue_state(now);
  if (my_vote_counts) {
    record_vote(sign_vote(key_, options_.id, genesis_.chain_id, term_, height, hash));
  }
  if (!commits_alone) {
    // The leader's own vote counts only for a block it holds durably (the write is synced
    // before the block is sent). A lone validator's block commits right now, in one write.
    persist_accepted(uncommitted_.back().block);
  }
  try_commit();
  broadcast_append(now);
}

void Replica::broadcast_append(TimeMs now) {
  for (const auto& peer : peer_records_) send_append(peer.node_id, now);
}

void Replica::send_append(const std::string& peer, TimeMs now) {
  const uint64_t committed = storage_.committed_height();
  const uint64_t match = match_height_[peer];
  const bool replicating = replicating_[peer];
  uint64_t next =
      std::clamp<uint64_t>(next_height_[peer], replicating ? match + 1 : 1, last_height() + 1);
  // Probing (a new leader, or after a refusal or a timeout), the append asks whether the peer
  // holds block next-1 and carries blocks from next; until the peer answers, heartbeats ask
  // again without them, so that a slow link is not flooded with copies. Replicating (the peer
  // answered), blocks are sent once — the peer's next height moves on as they leave — and at
  // most a window of them is unanswered at a time; a message the link lost shows up as a
  // refusal of the next one or, when nothing follows, as no progress for the peer's answer
  // timeout.
  bool send_blocks = !probe_unanswered_[peer];
  if (!replicating && send_blocks && next <= last_height()) probe_unanswered_[peer] = true;
  if (replicating) {
    send_blocks = next <= last_height() && next - 1 - match < options_.max_blocks_per_append;
    if (!send_blocks) next = match + 1;  // a heartbeat over the part known to match
  }
  AppendRequest m;
  m.term = term_;
  m.prev_height = next - 1;
  auto prev_hash = hash_at(m.prev_height);
  if (!prev_hash) return;
  m.prev_hash = *prev_hash;
  if (send_blocks) {
    size_t bytes = 0;
    for (uint64_t h = next; h <= last_height() && m.blocks.size() < options_.max_blocks_per_append;
         ++h) {
      auto block = block_at(h);
      if (!block) break;
      size_t size = 256;
      for (const auto& tx : block->txs) size += tx.payload.size() + tx.signature.size() + 16;
      if (!m.blocks.empty() && bytes + size > options_.max_append_bytes) break;
      bytes += size;
      m.blocks.push_back(std::move(*block));
    }
  }
  if (replicating && !m.blocks.empty()) {
    if (next_height_[peer] <= match + 1) progress_at_[peer] = now;  // nothing was unanswered
    next_height_[peer] = next + m.blocks.size();
  }
  m.leader_commit = committed;
  const uint64_t certified_through = std::min(committed, m.prev_height + m.blocks.size());
  for (uint64_t h = peer_commit_[peer] + 1;
       h <= certified_through && m.certificates.size() < options_.max_certificates_per_append;
       ++h) {
    auto qc = storage_.certificate(h);
    if (qc.ok()) m.certificates.push_back(std::move(qc).value());
  }
  if (!m.certificates.empty()) {
    certificate_sent_[peer] = std::max(certificate_sent_[peer], m.certificates.back().height);
  }
  if (quorum() == 2) {
    // The leader's vote and the follower's make a majority: the leader's own votes for the
    // blocks the follower holds or is sent let it commit them on arrival, a round trip before
    // their certificates could reach it (what a client of a follower waits for on a long link).
    const uint64_t through = m.prev_height + m.blocks.size();
    for (auto at = votes_.upper_bound(std::max(committed, peer_commit_[peer]));
         at != votes_.end() && at->first <= through; ++at) {
      auto mine = at->second.find(options_.id);
      if (mine != at->second.end()) m.leader_votes.push_back(mine->second);
    }
  }
  send(peer, std::move(m));
}

Verdict Replica::validate_and_accept(const Block& block, TimeMs now) {
  const uint64_t height = last_height() + 1;
  auto invalid = [&](std::string why) {
    return Verdict::reject(RuleCode::kMalformed, "block " + std::to_string(block.header.height) +
                                                     " is invalid: " + std::move(why));
  };
  if (block.header.height != height) {
    return invalid("it does not follow height " + std::to_string(height - 1));
  }
  const auto parent = header_at(height - 1);
  if (!parent) return invalid("its parent is unknown");
  // A leader's block is in the leader's term, which this node has adopted before it gets here.
  if (block.header.term > term_) return invalid("its term is ahead of this node's");
  std::vector<Result<Transaction>> txs;
  txs.reserve(block.txs.size());
  for (const auto& stx : block.txs) txs.push_back(decoder_(stx));
  const TimeMs latest = now + WorldView(*tip_).params().future_skew_ms;
  BlockVerdict verdict = check_block(rules_, {block, *parent, *tip_, txs, latest});
  if (!verdict.ok()) return invalid(verdict.fault().to_string());
  Pending p;
  p.block = block;
  p.hash = block.hash();
  p.changes = std::move(verdict.effects().changes);
  p.ids = std::move(verdict.effects().tx_ids);
  p.tx_ids.insert(p.ids.begin(), p.ids.end());
  p.validators = validators_for(*tip_, height);
  uncommitted_.push_back(std::move(p));
  refresh_membership_after_accept();
  return Verdict::accept();
}

void Replica::truncate_from(uint64_t height) {
  while (!uncommitted_.empty() && last_height() >= height) {
    const Pending& replaced = uncommitted_.back();
    const std::string why = "its block at height " + std::to_string(replaced.block.header.height) +
                            " was replaced by leader " + leader_ + "'s chain in term " +
                            std::to_string(term_);
    for (const Hash256& id : replaced.ids) {
      outcomes_.push_back({id, TxOutcomeEvent::Kind::kDropped, 0, 0, {}, why});
    }
    uncommitted_.pop_back();
  }
  my_votes_.erase(my_votes_.lower_bound(height), my_votes_.end());
  votes_.erase(votes_.lower_bound(height), votes_.end());
  refresh_membership();
  Status st = storage_.drop_uncommitted_from(height);
  if (!st.ok()) fail(st);
}

void Replica::on_append_request(const std::string& from, const AppendRequest& m, TimeMs now) {
  if (m.term < term_) {
    send(from, AppendResponse{term_, false, last_height(), storage_.committed_height(), {}});
    return;
  }
  if (m.term > term_ || role_ != Role::kFollower || leader_ != from) {
    become_follower(m.term, from, now);
  }
  leader_commit_ = m.leader_commit;
  // A leader whose chain differs from a block this node committed can only be one that
  // equivocated (an honest leader holds every committed block). For the rest of its term it is
  // not counted as alive, so that the others elect a leader that can make progress. A leader
  // whose block this node refuses (its clock off beyond the skew, most often) is not counted
  // as alive until it sends a block this node accepts: its heartbeats alone do not count.
  bool conflicts = false;
  const uint64_t committed = storage_.committed_height();
  auto respond_failure = [&](uint64_t match) {
    send(from, AppendResponse{term_, false, match, storage_.committed_height(), {}});
  };
  auto heard_from_leader = [&] {
    leader_conflicts_ = leader_conflicts_ || conflicts;
    if (leader_conflicts_ || leader_block_refused_) return;
    last_leader_contact_ = now;
    reset_election_deadline(now);
  };
  if (m.prev_height > last_height()) {
    heard_from_leader();
    return respond_failure(last_height());
  }
  if (hash_at(m.prev_height) != m.prev_hash) {
    conflicts = m.prev_height <= committed;
    heard_from_leader();
    if (conflicts) return respond_failure(committed);
    truncate_from(m.prev_height);
    return respond_failure(m.prev_height - 1);
  }
  uint64_t match = m.prev_height;
  for (const Block& block : m.blocks) {
    const uint64_t h = block.header.height;
    if (h != match + 1) break;
    if (h <= storage_.committed_height()) {
      conflicts = hash_at(h) != block.hash();
      if (conflicts) break;
      match = h;
      continue;
    }
    if (const Pending* p = pending_at(h)) {
      if (p->hash == block.hash()) {
        match = h;
        continue;
      }
      truncate_from(h);
    }
    if (Verdict v = validate_and_accept(block, now); !v.ok()) {
      leader_block_refused_ = true;  // and no vote for it
      note({Incident::Kind::kBlockRefused, from, m.term, v.message});
      break;
    }
    leader_block_refused_ = false;
    persist_accepted(block);
    match = h;
  }
  heard_from_leader();
  apply_certificates(m.certificates);
  std::vector<Vote> votes = votes_for_range(m.leader_commit, match);
  if (!m.leader_votes.empty() && !leader_conflicts_) commit_on_leader_votes(from, m, votes);
  if (!failure_.ok()) return;
  send(from, AppendResponse{term_, true, match, storage_.committed_height(), std::move(votes)});
}

void Replica::commit_on_leader_votes(const std::string& leader, const AppendRequest& m,
                                     const std::vector<Vote>& mine) {
  if (record_votes_of(leader, m.leader_votes) == 0) return;
  const uint64_t committed = storage_.committed_height();
  for (const Vote& vote : mine) {
    if (vote.height > committed) record_vote(vote);
  }
  try_commit();
}

std::vector<Vote> Replica::votes_for_range(uint64_t after, uint64_t through) {
  std::vector<Vote> votes;
  for (uint64_t h = after + 1; h <= through; ++h) {
    auto hash = hash_at(h);
    if (!hash) break;
    // A learner, an observer, or a validator not in force for the block: no vote of it counts.
    if (const Pending* p = pending_at(h); p != nullptr && !votes_in(p->validators)) continue;
    auto it = my_votes_.find(h);
    if (it == my_votes_.end() || it->second.block_hash != *hash || it->second.term != term_) {
      it =
          my_votes_
              .insert_or_assign(h, sign_vote(key_, options_.id, genesis_.chain_id, term_, h, *hash))
              .first;
    }
    votes.push_back(it->second);
  }
  return votes;
}

void Replica::record_vote(const Vote& vote) {
  votes_[vote.height][vote.validator_id] = vote;
}

size_t Replica::record_votes_of(const std::string& from, const std::vector<Vote>& votes) {
  size_t held = 0;
  for (const Vote& vote : votes) {
    if (vote.validator_id != from || vote.term != term_) continue;
    const Pending* p = pending_at(vote.height);
    if (p == nullptr || p->hash != vote.block_hash) continue;  // not the block this node holds
    // Counted only from those in force for the block, with the key in force for it.
    const Validator* validator = find_validator(p->validators, from);
    if (validator == nullptr) continue;
    auto known = votes_.find(vote.height);
    if (known != votes_.end()) {
      auto same = known->second.find(from);
      if (same != known->second.end() && same->second == vote) {
        ++held;  // verified before
        continue;
      }
    }
    if (!verify_signature(
            validator->public_key,
            vote_sign_bytes(genesis_.chain_id, vote.term, vote.height, vote.block_hash),
            vote.signature)) {
      continue;
    }
    record_vote(vote);
    ++held;
  }
  return held;
}

void Replica::on_append_response(const std::string& from, const AppendResponse& m, TimeMs now) {
  if (m.term > term_) {
    become_follower(m.term, "", now);
    return;
  }
  if (role_ != Role::kLeader || m.term != term_) return;
  peer_commit_[from] = m.commit_height;
  probe_unanswered_[from] = false;
  if (!m.success) {
    replicating_[from] = false;
    next_height_[from] =
        std::max<uint64_t>(1, std::min(next_height_[from] - 1, m.match_height + 1));
    send_append(from, now);
    return;
  }
  const bool progressed = m.match_height > match_height_[from];
  const bool was_probing = !replicating_[from];
  if (progressed && replicating_[from]) {
    // Blocks answered this long after they left: on a slow link a window of them takes longer
    // than an election timeout to cross, and is not to be sent again for that.
    answer_timeout_[from] = std::clamp<int64_t>(
        2 * (now - progress_at_[from]), options_.election_timeout_min_ms, max_answer_timeout());
  }
  if (progressed || !replicating_[from]) progress_at_[from] = now;
  replicating_[from] = true;
  match_height_[from] = std::max(match_height_[from], m.match_height);
  next_height_[from] = std::max(next_height_[from], m.match_height + 1);
  record_votes_of(from, m.votes);
  const uint64_t committed_before = storage_.committed_height();
  const uint64_t last_before = last_height();
  try_commit();
  if (storage_.committed_height() > committed_before) {
    // The new certificates ride on the next block when one is due, else on a heartbeat: one
    // append per peer per commit, since each costs the peer a step, an fsync and an answer.
    flush(now);
    // With two or three validators every follower that holds the blocks committed them on the
    // leader's vote; one that does not learns of the commit when it answers.
    if (last_height() == last_before && quorum() > 2) broadcast_append(now);
    return;
  }
  const uint64_t certifiable = std::min(storage_.committed_height(), m.match_height);
  if (((progressed || was_probing) && next_height_[from] <= last_height()) ||
      certifiable > std::max(m.commit_height, certificate_sent_[from])) {
    send_append(from, now);
  }
  flush(now);
}

void Replica::try_commit() {
  // A majority of this term's votes for a block of this term commits it and every block below
  // it (Raft's rule). The leader gathers its followers' votes; a follower of two or three
  // validators holds the leader's and its own.
  const uint64_t committed = storage_.committed_height();
  uint64_t target = 0;
  for (uint64_t h = last_height(); h > committed; --h) {
    const Pending* p = pending_at(h);
    auto it = votes_.find(h);
    if (p->block.header.term == term_ && it != votes_.end() &&
        it->second.size() >= quorum_size(p->validators.size())) {
      target = h;
      break;
    }
  }
  // Each block needs a majority of its own validators (votes_ holds only theirs).
  for (uint64_t h = committed + 1; h <= target && failure_.ok(); ++h) {
    auto it = votes_.find(h);
    if (it == votes_.end() || it->second.size() < quorum_size(pending_at(h)->validators.size())) {
      break;
    }
    QuorumCertificate qc{h, pending_at(h)->hash, {}};
    for (const auto& [validator, vote] : it->second) qc.votes.push_back(vote);
    commit_with(qc);
  }
}

void Replica::apply_certificates(const std::vector<QuorumCertificate>& certificates) {
  for (const auto& qc : certificates) {
    if (!failure_.ok()) return;
    if (qc.height != storage_.committed_height() + 1) continue;
    const Pending* p = pending_at(qc.height);
    if (p == nullptr || p->hash != qc.block_hash) continue;
    if (!check_certificate(genesis_.chain_id, p->validators, qc, p->block.header).ok()) continue;
    commit_with(qc);
  }
}

void Replica::commit_with(const QuorumCertificate& qc) {
  Pending& p = uncommitted_.front();
  Status st = storage_.commit(p.block, p.ids, qc, p.changes);
  if (!st.ok()) {
    fail(st);
    return;
  }
  for (uint32_t i = 0; i < p.ids.size(); ++i) {
    outcomes_.push_back({p.ids[i], TxOutcomeEvent::Kind::kCommitted, qc.height, i, {}});
  }
  committed_head_ = p.block.header;
  // A validator of the committed block that the tip no longer has is sent nothing more.
  const bool peers_may_shrink = p.validators != voters_;
  uncommitted_.pop_front();
  my_votes_.erase(my_votes_.begin(), my_votes_.upper_bound(qc.height));
  votes_.erase(votes_.begin(), votes_.upper_bound(qc.height));
  if (peers_may_shrink) refresh_membership();
}

// ---- inputs ----------------------------------------------------------------------------------

void Replica::link_up(const std::string& peer, TimeMs now) {
  if (!failure_.ok() || role_ != Role::kLeader || !is_peer(peer)) {
    return;
  }
  // What was sent while the link was down is lost: probe at once, with the blocks, rather than
  // after the answer timeout (a reconnect over a long link already took round trips).
  replicating_[peer] = false;
  next_height_[peer] = match_height_[peer] + 1;
  probe_unanswered_[peer] = false;
  send_append(peer, now);
}

void Replica::tick(TimeMs now) {
  if (!failure_.ok()) return;
  if (role_ == Role::kLeader && !votes_in(voters_) &&
      storage_.committed_height() == last_height()) {
    // It led until the block that took its vote away committed; the others elect.
    become_follower(term_, "", now,
                    "its vote no longer counts: the chain removed it from the validators or "
                    "rotated its vote key");
    return;
  }
  if (role_ == Role::kLeader) {
    // Check-quorum: a leader cut off from a majority can commit nothing, and a majority on the
    // other side may elect another. It steps down rather than take submissions it could only
    // drop later; its queue is reported dropped.
    if (!majority_in_contact(now)) {
      lost_quorum_ = true;
      become_follower(term_, "", now,
                      "it heard from no majority of the validators within " +
                          std::to_string(options_.election_timeout_max_ms) + " ms");
      return;
    }
    if (now >= next_heartbeat_) {
      for (const auto& node : peer_records_) {
        const std::string& peer = node.node_id;
        if (replicating_[peer] && next_height_[peer] > match_height_[peer] + 1 &&
            now - progress_at_[peer] >= answer_timeout_[peer]) {
          // Lost, or the link is slower than thought: sent again, and waited for longer.
          replicating_[peer] = false;
          next_height_[peer] = match_height_[peer] + 1;
          answer_timeout_[peer] = std::min(2 * answer_timeout_[peer], max_answer_timeout());
        }
      }
      broadcast_append(now);
      next_heartbeat_ = now + options_.heartbeat_ms;
    }
    flush(now);
    return;
  }
  if (now >= election_deadline_) {
    // Learners, observers and removed validators follow; only a voter campaigns.
    if (votes_in(voters_)) {
      start_pre_vote(now);
    } else {
      role_ = Role::kFollower;
      reset_election_deadline(now);
    }
  } else if (now >= next_heartbeat_ && role_ != Role::kFollower) {
    // Requests get lost on bad links; ask again those who have not answered.
    next_heartbeat_ = now + options_.heartbeat_ms;
    for (const auto& voter : voters_) {
      const std::string& peer = voter.id;
      if (peer == options_.id) continue;
      if (role_ == Role::kPreCandidate && pre_votes_.count(peer) == 0) {
        send(peer, PreVoteRequest{term_ + 1, last_height(), last_term()});
      } else if (role_ == Role::kCandidate && votes_granted_.count(peer) == 0) {
        send(peer, VoteRequest{term_, last_height(), last_term()});
      }
    }
  }
}

void Replica::receive(const Message& message, TimeMs now) {
  // A leader's blocks are checked whoever sends them, so that a node follows a leader added in
  // blocks it has not received yet (the transport admits only nodes it knows); the rest comes
  // from the nodes of this node's chain.
  const bool append = std::holds_alternative<AppendRequest>(message.payload);
  if (!failure_.ok() || message.to != options_.id || message.from == options_.id ||
      (!append && !is_peer(message.from))) {
    return;
  }
  last_heard_[message.from] = now;
  const bool election_request = std::holds_alternative<PreVoteRequest>(message.payload) ||
                                std::holds_alternative<VoteRequest>(message.payload);
  if (quarantined_.count(message.from) != 0 && election_request) return;
  const uint64_t term = term_of(message.payload);
  if (term > term_ && !admit_term(message.from, term, raises_term(message.payload), now)) return;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PreVoteRequest>) on_pre_vote_request(message.from, m, now);
        if constexpr (std::is_same_v<T, PreVoteResponse>)
          on_pre_vote_response(message.from, m, now);
        if constexpr (std::is_same_v<T, VoteRequest>) on_vote_request(message.from, m, now);
        if constexpr (std::is_same_v<T, VoteResponse>) on_vote_response(message.from, m, now);
        if constexpr (std::is_same_v<T, AppendRequest>) on_append_request(message.from, m, now);
        if constexpr (std::is_same_v<T, AppendResponse>) on_append_response(message.from, m, now);
      },
      message.payload);
}

}  // namespace coopchain::consensus

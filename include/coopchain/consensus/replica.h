// Replica: one validator's side of the majority-vote protocol, as a pure state machine. Inputs
// are ticks of a clock it is given, messages from peers and transactions to propose; outputs
// are messages to send, storage calls (through ReplicaStorage) and transaction outcomes. It
// opens no socket, starts no thread and reads no clock, so the simulator can run many of them
// in one process on a virtual clock and replay any run from its seed.
//
// The protocol is Raft's, over blocks instead of log entries, with signed votes:
// - terms, randomized election timeouts, pre-vote, one persisted vote per term, and Raft's
//   up-to-date check (last block's term, then height);
// - the leader proposes block h+1 on its chain; a follower accepts it only if its previous hash
//   matches (else the leader backs up), re-executes every transaction, and checks the roots;
// - a follower persists the blocks it accepts and answers with its signed votes, in the
//   leader's term, for every block it holds above the leader's commit height;
// - the leader commits when a majority voted in its term for a block of its own term; that
//   block and every uncommitted block below it are then committed, each with the current-term
//   votes for it as its quorum certificate (Raft's rule for committing earlier entries
//   indirectly). A new leader proposes an empty block at once so that earlier blocks commit.
// - followers commit a block when they receive its certificate and hold the block; with two or
//   three validators the leader's own votes travel with its blocks, and a follower commits by
//   the same rule as the leader, on the leader's vote and its own.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "coopchain/consensus/defaults.h"
#include "coopchain/consensus/incident.h"
#include "coopchain/consensus/messages.h"
#include "coopchain/consensus/storage.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/hashing.h"
#include "coopchain/state/records.h"

namespace coopchain::consensus {

struct ReplicaOptions {
  std::string id;  // this validator's id in the genesis
  int64_t election_timeout_min_ms = defaults::kElectionTimeoutMinMs;
  int64_t election_timeout_max_ms = defaults::kElectionTimeoutMaxMs;
  int64_t heartbeat_ms = defaults::kHeartbeatMs;
  // Proposes blocks of at most this many transactions, and never more than the chain allows.
  size_t max_block_txs = defaults::kMaxBlockTxs;
  size_t max_blocks_per_append = 32;
  // An append carries at least one block; more only while the total stays under this.
  size_t max_append_bytes = 4 << 20;
  size_t max_uncommitted_blocks = defaults::kMaxUncommittedBlocks;  // the proposal pipeline
  int64_t partial_block_after_ms = defaults::kPartialBlockAfterMs;
  size_t max_certificates_per_append = 256;
  uint64_t seed = 1;  // election timeout randomness
};

// Decodes a signed transaction and verifies its signature (the node runs this on a worker
// pool before the strand; the simulator inline). A failure makes the block invalid.
using TxDecoder = std::function<Result<Transaction>(const SignedTransaction&)>;

enum class Role { kFollower, kPreCandidate, kCandidate, kLeader };
std::string_view role_name(Role role);

// What the leader says to a transaction offered to it.
struct Admission {
  enum class State { kQueued, kInFlight, kRejected, kNotLeader };
  State state = State::kNotLeader;
  Verdict verdict;  // kRejected
};

struct TxOutcomeEvent {
  enum class Kind {
    kCommitted,
    kRejected,  // by the rules, when the leader built a block
    // This replica let go of it: queued when it stopped leading, or in an uncommitted block that
    // another leader's chain replaced. It may still reach the chain through another node (it
    // was in a block that node holds); resubmitting is always safe.
    kDropped,
  };
  Hash256 id{};
  Kind kind = Kind::kCommitted;
  uint64_t height = 0;      // kCommitted
  uint32_t index = 0;       // kCommitted: its position in the block
  Verdict verdict;          // kRejected
  std::string reason = {};  // kDropped
};

class Replica {
 public:
  // REQUIRES: the storage holds at least block 0; `key` is the validator's vote key.
  Replica(ReplicaOptions options, const Genesis& genesis, const PrivateKey& key,
          ReplicaStorage& storage, TxDecoder decoder, TimeMs now);
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  void tick(TimeMs now);
  void receive(const Message& message, TimeMs now);
  // The transport's link to `peer` (re)connected: what was sent to it before may be lost.
  void link_up(const std::string& peer, TimeMs now);
  // Offers a transaction to the leader: it is checked by the rules against the chain as it
  // will be once every block in flight and every queued transaction is in, and queued for the
  // next block when it passes. A transaction already queued or in an uncommitted block is
  // kInFlight. Queued transactions become blocks on flush() or tick().
  Admission propose(Transaction tx, TimeMs now);
  // Proposes blocks from the queue: one when no block is in flight, and full ones (of
  // max_block_txs) while the pipeline has room.
  void flush(TimeMs now);

  std::vector<Message> take_messages();
  std::vector<TxOutcomeEvent> take_outcomes();
  std::vector<Incident> take_incidents();

  Role role() const { return role_; }
  uint64_t term() const { return term_; }
  const std::string& leader() const { return leader_; }
  const std::string& id() const { return options_.id; }
  uint64_t last_height() const;
  size_t queued() const { return queue_.size(); }
  // Queued, or in a block accepted above the committed head.
  bool in_flight(const Hash256& id) const;
  uint64_t committed_height() const { return storage_.committed_height(); }
  // Non-ok once storage failed; the replica then does nothing more.
  const Status& failure() const { return failure_; }
  // For status displays: what the leader knows of each peer.
  uint64_t match_height(const std::string& peer) const;
  // Whether a majority of the validators, this one included, was heard from within the maximum
  // election timeout (a leader: answered it; a follower: sent it anything).
  bool majority_in_contact(TimeMs now) const;
  // Whether this replica stepped down from leading because it lost contact with a majority
  // (check-quorum), and has not heard from a leader since.
  bool lost_quorum() const { return lost_quorum_; }
  // The leader's committed height as last heard from it; this node's own when it leads.
  uint64_t leader_commit() const;
  // Peers whose election messages this replica ignores (see Incident::kPeerQuarantined).
  const std::set<std::string>& quarantined() const { return quarantined_; }
  // Every other node this one exchanges messages with, as its chain records them: the tip's
  // nodes of any role, then the validators of uncommitted blocks the tip no longer has (their
  // votes are still needed; no address recorded). The transport links to these.
  const std::vector<NodeRecord>& peer_records() const { return peer_records_; }
  // Changes whenever peer_records() does, and when the chain adds, changes or removes this node
  // (peers that refused it may admit it now).
  uint64_t membership_version() const { return membership_version_; }

 private:
  struct Pending;
  class LayeredState;

  // elections
  void start_pre_vote(TimeMs now);
  void start_election(TimeMs now);
  // A leader that becomes a follower drops its queue, saying why (`why`, or the new term or
  // leader).
  void become_follower(uint64_t term, const std::string& leader, TimeMs now,
                       std::string_view why = {});
  void become_leader(TimeMs now);
  void on_pre_vote_request(const std::string& from, const PreVoteRequest& m, TimeMs now);
  void on_pre_vote_response(const std::string& from, const PreVoteResponse& m, TimeMs now);
  void on_vote_request(const std::string& from, const VoteRequest& m, TimeMs now);
  void on_vote_response(const std::string& from, const VoteResponse& m, TimeMs now);
  bool candidate_up_to_date(uint64_t last_term, uint64_t last_height) const;
  void reset_election_deadline(TimeMs now);
  // A leader is alive for this node: it is the leader, or heard from one within the minimum
  // election timeout.
  bool leader_alive(TimeMs now) const;
  // Whether a message from `from` announcing `term` (above term_) is believed; counts the
  // peer's disruptions and quarantines it past the threshold.
  bool admit_term(const std::string& from, uint64_t term, bool raises, TimeMs now);
  // How far above term_ a peer's term may be: what elections could have produced since this
  // node entered term_.
  uint64_t term_jump_allowed(TimeMs now) const;
  void count_disruption(const std::string& from, uint64_t term, TimeMs now);
  void note(Incident incident);

  // replication
  void on_append_request(const std::string& from, const AppendRequest& m, TimeMs now);
  void on_append_response(const std::string& from, const AppendResponse& m, TimeMs now);
  void send_append(const std::string& peer, TimeMs now);
  void broadcast_append(TimeMs now);
  void propose_block(TimeMs now, bool allow_empty);
  Verdict validate_and_accept(const Block& block, TimeMs now);
  void truncate_from(uint64_t height);
  void try_commit();
  // A follower: commits the blocks it holds for which `m` carries the leader's vote (with this
  // node's own votes, `mine`, a majority of two or three validators).
  void commit_on_leader_votes(const std::string& leader, const AppendRequest& m,
                              const std::vector<Vote>& mine);
  void commit_with(const QuorumCertificate& qc);
  void apply_certificates(const std::vector<QuorumCertificate>& certificates);
  std::vector<Vote> votes_for_range(uint64_t after, uint64_t through);
  void record_vote(const Vote& vote);
  // Records `from`'s votes in this term for blocks this replica holds, verifying each signature
  // once; returns how many of them it now holds.
  size_t record_votes_of(const std::string& from, const std::vector<Vote>& votes);

  // chain access
  std::optional<Hash256> hash_at(uint64_t height) const;
  std::optional<BlockHeader> header_at(uint64_t height) const;
  uint64_t last_term() const;
  std::optional<Block> block_at(uint64_t height) const;
  Pending* pending_at(uint64_t height);
  // Re-applies the queue on the chain's tip, with a fresh context for the next block.
  void rebuild_queue_state(TimeMs now);
  void persist_hard_state();
  void persist_accepted(const Block& block);
  void fail(Status status);
  void send(const std::string& to, Payload payload);

  // membership
  // Re-reads who elects and whom to send to from the chain this replica holds; called whenever
  // its tip or its uncommitted blocks change.
  void refresh_membership();
  // The same after a block was added on top, reading the state only when the block wrote the nodes.
  void refresh_membership_after_accept();
  void init_peer(const std::string& peer);
  // A majority of the voters: what an election needs.
  size_t quorum() const;
  bool is_voter(const std::string& id) const;
  bool is_peer(const std::string& id) const;
  // Whether this replica's own vote counts among `validators` (its id, with the key it holds).
  bool votes_in(const std::vector<Validator>& validators) const;
  // Whether the queue's next block would change the validators, and so must wait for a leader
  // with nothing in flight (see propose_block).
  bool queue_changes_validators() const;
  // How much the next block this leader proposes may hold.
  struct BlockRoom {
    uint64_t txs = 0;
    uint64_t bytes = 0;
  };
  BlockRoom block_room() const;
  bool queue_fills_a_block() const;
  int64_t max_answer_timeout() const { return 4 * options_.election_timeout_max_ms; }

  ReplicaOptions options_;
  const Genesis& genesis_;
  const PrivateKey& key_;
  ReplicaStorage& storage_;
  TxDecoder decoder_;
  Rules rules_;
  // From the chain this replica holds, committed or not (Raft's rule: a node acts on the newest
  // membership it has). voters_: the validators in force for the next block, who elect a
  // leader. peer_records_: every other node to send blocks to: the tip's nodes of any role,
  // and the validators of uncommitted blocks, whose votes those blocks still need.
  std::vector<Validator> voters_;
  std::vector<NodeRecord> peer_records_;
  std::optional<NodeRecord> self_record_;  // this node as the chain records it, if it does
  uint64_t membership_version_ = 0;
  std::mt19937_64 rng_;

  Role role_ = Role::kFollower;
  // Invariant: term_ <= kMaxTerm, so term_ + 1 never wraps.
  uint64_t term_ = 0;
  TimeMs term_entered_at_ = 0;  // 0: unknown (a record of an earlier version, or a new node)
  std::string voted_for_;
  std::string leader_;
  TimeMs election_deadline_ = 0;
  TimeMs last_leader_contact_ = -1'000'000'000;
  bool leader_conflicts_ = false;      // leader_ sent a chain that differs from a committed block
  bool leader_block_refused_ = false;  // leader_'s last block failed the block check here
  TimeMs next_heartbeat_ = 0;
  std::set<std::string> pre_votes_;
  std::set<std::string> votes_granted_;

  std::deque<Pending> uncommitted_;    // heights committed+1 .. last
  std::unique_ptr<LayeredState> tip_;  // the committed state under uncommitted_, as it changes
  // The header of the committed head, read once per commit rather than on every lookup.
  mutable std::optional<BlockHeader> committed_head_;
  std::map<uint64_t, Vote> my_votes_;  // signed votes in term_, by height (follower cache)

  // leader
  std::map<std::string, uint64_t> next_height_;
  std::map<std::string, uint64_t> match_height_;
  std::map<std::string, uint64_t> peer_commit_;
  // The highest certificate sent to each peer: a peer that answers for a block committed
  // meanwhile, and was not sent its certificate, is sent it at once rather than at the next
  // heartbeat (its clients are waiting for it).
  std::map<std::string, uint64_t> certificate_sent_;
  // When each peer last had no block unanswered or answered for one: blocks unanswered for the
  // peer's answer timeout were lost with their message and are sent again.
  std::map<std::string, TimeMs> progress_at_;
  std::map<std::string, bool> replicating_;  // the peer answered since the last refusal
  // How long blocks may go unanswered before they are sent again: twice what the peer's last
  // answer took, within [election_timeout_min, max_answer_timeout()], doubled by each resend.
  std::map<std::string, int64_t> answer_timeout_;
  // Probing: blocks were sent and the peer has not answered since.
  std::map<std::string, bool> probe_unanswered_;
  // Current-term votes by height, verified (the leader's followers'; a follower's, the leader's
  // and its own).
  std::map<uint64_t, std::map<std::string, Vote>> votes_;
  std::deque<Transaction> queue_;
  uint64_t queue_bytes_ = 0;  // transaction_bytes of queue_
  std::unordered_set<Hash256, TxIdHash> queued_ids_;
  // Invariant: queue_state_ is tip_ with queue_ applied in order under queue_ctx_, and
  // queue_ctx_.height is the next block's height. Admission checks a new transaction there, and
  // a block made of the whole queue takes queue_state_'s changes as its own.
  std::unique_ptr<StateOverlay> queue_state_;
  BlockContext queue_ctx_;
  // How far behind the clock the queue's block time may fall before it is refreshed: far
  // inside the allowed future skew of an event.
  static constexpr TimeMs kMaxQueueTimeLagMs = 1000;

  // Disruptions by peer within the current window (see admit_term).
  struct Disruptions {
    TimeMs window_start = 0;
    uint64_t count = 0;
    uint64_t last_term = 0;  // the term last counted
  };
  std::map<std::string, Disruptions> disruptions_;
  std::map<std::string, TimeMs> last_heard_;  // by peer: when a message from it last arrived
  uint64_t leader_commit_ = 0;                // from the current leader's appends
  std::set<std::string> quarantined_;
  bool lost_quorum_ = false;     // see lost_quorum()
  TimeMs last_proposed_at_ = 0;  // when this replica last proposed a block

  std::vector<Message> outbox_;
  std::vector<TxOutcomeEvent> outcomes_;
  std::vector<Incident> incidents_;
  Status failure_;
};

}  // namespace coopchain::consensus

// Node: the composition root of a running coopchaind. It owns the block store, the consensus
// replica and the peer network, all driven by one Boost.Asio io_context that a single thread
// runs (the strand): every piece of node state below is touched only from that thread. gRPC
// handler threads enter through `submit`, which posts onto the strand and returns (the answer
// comes through a SubmitReply), and `read`, which posts and waits; peer messages enter through
// `deliver`.
//
// Every network, a lone validator included, runs the same majority-vote replica: a lone
// validator elects itself on its first tick and commits each block with its own vote. A
// follower passes submissions to the leader and answers once it has committed them itself.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "coopchain/consensus/replica.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/tx_outcome.h"
#include "coopchain/net/peer_network.h"
#include "coopchain/node/config.h"
#include "coopchain/node/replica_storage.h"
#include "coopchain/node/submit_deadlines.h"
#include "coopchain/node/submit_reply.h"
#include "coopchain/node/verified_signatures.h"
#include "coopchain/rules/rules.h"
#include "coopchain/storage/block_store.h"

namespace coopchain {

// What Node::read returns for a function returning R: Result<R>, or a plain Status when the
// function itself returns a Status.
template <typename R>
struct ReadResult {
  using type = Result<R>;
};
template <>
struct ReadResult<Status> {
  using type = Status;
};

struct NodeMetrics {
  uint64_t blocks_committed = 0;
  uint64_t txs_committed = 0;
  uint64_t txs_rejected = 0;
  uint64_t submissions = 0;
  uint64_t forwarded = 0;
  uint64_t elections_won = 0;
};

// What the node knows of one other validator.
struct PeerView {
  std::string id;
  std::string address;
  bool connected = false;     // our outbound link to it is up
  uint64_t match_height = 0;  // known to a leader only: its highest block matching ours
  uint64_t lag = 0;           // a leader's view: our last height minus match_height
  std::string last_error;
};

class Node final : public net::PeerHandler {
 public:
  // Opens (or initializes from genesis) the store and checks that it is sound: head, state root
  // and quorum certificate agree and the stored genesis is the configured one.
  static Result<std::unique_ptr<Node>> open(NodeConfig config);
  ~Node() override;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  boost::asio::io_context& io() { return io_; }
  // Starts the replica's clock and, with other validators, the peer network (an error if
  // peer_listen cannot be bound); the caller then calls run() on one thread.
  Status start();
  // Runs the strand on the calling thread until stop(), then answers what was still queued on
  // it (submissions, reads) as a stopping node does.
  void run();
  // Stops the replica, answers every waiting submitter, and lets run() return. Safe from any
  // thread.
  void stop();
  bool stopping() const { return stopping_.load(); }
  // The node stopped itself because it could not write; the process should exit non-zero so
  // that a supervisor notices.
  bool failed() const { return failed_.load(); }

  // Thread-safe, and does not wait. Decodes the payload, checks its signature and shape on the
  // calling thread, then offers it to the leader: on the strand when this node leads, over the
  // peer network otherwise. `reply` is answered once: without `wait` when the leader has
  // queued it; with `wait` once it is committed here or rejected, or after `timeout` as
  // kPending. A refusal by the rules is a kRejected outcome, not an error; UNAVAILABLE when no
  // leader is known or reachable.
  void submit(const SignedTransaction& tx, bool wait, std::chrono::milliseconds timeout,
              std::shared_ptr<SubmitReply> reply);

  // net::PeerHandler, from gRPC threads.
  void deliver(consensus::Message message) override;
  void forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) override;

  // Thread-safe. Runs fn(const Node&) on the strand and returns what it returns.
  template <typename F>
  auto read(F fn) -> typename ReadResult<std::invoke_result_t<F, const Node&>>::type;

  // Strand-only accessors, for use inside `read`.
  const BlockStore& store() const { return *store_; }
  const Genesis& genesis() const { return genesis_; }
  const Hash256& genesis_hash() const { return genesis_hash_; }
  const NodeConfig& config() const { return config_; }
  const Rules& rules() const { return rules_; }
  size_t mempool_size() const { return replica_ ? replica_->queued() : 0; }
  const NodeMetrics& metrics() const { return metrics_; }
  TxOutcome transaction_outcome(const Hash256& id) const;
  std::string_view role() const;
  uint64_t term() const { return replica_ ? replica_->term() : 0; }
  std::string leader() const { return replica_ ? replica_->leader() : std::string(); }
  std::vector<PeerView> peers() const;

 private:
  Node(NodeConfig config, std::unique_ptr<BlockStore> store, Genesis genesis, PrivateKey key);

  struct Waiter {
    std::shared_ptr<SubmitReply> reply;
    std::chrono::steady_clock::time_point expires;
  };
  // What admission decided: an outcome, or the leader to pass the transaction to.
  struct Admitted {
    Result<TxOutcome> outcome = Status::Unavailable("not admitted");
    std::string forward_to;
  };

  // Waits for work posted to the strand; false if it does not finish within kStrandTimeout or
  // the strand stopped first (then the work will never run).
  template <typename T>
  bool await_strand(std::future<T>& future) const;
  static constexpr std::chrono::seconds kStrandTimeout{30};
  // Moves `tx` into the replica when this node leads; otherwise leaves it to the caller, which
  // passes it on to `forward_to`.
  Admitted admit(Transaction& tx, const std::optional<Waiter>& waiter, bool forwarded);
  // Passes a submission this follower admitted to the leader; the leader's answer resolves
  // `reply` unless it says the transaction is pending and the submitter waits for the commit.
  void forward(const std::string& leader, SignedTransaction tx, std::shared_ptr<SubmitReply> reply,
               bool wait);
  // Blocks are proposed after batch_delay_ms once something is queued: whatever is admitted
  // meanwhile joins the same block (group commit).
  void schedule_flush();
  void on_tick();
  // Sends what the replica wants sent and settles what it decided.
  void drain();
  void note_rejection(const Hash256& id, const Verdict& verdict);
  void settle(const TxOutcome& outcome);
  void expire_waiters();
  void remember_rejection(const Hash256& id, const Verdict& verdict);

  NodeConfig config_;
  std::unique_ptr<BlockStore> store_;
  Genesis genesis_;
  Hash256 genesis_hash_{};
  PrivateKey validator_key_;
  Rules rules_;
  VerifiedSignatures verified_;

  boost::asio::io_context io_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer flush_timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};

  std::unique_ptr<BlockStoreReplicaStorage> replica_storage_;
  std::unique_ptr<consensus::Replica> replica_;
  std::unique_ptr<net::PeerNetwork> network_;
  consensus::Role last_role_ = consensus::Role::kFollower;
  uint64_t last_term_ = 0;
  std::string last_leader_;

  std::map<Hash256, std::vector<Waiter>> waiters_;
  SubmitDeadlines submit_deadlines_{kStrandTimeout};
  std::map<Hash256, Verdict> rejected_;
  std::deque<Hash256> rejected_order_;
  NodeMetrics metrics_;
  bool flush_pending_ = false;
  std::chrono::steady_clock::time_point next_expiry_sweep_{};
};

template <typename T>
bool Node::await_strand(std::future<T>& future) const {
  const auto deadline = std::chrono::steady_clock::now() + kStrandTimeout;
  while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (io_.stopped() || std::chrono::steady_clock::now() > deadline) return false;
  }
  return true;
}

template <typename F>
auto Node::read(F fn) -> typename ReadResult<std::invoke_result_t<F, const Node&>>::type {
  using R = std::invoke_result_t<F, const Node&>;
  if (stopping_) return Status::Unavailable("the node is shutting down");
  auto promise = std::make_shared<std::promise<R>>();
  auto future = promise->get_future();
  boost::asio::post(io_, [this, promise, fn = std::move(fn)]() mutable {
    promise->set_value(fn(static_cast<const Node&>(*this)));
  });
  if (!await_strand(future)) return Status::Unavailable("the node did not answer in time");
  try {
    return future.get();
  } catch (const std::future_error&) {
    return Status::Unavailable("the node is shutting down");
  }
}

}  // namespace coopchain

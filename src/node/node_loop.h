// NodeLoop: the node's event loop. One Boost.Asio io_context, run by a single thread (the
// strand), owns the consensus replica and the submission pipeline; everything they touch is
// touched only there, so there are no locks around consensus state. It ticks the replica's clock,
// takes peer messages and submissions from gRPC threads (posted onto the strand after their
// signatures were checked where they arrived), and after every step syncs the step's writes,
// sends the replica's messages, settles its outcomes, and publishes the committed view and the
// node's status for readers. Private to the node module.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "coopchain/consensus/replica.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/net/peer_network.h"
#include "coopchain/node/chain_reader.h"
#include "coopchain/node/config.h"
#include "coopchain/node/metrics.h"
#include "coopchain/node/replica_storage.h"
#include "coopchain/node/submissions.h"
#include "coopchain/node/tx_status_table.h"
#include "coopchain/node/verified_signatures.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/world.h"
#include "incident_log.h"
#include "read_side.h"

namespace coopchain {

class NodeLoop final : public net::PeerHandler, public TransactionSubmitter {
 public:
  // Everything given outlives the loop.
  NodeLoop(const NodeConfig& config, const Genesis& genesis, const PrivateKey& validator_key,
           BlockStore& store, const Rules& rules, ReadSide& reads, TxStatusTable& statuses,
           NodeMetrics& metrics);
  ~NodeLoop() override;
  NodeLoop(const NodeLoop&) = delete;
  NodeLoop& operator=(const NodeLoop&) = delete;

  // Builds the replica and, with other validators, starts the peer network.
  Status start();
  // Runs the strand on the calling thread until stop(), then answers what was still queued.
  void run();
  // Safe from any thread.
  void stop();
  bool failed() const { return failed_.load(); }
  // It failed because a write or sync to the database failed (disk full, I/O error).
  bool storage_failed() const { return storage_failed_.load(); }
  // Runs `work` on the strand. Thread-safe.
  void post(std::function<void()> work);

  // TransactionSubmitter, from gRPC threads.
  void submit(const SignedTransaction& tx, bool wait, std::chrono::milliseconds timeout,
              std::shared_ptr<SubmitReply> reply) override;
  // net::PeerHandler, from gRPC threads.
  void deliver(consensus::Message message) override;
  void forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) override;
  void link_up(const std::string& peer) override;

 private:
  // Blocks are proposed after batch_delay_ms once something is queued: whatever is admitted
  // meanwhile joins the same block (group commit).
  void schedule_flush();
  void on_tick();
  // Sends what the replica wants sent and settles what it decided.
  void drain();
  // The replica's peers as the network links them: at the chain's address, or the config's
  // for a node the chain records none for (a genesis validator that never moved).
  std::vector<net::PeerMember> peer_members() const;
  // Starts the peer network with the replica's peers.
  Status start_network();
  // Refuses to run when a majority of the peers that answer agree this node's clock is off.
  Status compare_clocks();
  // Hands the replica's peers to the network (starting it for a node that had none).
  void link_members();
  void publish_status();
  void fail(const Status& status);

  const NodeConfig& config_;
  const Genesis& genesis_;
  const PrivateKey& validator_key_;
  BlockStore& store_;
  const Rules& rules_;
  ReadSide& reads_;
  TxStatusTable& statuses_;
  NodeMetrics& metrics_;
  IncidentLog incidents_{metrics_};
  VerifiedSignatures verified_;

  boost::asio::io_context io_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer flush_timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
  std::atomic<bool> storage_failed_{false};
  Status failure_;  // strand only: why it failed

  std::unique_ptr<BlockStoreReplicaStorage> replica_storage_;
  std::unique_ptr<consensus::Replica> replica_;
  std::unique_ptr<net::PeerNetwork> network_;
  uint64_t linked_membership_ = 0;  // the replica's membership_version() the network links
  std::unique_ptr<SubmissionPipeline> submissions_;
  consensus::Role last_role_ = consensus::Role::kFollower;
  uint64_t last_term_ = 0;
  std::string last_leader_;
  uint64_t published_height_ = 0;
  bool flush_pending_ = false;
  std::chrono::steady_clock::time_point next_status_{};
  std::chrono::steady_clock::time_point next_clock_probe_{};
  // How often peers' clocks are read for status, and how long start waits for them.
  static constexpr std::chrono::seconds kClockProbeInterval{5};
  static constexpr std::chrono::seconds kStartClockWait{2};
  // A peer's clock further off than this is logged at start (a tenth of the chain's skew).
  int64_t clock_warning_ms() const { return params_in_force().future_skew_ms / 10; }
  // The chain parameters after the committed head. REQUIRES: replica_storage_ is set.
  RuleParams params_in_force() const {
    return WorldView(replica_storage_->committed_state()).params();
  }
};

}  // namespace coopchain

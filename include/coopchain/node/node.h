// Node: the composition root of a running coopchaind. It owns the block store, the rules, the
// mempool and the block timer, all driven by one Boost.Asio io_context that a single thread runs
// (the strand): every piece of node state below is touched only from that thread. gRPC handler
// threads enter through `submit` and `read`, which post onto the strand and wait for its answer.
//
// This release runs a single-validator network: the node proposes each block, votes for it
// itself, and stores it with that one signed vote as its quorum certificate.
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

#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/node/config.h"
#include "coopchain/node/mempool.h"
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

enum class TxState { kUnknown = 0, kPending, kCommitted, kRejected };

struct TxOutcome {
  Hash256 id{};
  TxState state = TxState::kUnknown;
  uint64_t height = 0;  // kCommitted
  uint32_t index = 0;   // kCommitted
  Verdict verdict;      // kRejected
};

struct NodeMetrics {
  uint64_t blocks_committed = 0;
  uint64_t txs_committed = 0;
  uint64_t txs_rejected = 0;
  uint64_t submissions = 0;
};

class Node {
 public:
  // Opens (or initializes from genesis) the store and checks that it is sound: head, state root
  // and quorum certificate agree and the stored genesis is the configured one.
  static Result<std::unique_ptr<Node>> open(NodeConfig config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  boost::asio::io_context& io() { return io_; }
  // Schedules block production; the caller then runs io().run() on one thread.
  void start();
  // Stops block production, answers every waiting submitter, and lets io().run() return.
  // Safe from any thread.
  void stop();
  bool stopping() const { return stopping_.load(); }
  // The node stopped itself because it could not write a block; the process should exit
  // non-zero so that a supervisor notices.
  bool failed() const { return failed_.load(); }

  // Thread-safe. Decodes the payload, checks its signature and shape on the calling thread,
  // then admits it on the strand. With `wait`, returns once it is committed or rejected, or
  // after `timeout` as kPending. A refusal by the rules is a kRejected outcome, not an error.
  Result<TxOutcome> submit(const SignedTransaction& tx, bool wait,
                           std::chrono::milliseconds timeout);

  // Thread-safe. Runs fn(const Node&) on the strand and returns what it returns.
  template <typename F>
  auto read(F fn) -> typename ReadResult<std::invoke_result_t<F, const Node&>>::type;

  // Strand-only accessors, for use inside `read`.
  const BlockStore& store() const { return *store_; }
  const Genesis& genesis() const { return genesis_; }
  const Hash256& genesis_hash() const { return genesis_hash_; }
  const NodeConfig& config() const { return config_; }
  const Rules& rules() const { return rules_; }
  size_t mempool_size() const { return mempool_.size(); }
  const NodeMetrics& metrics() const { return metrics_; }
  TxOutcome transaction_outcome(const Hash256& id) const;

 private:
  Node(NodeConfig config, std::unique_ptr<BlockStore> store, Genesis genesis, PrivateKey key);

  using Waiter = std::shared_ptr<std::promise<TxOutcome>>;
  // Waits for work posted to the strand; false if it does not finish within kStrandTimeout or
  // the strand stopped first (then the work will never run).
  template <typename T>
  bool await_strand(std::future<T>& future) const;
  static constexpr std::chrono::seconds kStrandTimeout{30};
  Result<TxOutcome> admit(Transaction tx, const Waiter& waiter);
  // Arranges for a block to be cut: after batch_delay_ms once a transaction is pending, at once
  // when a full batch is pending.
  void schedule_block();
  void produce_block();
  void rebuild_pending();
  void settle(const TxOutcome& outcome);
  void remember_rejection(const Hash256& id, const Verdict& verdict);
  TimeMs next_block_time() const;

  NodeConfig config_;
  std::unique_ptr<BlockStore> store_;
  Genesis genesis_;
  Hash256 genesis_hash_{};
  PrivateKey validator_key_;
  Rules rules_;

  boost::asio::io_context io_;
  boost::asio::steady_timer block_timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};

  Mempool mempool_;
  // The mempool's transactions applied in order over the committed state: admission checks a
  // new transaction against what the chain will be once the pending ones are in.
  std::unique_ptr<StateOverlay> pending_;
  std::map<Hash256, std::vector<Waiter>> waiters_;
  std::map<Hash256, Verdict> rejected_;
  std::deque<Hash256> rejected_order_;
  NodeMetrics metrics_;
  bool block_timer_pending_ = false;
  bool block_posted_ = false;
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

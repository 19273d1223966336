// SubmissionPipeline: a submission's way from the strand to its answer.
// - Admission: on the leader, the transaction is offered to the replica, which checks it by the
//   rules against the chain as it will be and queues it (or refuses it with its rule code).
// - Forwarding: on a follower, it is passed to the leader; the leader's answer (queued,
//   committed, or refused) comes back on a network thread.
// - Waiters: a submitter who waits is answered when the transaction commits on this node (so
//   that what it reads here next agrees) or is refused.
// - Deadlines: when a submitter's wait is over it gets PENDING; a forwarded one whose leader
//   never answers gets UNAVAILABLE a while later.
// - Holding: a waiting submission that finds no leader known, or whose forward to the leader
//   fails (the leader died, an election is under way), is held and tried again as soon as a
//   leader is known and every half second, until its wait is over (then UNAVAILABLE: it is on
//   no node). Elections no longer fail the submissions that arrive during them.
// It also keeps the node's TxStatusTable (pending and rejected transactions) current for
// readers. Strand-only: every method runs on the node's strand; forwarding answers come back
// through `post`. The replica and the store outlive it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/consensus/replica.h"
#include "coopchain/core/tx_outcome.h"
#include "coopchain/node/metrics.h"
#include "coopchain/node/submit_deadlines.h"
#include "coopchain/node/submit_reply.h"
#include "coopchain/node/tx_status_table.h"
#include "coopchain/storage/block_store.h"

namespace coopchain {

class SubmissionPipeline {
 public:
  using Clock = std::chrono::steady_clock;
  // Passes a transaction to `leader`; `done` gets the leader's answer once, on any thread, and
  // must not block.
  using Forward = std::function<void(const std::string& leader, SignedTransaction tx,
                                     std::function<void(Result<TxOutcome>)> done)>;
  // Runs `work` on the strand later.
  using Post = std::function<void(std::function<void()> work)>;

  struct Options {
    size_t mempool_max_txs = 50'000;
    // A waiter outlives its submitter's own deadline by this much before it is dropped.
    Clock::duration waiter_grace = std::chrono::seconds(5);
    // A waiting submission that nobody answered this long after its deadline (a forwarded one
    // whose leader went away) is told the node did not answer.
    Clock::duration give_up_after = std::chrono::seconds(30);
    // A pending entry older than this is dropped once its transaction is no longer in flight
    // (a leader that lost its term drops its queue without a word).
    Clock::duration pending_memory = std::chrono::seconds(60);
  };

  // `committed` answers whether a transaction is committed (a cache in front of `store`);
  // `store` says where.
  SubmissionPipeline(Options options, consensus::Replica& replica, const StateReader& committed,
                     const BlockStore& store, TxStatusTable& statuses, NodeMetrics& metrics,
                     Forward forward, Post post);
  SubmissionPipeline(const SubmissionPipeline&) = delete;
  SubmissionPipeline& operator=(const SubmissionPipeline&) = delete;

  // A client's submission, decoded and verified. `reply` is answered once (see
  // TransactionSubmitter::submit); with `wait`, by `deadline` at the latest.
  void submit(Transaction tx, bool wait, Clock::time_point deadline,
              std::shared_ptr<SubmitReply> reply, TimeMs now_ms);
  // A submission a follower forwarded to this node: its outcome now, without waiting for the
  // commit (UNAVAILABLE when this node no longer leads).
  Result<TxOutcome> admit_forwarded(Transaction tx, TimeMs now_ms);
  // What the replica decided about a transaction: committed, or refused when a block was made.
  void settle(const consensus::TxOutcomeEvent& outcome);
  // Answers submitters whose wait is over, tries held submissions again, and forgets stale
  // waiters and pending entries.
  void tick(Clock::time_point now, TimeMs now_ms);
  // The replica's leader changed: held submissions are tried again now, and so are waiting
  // submissions the previous leader took but this node holds in no block.
  void leader_changed(TimeMs now_ms);
  // The node is stopping: every waiter learns its transaction is pending (not lost, not
  // committed).
  void stop();

  size_t waiting() const { return waiters_.size(); }
  size_t held() const { return held_.size(); }

 private:
  struct Waiter {
    std::shared_ptr<SubmitReply> reply;
    Clock::time_point expires;
  };
  // What admission decided: an outcome, or the leader to pass the transaction to.
  struct Admitted {
    Result<TxOutcome> outcome = Status::Unavailable("not admitted");
    std::string forward_to;
  };

  // A waiting submission with nowhere to go yet.
  struct Held {
    Transaction tx;
    Clock::time_point deadline;
    std::shared_ptr<SubmitReply> reply;
  };

  Admitted admit(Transaction& tx, const std::optional<Waiter>& waiter, bool forwarded,
                 TimeMs now_ms);
  // Admits, then forwards or answers. `held_retry`: a held submission tried again (its waiter
  // and deadline are registered already).
  void dispatch(Transaction tx, bool wait, Clock::time_point deadline,
                std::shared_ptr<SubmitReply> reply, TimeMs now_ms, bool held_retry);
  void forward(const std::string& leader, Transaction tx, std::shared_ptr<SubmitReply> reply,
               bool wait, Clock::time_point deadline);
  void hold(Held held);
  void retry_held(TimeMs now_ms);
  void reject(const Hash256& id, const Verdict& verdict);
  void resolve_waiters(const TxOutcome& outcome);
  // Committed here: its location; nullopt otherwise.
  std::optional<TxLocation> committed_at(const Hash256& id) const;

  Options options_;
  consensus::Replica& replica_;
  const StateReader& committed_;
  const BlockStore& store_;
  TxStatusTable& statuses_;
  NodeMetrics& metrics_;
  Forward forward_;
  Post post_;

  std::map<Hash256, std::vector<Waiter>> waiters_;
  SubmitDeadlines deadlines_;
  std::vector<Held> held_;
  // Transactions forwarded to a leader that took them, while a submitter here waits for the
  // commit: if that leader stops leading before this node holds them in a block, they go to
  // the next one (the leader dropped its queue).
  std::map<Hash256, Transaction> forwarded_waiting_;
  Clock::time_point next_sweep_{};
  Clock::time_point next_retry_{};
};

}  // namespace coopchain

#include "coopchain/node/submissions.h"

#include <spdlog/spdlog.h>

namespace coopchain {
namespace {

// How often stale waiters and pending entries are looked for.
constexpr std::chrono::seconds kSweepInterval{1};
// How often held submissions are tried again when no leader change prompts it.
constexpr std::chrono::milliseconds kRetryInterval{500};

TxOutcome pending(const Hash256& id) {
  return {id, TxState::kPending, 0, 0, {}};
}

TxOutcome dropped(const Hash256& id, const std::string& reason) {
  TxOutcome outcome{id, TxState::kDropped, 0, 0, {}};
  outcome.reason = reason;
  return outcome;
}

}  // namespace

SubmissionPipeline::SubmissionPipeline(Options options, consensus::Replica& replica,
                                       const StateReader& committed, const BlockStore& store,
                                       TxStatusTable& statuses, NodeMetrics& metrics,
                                       Forward forward, Post post)
    : options_(options),
      replica_(replica),
      committed_(committed),
      store_(store),
      statuses_(statuses),
      metrics_(metrics),
      forward_(std::move(forward)),
      post_(std::move(post)),
      deadlines_(options.give_up_after) {}

void SubmissionPipeline::submit(Transaction tx, bool wait, Clock::time_point deadline,
                                std::shared_ptr<SubmitReply> reply, TimeMs now_ms) {
  if (wait) deadlines_.add(deadline, reply);
  dispatch(std::move(tx), wait, deadline, std::move(reply), now_ms, /*held_retry=*/false);
}

void SubmissionPipeline::dispatch(Transaction tx, bool wait, Clock::time_point deadline,
                                  std::shared_ptr<SubmitReply> reply, TimeMs now_ms,
                                  bool held_retry) {
  std::optional<Waiter> waiter;
  if (wait) waiter = Waiter{reply, deadline + options_.waiter_grace};
  if (held_retry) {
    // Registered when it was first admitted: keep one waiter per reply.
    auto it = waiters_.find(tx.id);
    if (it != waiters_.end()) {
      std::erase_if(it->second, [&](const Waiter& w) { return w.reply == reply; });
      if (it->second.empty()) waiters_.erase(it);
    }
  }
  if (wait && replica_.role() != consensus::Role::kLeader && replica_.leader().empty() &&
      !committed_at(tx.id)) {
    hold({std::move(tx), deadline, std::move(reply)});
    return;
  }
  Admitted admitted = admit(tx, waiter, /*forwarded=*/false, now_ms);
  if (!admitted.forward_to.empty()) {
    forward(admitted.forward_to, std::move(tx), std::move(reply), wait, deadline);
  } else if (!admitted.outcome.ok() || !wait || admitted.outcome->state != TxState::kPending) {
    reply->resolve(std::move(admitted.outcome));
  } else {
    reply->note_pending(*admitted.outcome);
  }
}

void SubmissionPipeline::hold(Held held) {
  if (held.reply->answered()) return;  // answered meanwhile (its client went away)
  held_.push_back(std::move(held));
}

void SubmissionPipeline::leader_changed(TimeMs now_ms) {
  for (auto& [id, tx] : forwarded_waiting_) {
    auto it = waiters_.find(id);
    if (it == waiters_.end() || replica_.in_flight(id) || committed_at(id)) continue;
    for (const Waiter& w : it->second) {
      hold({tx, w.expires - options_.waiter_grace, w.reply});
    }
  }
  forwarded_waiting_.clear();
  if (!replica_.leader().empty()) retry_held(now_ms);
}

void SubmissionPipeline::retry_held(TimeMs now_ms) {
  next_retry_ = Clock::now() + kRetryInterval;
  std::vector<Held> retry = std::exchange(held_, {});
  for (Held& h : retry) {
    if (h.reply->answered()) continue;
    dispatch(std::move(h.tx), /*wait=*/true, h.deadline, std::move(h.reply), now_ms,
             /*held_retry=*/true);
  }
}

Result<TxOutcome> SubmissionPipeline::admit_forwarded(Transaction tx, TimeMs now_ms) {
  return admit(tx, std::nullopt, /*forwarded=*/true, now_ms).outcome;
}

std::optional<TxLocation> SubmissionPipeline::committed_at(const Hash256& id) const {
  // The committed-state cache answers "not committed" (most calls) without a database lookup.
  if (!committed_.has_transaction(id)) return std::nullopt;
  return store_.locate_transaction(id);
}

SubmissionPipeline::Admitted SubmissionPipeline::admit(Transaction& tx,
                                                       const std::optional<Waiter>& waiter,
                                                       bool forwarded, TimeMs now_ms) {
  metrics_.add_submission();
  if (auto loc = committed_at(tx.id)) {
    return {TxOutcome{tx.id, TxState::kCommitted, loc->height, loc->index, {}}, ""};
  }
  if (replica_.role() != consensus::Role::kLeader) {
    if (forwarded) {
      return {Status::Unavailable("this node is no longer the leader; try again"), ""};
    }
    const std::string& leader = replica_.leader();
    if (leader.empty() && replica_.lost_quorum()) {
      return {Status::Unavailable("this node is cut off from a majority of the validators (it "
                                  "stopped leading term " +
                                  std::to_string(replica_.term()) +
                                  "); submit to another node, or again once its links are back"),
              ""};
    }
    if (leader.empty()) {
      return {Status::Unavailable("no leader is known yet (term " +
                                  std::to_string(replica_.term()) + "); try again shortly"),
              ""};
    }
    metrics_.add_forwarded();
    statuses_.mark_pending(tx.id, Clock::now());
    if (waiter) waiters_[tx.id].push_back(*waiter);
    return {pending(tx.id), leader};
  }
  if (!replica_.in_flight(tx.id) && replica_.queued() >= options_.mempool_max_txs) {
    return {Status::Unavailable("the mempool is full (" + std::to_string(replica_.queued()) +
                                " transactions); try again shortly"),
            ""};
  }
  const Hash256 id = tx.id;
  consensus::Admission admission = replica_.propose(std::move(tx), now_ms);
  switch (admission.state) {
    case consensus::Admission::State::kQueued:
    case consensus::Admission::State::kInFlight:
      statuses_.mark_pending(id, Clock::now());
      if (waiter) waiters_[id].push_back(*waiter);
      return {pending(id), ""};
    case consensus::Admission::State::kRejected:
      statuses_.reject(id, admission.verdict);
      metrics_.add_tx_rejected();
      return {TxOutcome{id, TxState::kRejected, 0, 0, std::move(admission.verdict)}, ""};
    case consensus::Admission::State::kNotLeader:
      break;
  }
  return {Status::Unavailable("this node cannot propose right now; try again shortly"), ""};
}

void SubmissionPipeline::forward(const std::string& leader, Transaction tx,
                                 std::shared_ptr<SubmitReply> reply, bool wait,
                                 Clock::time_point deadline) {
  const Hash256 id = tx.id;
  SignedTransaction signed_tx = tx.signed_tx;
  forward_(leader, std::move(signed_tx),
           [this, id, reply = std::move(reply), wait, deadline,
            tx = wait ? std::optional<Transaction>(std::move(tx))
                      : std::nullopt](Result<TxOutcome> outcome) mutable {
             if (outcome.ok() && outcome->state == TxState::kRejected) {
               post_([this, o = *outcome] { reject(o.id, o.verdict); });
             } else if (outcome.ok() && wait) {
               // Queued or committed at the leader: the answer waits until this node holds the
               // block too, so that what the client reads here next agrees with what it was
               // told.
               reply->note_pending(pending(outcome->id));
               post_([this, t = std::move(*tx)]() mutable {
                 const Hash256 tx_id = t.id;
                 forwarded_waiting_.insert_or_assign(tx_id, std::move(t));
               });
               return;
             } else if (!outcome.ok()) {
               // The leader did not take it: not pending here either.
               statuses_.forget_pending(id);
               if (wait && outcome.status().code() == StatusCode::kUnavailable &&
                   Clock::now() < deadline) {
                 // The leader is gone or busy: hold it for the next one.
                 post_([this, h = Held{std::move(*tx), deadline, reply}]() mutable {
                   hold(std::move(h));
                 });
                 return;
               }
             }
             reply->resolve(std::move(outcome));
           });
}

void SubmissionPipeline::settle(const consensus::TxOutcomeEvent& outcome) {
  using Kind = consensus::TxOutcomeEvent::Kind;
  if (outcome.kind != Kind::kDropped) forwarded_waiting_.erase(outcome.id);
  switch (outcome.kind) {
    case Kind::kCommitted:
      metrics_.add_txs_committed(1);
      statuses_.forget_pending(outcome.id);
      if (waiters_.count(outcome.id) != 0) {
        resolve_waiters({outcome.id, TxState::kCommitted, outcome.height, outcome.index, {}});
      }
      return;
    case Kind::kRejected:
      reject(outcome.id, outcome.verdict);
      return;
    case Kind::kDropped:
      // Still in a block this node holds (a replaced block's transaction that the new chain
      // has too): not dropped after all.
      if (replica_.in_flight(outcome.id) || committed_at(outcome.id)) return;
      spdlog::info("tx {} dropped: {}", to_hex(outcome.id), outcome.reason);
      metrics_.add_tx_dropped();
      statuses_.drop(outcome.id, outcome.reason);
      resolve_waiters(dropped(outcome.id, outcome.reason));
      return;
  }
}

void SubmissionPipeline::reject(const Hash256& id, const Verdict& verdict) {
  // A resubmission of a committed transaction is refused as a duplicate; it stays committed.
  if (store_.locate_transaction(id)) return;
  spdlog::info("tx {} rejected: {}", to_hex(id), verdict.to_string());
  statuses_.reject(id, verdict);
  metrics_.add_tx_rejected();
  resolve_waiters({id, TxState::kRejected, 0, 0, verdict});
}

void SubmissionPipeline::resolve_waiters(const TxOutcome& outcome) {
  auto it = waiters_.find(outcome.id);
  if (it == waiters_.end()) return;
  for (auto& w : it->second) w.reply->resolve(outcome);
  waiters_.erase(it);
}

void SubmissionPipeline::tick(Clock::time_point now, TimeMs now_ms) {
  // Held submissions whose wait is over are on no node: say so before the deadline's PENDING.
  std::erase_if(held_, [&](Held& h) {
    if (h.reply->answered()) return true;
    if (now < h.deadline) return false;
    h.reply->resolve(Status::Unavailable(
        "no leader was reachable within the wait; the transaction is on no node: resubmit it"));
    return true;
  });
  if (!held_.empty() && now >= next_retry_) retry_held(now_ms);
  deadlines_.expire(now);
  if (now < next_sweep_) return;
  next_sweep_ = now + kSweepInterval;
  deadlines_.compact();
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    auto& list = it->second;
    std::erase_if(list, [&](const Waiter& w) { return w.expires < now; });
    it = list.empty() ? waiters_.erase(it) : std::next(it);
  }
  std::erase_if(forwarded_waiting_, [&](const auto& entry) {
    return waiters_.count(entry.first) == 0 || committed_at(entry.first).has_value();
  });
  const auto memory_s =
      std::chrono::duration_cast<std::chrono::seconds>(options_.pending_memory).count();
  statuses_.sweep(
      now - options_.pending_memory,
      [this](const Hash256& id) { return replica_.in_flight(id) || waiters_.count(id) != 0; },
      "in no block this node holds " + std::to_string(memory_s) +
          " s after the leader took it; that leader stepped down before proposing it");
}

void SubmissionPipeline::stop() {
  for (Held& h : held_) {
    h.reply->resolve(Status::Unavailable("the node is stopping; resubmit to another node"));
  }
  held_.clear();
  for (auto& [id, list] : waiters_) {
    for (auto& w : list) w.reply->resolve(pending(id));
  }
  waiters_.clear();
}

}  // namespace coopchain

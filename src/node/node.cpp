#include "coopchain/node/node.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "coopchain/consensus/block_check.h"
#include "coopchain/core/quorum.h"
#include "coopchain/devnet/files.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain {
namespace {

using devnet::read_file;

constexpr size_t kRejectionMemory = 100'000;
// Signatures verified on admission or on a block's arrival, remembered until the block that
// carries them is executed: many seconds of a busy network.
constexpr size_t kVerifiedMemory = 1 << 16;
// Of those, the ones kept decoded for the strand: the transactions of the blocks in flight
// (a few MiB at most).
constexpr size_t kDecodedMemory = 1 << 13;
// How often the replica's clock advances; well under every protocol timeout.
constexpr std::chrono::milliseconds kTickInterval{10};
// A waiter outlives its submitter's own timeout by this much before it is dropped.
constexpr std::chrono::seconds kWaiterGrace{5};

// Consensus runs on wall-clock milliseconds: block times are wall-clock times, and a follower
// refuses a block from too far in its future.
TimeMs wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<TxOutcome> decoded_and_verified(const SignedTransaction& signed_tx, const Rules& rules,
                                       VerifiedSignatures& verified, Transaction& tx) {
  auto decoded = verified.decode_verified(signed_tx);
  if (!decoded.ok()) {
    if (decoded.status().rule() == RuleCode::kOk) return decoded.status();
    return TxOutcome{signed_tx.id(), TxState::kRejected, 0, 0,
                     Verdict::reject(decoded.status().rule(), decoded.status().message())};
  }
  tx = std::move(decoded).value();
  Verdict shape = rules.check_shape(tx);
  if (!shape.ok()) return TxOutcome{tx.id, TxState::kRejected, 0, 0, std::move(shape)};
  return TxOutcome{tx.id, TxState::kUnknown, 0, 0, {}};
}

// The answer to one forwarded batch, sent once: by the strand once it admitted the batch, or,
// if the strand stopped before running it, when the last reference is dropped. Until admitted,
// each transaction's outcome is UNAVAILABLE.
struct ForwardReply {
  ForwardReply(net::PeerHandler::ForwardAnswer answer, size_t count)
      : answer(std::move(answer)),
        outcomes(count, Status::Unavailable("the node is shutting down")) {}
  ~ForwardReply() { send(); }
  ForwardReply(const ForwardReply&) = delete;
  ForwardReply& operator=(const ForwardReply&) = delete;

  void send() {
    if (!answer) return;
    auto once = std::exchange(answer, nullptr);
    once(std::move(outcomes));
  }

  net::PeerHandler::ForwardAnswer answer;
  std::vector<Result<TxOutcome>> outcomes;
};

Status check_peers(const NodeConfig& config, const Genesis& genesis) {
  if (genesis.validators.size() == 1) return Status::Ok();
  for (const auto& v : genesis.validators) {
    if (v.id == config.node_id) continue;
    bool listed = false;
    for (const auto& p : config.peers) listed = listed || p.id == v.id;
    if (!listed) {
      return Status::InvalidArgument("the config lists no peer address for validator " + v.id);
    }
  }
  for (const auto& p : config.peers) {
    bool validator = false;
    for (const auto& v : genesis.validators) validator = validator || v.id == p.id;
    if (!validator || p.id == config.node_id) {
      return Status::InvalidArgument("peer " + p.id + " is not another validator of the genesis");
    }
  }
  if (config.tls_ca_file.empty() || config.tls_cert_file.empty() || config.tls_key_file.empty()) {
    return Status::InvalidArgument(
        "a network of several validators needs tls_ca_file, tls_cert_file and tls_key_file");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(NodeConfig config) {
  auto genesis_text = read_file(config.genesis_file);
  if (!genesis_text.ok()) return genesis_text.status();
  auto genesis = wire::genesis_from_json(*genesis_text);
  if (!genesis.ok()) return genesis.status();
  auto key_pem = read_file(config.validator_key_file);
  if (!key_pem.ok()) return key_pem.status();
  auto key = PrivateKey::from_pem(*key_pem);
  if (!key.ok()) {
    return Status::InvalidArgument(config.validator_key_file + ": " + key.status().message());
  }
  const Validator* me = nullptr;
  for (const auto& v : genesis->validators) {
    if (v.id == config.node_id) me = &v;
  }
  if (me == nullptr || me->public_key != key->public_key()) {
    return Status::InvalidArgument("node " + config.node_id + " with key " +
                                   key_id(key->public_key()) +
                                   " is not a validator named in the genesis");
  }
  if (Status peers = check_peers(config, *genesis); !peers.ok()) return peers;

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Status::IOError("cannot create " + config.data_dir + ": " + ec.message());
  auto store = BlockStore::open({config.data_dir});
  if (!store.ok()) return store.status();

  if ((*store)->empty()) {
    Status st = (*store)->initialize(*genesis, *genesis_text, genesis_state(*genesis));
    if (!st.ok()) return st;
    spdlog::info("initialized chain {} from genesis {}", genesis->chain_id,
                 to_hex(coopchain::genesis_hash(*genesis)));
  } else {
    auto stored = (*store)->genesis_json();
    if (!stored.ok()) return stored.status();
    auto stored_genesis = wire::genesis_from_json(*stored);
    if (!stored_genesis.ok() ||
        coopchain::genesis_hash(*stored_genesis) != coopchain::genesis_hash(*genesis)) {
      return Status::InvalidArgument("the data dir " + config.data_dir +
                                     " holds another network's chain than " + config.genesis_file +
                                     " describes");
    }
  }
  Status consistent = (*store)->check_consistency();
  if (!consistent.ok()) {
    return Status::Corruption("refusing to serve: " + consistent.message());
  }
  const ChainHead head = *(*store)->head();
  if (head.height > 0) {
    auto block = (*store)->block(head.height);
    auto qc = (*store)->quorum_certificate(head.height);
    if (!block.ok() || !qc.ok()) return Status::Corruption("cannot read the head block");
    Status quorum = consensus::check_certificate(*genesis, *qc, block->header);
    if (!quorum.ok()) return Status::Corruption("refusing to serve: " + quorum.message());
  }
  spdlog::info("chain {} at height {} head {}", genesis->chain_id, head.height, to_hex(head.hash));
  return std::unique_ptr<Node>(new Node(std::move(config), std::move(store).value(),
                                        std::move(genesis).value(), std::move(key).value()));
}

Node::Node(NodeConfig config, std::unique_ptr<BlockStore> store, Genesis genesis, PrivateKey key)
    : config_(std::move(config)),
      store_(std::move(store)),
      genesis_(std::move(genesis)),
      genesis_hash_(coopchain::genesis_hash(genesis_)),
      validator_key_(std::move(key)),
      rules_(genesis_),
      verified_(kVerifiedMemory, kDecodedMemory),
      tick_timer_(io_),
      flush_timer_(io_) {}

Node::~Node() {
  // Peer handlers may still be running; they find the node stopping and the strand stopped.
  if (network_) network_->stop();
}

Status Node::start() {
  consensus::ReplicaOptions options;
  options.id = config_.node_id;
  options.election_timeout_min_ms = config_.election_timeout_min_ms;
  options.election_timeout_max_ms = config_.election_timeout_max_ms;
  options.heartbeat_ms = config_.heartbeat_ms;
  options.max_block_txs = config_.max_block_txs;
  if (config_.max_block_txs > genesis_.params.max_block_txs) {
    spdlog::warn(
        "max_block_txs {} is above the chain's limit of {}; this node proposes blocks of "
        "at most {}",
        config_.max_block_txs, genesis_.params.max_block_txs, genesis_.params.max_block_txs);
  }
  options.max_uncommitted_blocks = config_.max_pipeline_blocks;
  // Validators that start together must not time out together.
  options.seed = std::hash<std::string>{}(config_.node_id) ^ static_cast<uint64_t>(wall_clock_ms());
  replica_storage_ = std::make_unique<BlockStoreReplicaStorage>(*store_);
  replica_ = std::make_unique<consensus::Replica>(
      options, genesis_, validator_key_, *replica_storage_,
      [this](const SignedTransaction& tx) { return verified_.decode_verified(tx); },
      wall_clock_ms());
  if (!replica_->failure().ok()) return replica_->failure();

  if (genesis_.validators.size() > 1) {
    net::PeerNetworkOptions net_options;
    net_options.self_id = config_.node_id;
    net_options.listen = config_.peer_listen;
    for (const auto& p : config_.peers) net_options.peers.push_back({p.id, p.address});
    for (const auto& v : genesis_.validators) net_options.validators.push_back(v.id);
    for (auto [path, out] : {std::pair{&config_.tls_ca_file, &net_options.ca_pem},
                             std::pair{&config_.tls_cert_file, &net_options.cert_pem},
                             std::pair{&config_.tls_key_file, &net_options.key_pem}}) {
      auto pem = read_file(*path);
      if (!pem.ok()) return pem.status();
      *out = std::move(pem).value();
    }
    net_options.queue_limit = config_.peer_queue_limit;
    auto network = net::PeerNetwork::start(std::move(net_options), *this);
    if (!network.ok()) return network.status();
    network_ = std::move(network).value();
  }
  boost::asio::post(io_, [this] { on_tick(); });
  return Status::Ok();
}

void Node::run() {
  io_.run();
  // Whatever was posted meanwhile finds the node stopping and answers so.
  io_.restart();
  io_.poll();
}

void Node::stop() {
  if (stopping_.exchange(true)) return;
  boost::asio::post(io_, [this] {
    tick_timer_.cancel();
    flush_timer_.cancel();
    // Waiters learn nothing final: their transactions stay pending (not lost, not committed).
    for (auto& [id, list] : waiters_) {
      for (auto& w : list) w.reply->resolve(TxOutcome{id, TxState::kPending, 0, 0, {}});
    }
    waiters_.clear();
    io_.stop();
  });
}

// ---- submissions -----------------------------------------------------------------------------

void Node::submit(const SignedTransaction& signed_tx, bool wait, std::chrono::milliseconds timeout,
                  std::shared_ptr<SubmitReply> reply) {
  Transaction tx;
  auto checked = decoded_and_verified(signed_tx, rules_, verified_, tx);
  if (!checked.ok() || checked->state == TxState::kRejected) {
    reply->resolve(std::move(checked));
    return;
  }
  if (stopping_) {
    reply->resolve(Status::Unavailable("the node is shutting down"));
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  boost::asio::post(io_, [this, reply = std::move(reply), wait, deadline,
                          tx = std::move(tx)]() mutable {
    if (stopping_) {
      reply->resolve(Status::Unavailable("the node is shutting down"));
      return;
    }
    std::optional<Waiter> waiter;
    if (wait) {
      waiter = Waiter{reply, deadline + kWaiterGrace};
      submit_deadlines_.add(deadline, reply);
    }
    Admitted admitted = admit(tx, waiter, /*forwarded=*/false);
    if (!admitted.forward_to.empty()) {
      forward(admitted.forward_to, std::move(tx.signed_tx), std::move(reply), wait);
    } else if (!admitted.outcome.ok() || !wait || admitted.outcome->state != TxState::kPending) {
      reply->resolve(std::move(admitted.outcome));
    } else {
      reply->note_pending(*admitted.outcome);
    }
  });
}

void Node::forward(const std::string& leader, SignedTransaction tx,
                   std::shared_ptr<SubmitReply> reply, bool wait) {
  network_->forward_async(
      leader, std::move(tx), [this, reply = std::move(reply), wait](Result<TxOutcome> outcome) {
        if (outcome.ok() && outcome->state == TxState::kRejected) {
          boost::asio::post(io_, [this, o = *outcome] { note_rejection(o.id, o.verdict); });
        } else if (outcome.ok() && wait) {
          // Queued or committed at the leader: the answer waits until this node holds the block
          // too, so that what the client reads here next agrees with what it was told.
          reply->note_pending(TxOutcome{outcome->id, TxState::kPending, 0, 0, {}});
          return;
        }
        reply->resolve(std::move(outcome));
      });
}

void Node::forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) {
  auto reply = std::make_shared<ForwardReply>(std::move(answer), txs.size());
  // Checked here, on the calling gRPC thread, so that the strand only admits.
  std::vector<std::pair<size_t, Transaction>> admissible;
  for (size_t i = 0; i < txs.size(); ++i) {
    Transaction tx;
    auto checked = decoded_and_verified(txs[i], rules_, verified_, tx);
    if (checked.ok() && checked->state != TxState::kRejected) {
      admissible.emplace_back(i, std::move(tx));
    } else {
      reply->outcomes[i] = std::move(checked);
    }
  }
  if (admissible.empty() || stopping_) {
    reply->send();
    return;
  }
  boost::asio::post(io_, [this, reply, admissible = std::move(admissible)]() mutable {
    if (!stopping_) {
      for (auto& [index, tx] : admissible) {
        reply->outcomes[index] = admit(tx, std::nullopt, /*forwarded=*/true).outcome;
      }
    }
    reply->send();
  });
}

Node::Admitted Node::admit(Transaction& tx, const std::optional<Waiter>& waiter, bool forwarded) {
  ++metrics_.submissions;
  TxOutcome known = transaction_outcome(tx.id);
  if (known.state == TxState::kCommitted) return {known, ""};
  const bool leading = replica_->role() == consensus::Role::kLeader;
  if (!leading) {
    if (forwarded) {
      return {Status::Unavailable("this node is no longer the leader; try again"), ""};
    }
    const std::string& leader = replica_->leader();
    if (leader.empty()) {
      return {Status::Unavailable("no leader is known yet (term " +
                                  std::to_string(replica_->term()) + "); try again shortly"),
              ""};
    }
    ++metrics_.forwarded;
    if (waiter) waiters_[tx.id].push_back(*waiter);
    return {TxOutcome{tx.id, TxState::kPending, 0, 0, {}}, leader};
  }
  if (known.state != TxState::kPending && replica_->queued() >= config_.mempool_max_txs) {
    return {Status::Unavailable("the mempool is full (" + std::to_string(replica_->queued()) +
                                " transactions); try again shortly"),
            ""};
  }
  const Hash256 id = tx.id;
  consensus::Admission admission = replica_->propose(std::move(tx), wall_clock_ms());
  switch (admission.state) {
    case consensus::Admission::State::kQueued:
    case consensus::Admission::State::kInFlight:
      rejected_.erase(id);
      if (waiter) waiters_[id].push_back(*waiter);
      schedule_flush();
      return {TxOutcome{id, TxState::kPending, 0, 0, {}}, ""};
    case consensus::Admission::State::kRejected:
      remember_rejection(id, admission.verdict);
      ++metrics_.txs_rejected;
      return {TxOutcome{id, TxState::kRejected, 0, 0, std::move(admission.verdict)}, ""};
    case consensus::Admission::State::kNotLeader:
      break;
  }
  return {Status::Unavailable("this node cannot propose right now; try again shortly"), ""};
}

TxOutcome Node::transaction_outcome(const Hash256& id) const {
  // The committed-state cache answers "not committed" (most calls: admissions) without a
  // database lookup.
  const bool committed =
      !replica_storage_ || replica_storage_->committed_state().has_transaction(id);
  if (auto loc = committed ? store_->locate_transaction(id) : std::nullopt) {
    return {id, TxState::kCommitted, loc->height, loc->index, {}};
  }
  if (replica_ && replica_->in_flight(id)) return {id, TxState::kPending, 0, 0, {}};
  if (auto it = rejected_.find(id); it != rejected_.end()) {
    return {id, TxState::kRejected, 0, 0, it->second};
  }
  if (waiters_.count(id) != 0) return {id, TxState::kPending, 0, 0, {}};
  return {id, TxState::kUnknown, 0, 0, {}};
}

void Node::schedule_flush() {
  if (flush_pending_ || stopping_) return;
  flush_pending_ = true;
  auto flush = [this] {
    flush_pending_ = false;
    if (stopping_) return;
    replica_->flush(wall_clock_ms());
    drain();
  };
  if (config_.batch_delay_ms == 0) {
    // Posted behind the admissions already waiting on the strand, which join this block.
    boost::asio::post(io_, flush);
    return;
  }
  flush_timer_.expires_after(std::chrono::milliseconds(config_.batch_delay_ms));
  flush_timer_.async_wait([flush](const boost::system::error_code& ec) {
    if (!ec) flush();
  });
}

// ---- the replica's clock and outputs ---------------------------------------------------------

void Node::deliver(consensus::Message message) {
  if (stopping_) return;
  // Signatures of arriving blocks are checked here, on the peer's gRPC thread, so that the
  // strand finds them verified and only executes.
  if (auto* append = std::get_if<consensus::AppendRequest>(&message.payload)) {
    for (const Block& block : append->blocks) verified_.verify_all(block.txs);
  }
  boost::asio::post(io_, [this, message = std::move(message)] {
    if (stopping_) return;
    replica_->receive(message, wall_clock_ms());
    drain();
  });
}

void Node::on_tick() {
  if (stopping_) return;
  replica_->tick(wall_clock_ms());
  drain();
  submit_deadlines_.expire(std::chrono::steady_clock::now());
  expire_waiters();
  tick_timer_.expires_after(kTickInterval);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_tick();
  });
}

void Node::drain() {
  // Group commit: the step's writes reach the disk in one fsync before anyone hears of them.
  if (Status synced = replica_storage_->sync(); !synced.ok()) {
    if (!failed_) {
      spdlog::critical("consensus stopped: {}; stopping", synced.to_string());
      failed_ = true;
      stop();
    }
    replica_->take_messages();
    replica_->take_outcomes();
    return;
  }
  for (auto& m : replica_->take_messages()) {
    if (network_) network_->send(std::move(m));
  }
  uint64_t last_height = 0;
  for (const auto& o : replica_->take_outcomes()) {
    if (o.committed) {
      ++metrics_.txs_committed;
      if (o.height != last_height) ++metrics_.blocks_committed;
      last_height = o.height;
      if (waiters_.count(o.id) != 0) settle({o.id, TxState::kCommitted, o.height, o.index, {}});
    } else {
      note_rejection(o.id, o.verdict);
    }
  }
  if (replica_->role() != last_role_ || replica_->term() != last_term_ ||
      replica_->leader() != last_leader_) {
    if (replica_->role() == consensus::Role::kLeader && last_role_ != consensus::Role::kLeader) {
      ++metrics_.elections_won;
      spdlog::info("leader in term {} at height {}", replica_->term(), replica_->last_height());
    } else if (replica_->role() == consensus::Role::kFollower && !replica_->leader().empty() &&
               replica_->leader() != last_leader_) {
      spdlog::info("following {} in term {}", replica_->leader(), replica_->term());
    }
    last_role_ = replica_->role();
    last_term_ = replica_->term();
    last_leader_ = replica_->leader();
  }
  if (!replica_->failure().ok() && !failed_) {
    // The disk refused a synced write: nothing more is acknowledged, and a node that cannot
    // write must not go on voting.
    spdlog::critical("consensus stopped: {}; stopping", replica_->failure().to_string());
    failed_ = true;
    stop();
  }
}

void Node::note_rejection(const Hash256& id, const Verdict& verdict) {
  if (store_->locate_transaction(id)) return;
  spdlog::info("tx {} rejected: {}", to_hex(id), verdict.to_string());
  remember_rejection(id, verdict);
  ++metrics_.txs_rejected;
  settle({id, TxState::kRejected, 0, 0, verdict});
}

void Node::settle(const TxOutcome& outcome) {
  auto it = waiters_.find(outcome.id);
  if (it == waiters_.end()) return;
  for (auto& w : it->second) w.reply->resolve(outcome);
  waiters_.erase(it);
}

void Node::expire_waiters() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_expiry_sweep_) return;
  next_expiry_sweep_ = now + std::chrono::seconds(1);
  submit_deadlines_.compact();
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    auto& list = it->second;
    std::erase_if(list, [&](const Waiter& w) { return w.expires < now; });
    it = list.empty() ? waiters_.erase(it) : std::next(it);
  }
}

void Node::remember_rejection(const Hash256& id, const Verdict& verdict) {
  if (rejected_.insert_or_assign(id, verdict).second) rejected_order_.push_back(id);
  while (rejected_order_.size() > kRejectionMemory) {
    rejected_.erase(rejected_order_.front());
    rejected_order_.pop_front();
  }
}

// ---- status ----------------------------------------------------------------------------------

std::string_view Node::role() const {
  return replica_ ? consensus::role_name(replica_->role()) : "STARTING";
}

std::vector<PeerView> Node::peers() const {
  std::vector<PeerView> out;
  if (!network_) return out;
  const bool leading = replica_->role() == consensus::Role::kLeader;
  for (const auto& h : network_->health()) {
    PeerView view{h.id, h.address, h.connected, 0, 0, h.last_error};
    if (leading) {
      view.match_height = replica_->match_height(h.id);
      view.lag = replica_->last_height() - std::min(view.match_height, replica_->last_height());
    }
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace coopchain

#include "node_loop.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include <boost/asio/post.hpp>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/files.h"
#include "coopchain/core/x509.h"
#include "coopchain/node/clock_check.h"

namespace coopchain {
namespace {

// Signatures verified on admission or on a block's arrival, remembered until the block that
// carries them is executed: many seconds of a busy network.
constexpr size_t kVerifiedMemory = 1 << 16;
// Of those, the ones kept decoded for the strand: the transactions of the blocks in flight
// (a few MiB at most).
constexpr size_t kDecodedMemory = 1 << 13;
// How often the replica's clock advances; well under every protocol timeout.
constexpr std::chrono::milliseconds kTickInterval{10};
// How often the status readers see (mempool size, peers) is refreshed when nothing else changes.
constexpr std::chrono::milliseconds kStatusInterval{100};
// A forwarded submission whose leader never answers is given up this long after its deadline.
constexpr std::chrono::seconds kGiveUpAfter{30};

// Consensus runs on wall-clock milliseconds: block times are wall-clock times, and a follower
// refuses a block from too far in its future.
TimeMs wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Decodes and verifies a submission and runs the stateless checks: the outcome when that
// already decides it (a refusal), else kUnknown with `tx` filled in.
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

}  // namespace

NodeLoop::NodeLoop(const NodeConfig& config, const Genesis& genesis,
                   const PrivateKey& validator_key, BlockStore& store, const Rules& rules,
                   ReadSide& reads, TxStatusTable& statuses, NodeMetrics& metrics)
    : config_(config),
      genesis_(genesis),
      validator_key_(validator_key),
      store_(store),
      rules_(rules),
      reads_(reads),
      statuses_(statuses),
      metrics_(metrics),
      verified_(kVerifiedMemory, kDecodedMemory),
      tick_timer_(io_),
      flush_timer_(io_),
      published_height_(store.head()->height) {}

NodeLoop::~NodeLoop() {
  // Peer handlers may still be running; they find the loop stopping and the strand stopped.
  if (network_) network_->stop();
}

Status NodeLoop::start() {
  consensus::ReplicaOptions options;
  options.id = config_.node_id;
  options.election_timeout_min_ms = config_.election_timeout_min_ms;
  options.election_timeout_max_ms = config_.election_timeout_max_ms;
  options.heartbeat_ms = config_.heartbeat_ms;
  options.max_block_txs = config_.max_block_txs;
  replica_storage_ = std::make_unique<BlockStoreReplicaStorage>(store_);
  if (const RuleParams params = params_in_force(); config_.max_block_txs > params.max_block_txs) {
    spdlog::warn(
        "max_block_txs {} is above the chain's limit of {}; this node proposes blocks of "
        "at most {}",
        config_.max_block_txs, params.max_block_txs, params.max_block_txs);
  }
  options.max_uncommitted_blocks = config_.max_pipeline_blocks;
  // Validators that start together must not time out together.
  options.seed = std::hash<std::string>{}(config_.node_id) ^ static_cast<uint64_t>(wall_clock_ms());
  replica_ = std::make_unique<consensus::Replica>(
      options, genesis_, validator_key_, *replica_storage_,
      [this](const SignedTransaction& tx) { return verified_.decode_verified(tx); },
      wall_clock_ms());
  if (!replica_->failure().ok()) return replica_->failure();

  // A node alone in its chain (a one-validator network) needs no peers until the chain adds one.
  if (!replica_->peer_records().empty()) {
    if (Status network = start_network(); !network.ok()) return network;
    if (Status clocks = compare_clocks(); !clocks.ok()) return clocks;
  }

  SubmissionPipeline::Options pipeline;
  pipeline.mempool_max_txs = config_.mempool_max_txs;
  pipeline.give_up_after = kGiveUpAfter;
  submissions_ = std::make_unique<SubmissionPipeline>(
      pipeline, *replica_, replica_storage_->committed_state(), store_, statuses_, metrics_,
      [this](const std::string& leader, SignedTransaction tx,
             std::function<void(Result<TxOutcome>)> done) {
        network_->forward_async(leader, std::move(tx), std::move(done));
      },
      [this](std::function<void()> work) { post(std::move(work)); });
  publish_status();
  post([this] { on_tick(); });
  return Status::Ok();
}

void NodeLoop::run() {
  io_.run();
  // Whatever was posted meanwhile finds the node stopping and answers so.
  io_.restart();
  io_.poll();
}

void NodeLoop::stop() {
  if (stopping_.exchange(true)) return;
  reads_.set_stopping();
  post([this] {
    tick_timer_.cancel();
    flush_timer_.cancel();
    if (submissions_) submissions_->stop();
    io_.stop();
  });
}

void NodeLoop::post(std::function<void()> work) {
  boost::asio::post(io_, std::move(work));
}

// ---- submissions -----------------------------------------------------------------------------

void NodeLoop::submit(const SignedTransaction& signed_tx, bool wait,
                      std::chrono::milliseconds timeout, std::shared_ptr<SubmitReply> reply) {
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
  post([this, reply = std::move(reply), wait, deadline, tx = std::move(tx)]() mutable {
    if (stopping_) {
      reply->resolve(Status::Unavailable("the node is shutting down"));
      return;
    }
    submissions_->submit(std::move(tx), wait, deadline, std::move(reply), wall_clock_ms());
    if (replica_->queued() != 0) schedule_flush();
  });
}

void NodeLoop::forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) {
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
  post([this, reply, admissible = std::move(admissible)]() mutable {
    if (!stopping_) {
      for (auto& [index, tx] : admissible) {
        reply->outcomes[index] = submissions_->admit_forwarded(std::move(tx), wall_clock_ms());
      }
      if (replica_->queued() != 0) schedule_flush();
    }
    reply->send();
  });
}

void NodeLoop::schedule_flush() {
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
    post(flush);
    return;
  }
  flush_timer_.expires_after(std::chrono::milliseconds(config_.batch_delay_ms));
  flush_timer_.async_wait([flush](const boost::system::error_code& ec) {
    if (!ec) flush();
  });
}

// ---- the replica's clock and outputs ---------------------------------------------------------

void NodeLoop::deliver(consensus::Message message) {
  if (stopping_) return;
  // Signatures of arriving blocks are checked here, on the peer's gRPC thread, so that the
  // strand finds them verified and only executes.
  if (auto* append = std::get_if<consensus::AppendRequest>(&message.payload)) {
    for (const Block& block : append->blocks) verified_.verify_all(block.txs);
  }
  post([this, message = std::move(message)] {
    if (stopping_) return;
    replica_->receive(message, wall_clock_ms());
    drain();
  });
}

void NodeLoop::link_up(const std::string& peer) {
  if (stopping_) return;
  post([this, peer] {
    if (stopping_) return;
    replica_->link_up(peer, wall_clock_ms());
    drain();
  });
}

void NodeLoop::on_tick() {
  if (stopping_) return;
  replica_->tick(wall_clock_ms());
  drain();
  const auto now = std::chrono::steady_clock::now();
  submissions_->tick(now, wall_clock_ms());
  if (network_ && now >= next_clock_probe_) {
    next_clock_probe_ = now + kClockProbeInterval;
    network_->probe_clocks();
  }
  if (now >= next_status_) publish_status();
  tick_timer_.expires_after(kTickInterval);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_tick();
  });
}

void NodeLoop::drain() {
  // Group commit: the step's writes reach the disk in one fsync before anyone hears of them.
  if (Status synced = replica_storage_->sync(); !synced.ok()) {
    fail(synced);
    replica_->take_messages();
    replica_->take_outcomes();
    replica_->take_incidents();
    return;
  }
  // Readers get the new commits only now that they are durable, and before their transactions
  // leave the pending table (ReadSide::transaction_outcome relies on that order).
  const uint64_t committed = replica_->committed_height();
  if (committed != published_height_) {
    metrics_.add_blocks_committed(committed - published_height_);
    published_height_ = committed;
    reads_.publish(store_.view());
  }
  // Links follow the chain's membership before the messages that may need them go out.
  if (replica_->membership_version() != linked_membership_) link_members();
  for (auto& m : replica_->take_messages()) {
    if (network_) network_->send(std::move(m));
  }
  for (const auto& outcome : replica_->take_outcomes()) submissions_->settle(outcome);
  for (const auto& incident : replica_->take_incidents()) {
    incidents_.record(incident, std::chrono::steady_clock::now());
  }
  if (replica_->role() != last_role_ || replica_->term() != last_term_ ||
      replica_->leader() != last_leader_) {
    if (replica_->role() == consensus::Role::kLeader && last_role_ != consensus::Role::kLeader) {
      metrics_.add_election_won();
      spdlog::info("leader in term {} at height {}", replica_->term(), replica_->last_height());
    } else if (replica_->role() == consensus::Role::kFollower && !replica_->leader().empty() &&
               replica_->leader() != last_leader_) {
      spdlog::info("following {} in term {}", replica_->leader(), replica_->term());
    } else if (last_role_ == consensus::Role::kLeader && replica_->lost_quorum()) {
      spdlog::warn(
          "stopped leading term {}: heard from no majority of the validators within the election "
          "timeout (the links to them are down, or this node's clock jumped ahead); submissions "
          "are answered UNAVAILABLE until a leader is heard from",
          replica_->term());
    }
    const bool leader_changed = replica_->leader() != last_leader_;
    last_role_ = replica_->role();
    last_term_ = replica_->term();
    last_leader_ = replica_->leader();
    publish_status();
    if (leader_changed) submissions_->leader_changed(wall_clock_ms());
  }
  if (!replica_->failure().ok()) fail(replica_->failure());
}

Status NodeLoop::start_network() {
  net::PeerNetworkOptions net_options;
  net_options.self_id = config_.node_id;
  net_options.listen = config_.peer_listen;
  // Peers known by the pins the chain records, or by the network CA.
  const bool pinned = pins_peers(genesis_);
  net_options.members = peer_members();
  net_options.pinned = pinned;
  linked_membership_ = replica_->membership_version();
  for (auto [path, out] : {std::pair{&config_.tls_ca_file, &net_options.ca_pem},
                           std::pair{&config_.tls_cert_file, &net_options.cert_pem},
                           std::pair{&config_.tls_key_file, &net_options.key_pem}}) {
    if (pinned && path == &config_.tls_ca_file) continue;
    auto pem = read_file(*path);
    if (!pem.ok()) return pem.status();
    *out = std::move(pem).value();
  }
  if (auto validity = certificate_validity(net_options.cert_pem); validity.ok()) {
    if (auto why = clock_outside_certificate(wall_clock_ms() / 1000, *validity)) {
      return Status(StatusCode::kFailedPrecondition, *why);
    }
  }
  net_options.queue_limit = config_.peer_queue_limit;
  net_options.connect_timeout = std::chrono::milliseconds(config_.peer_connect_timeout_ms);
  net_options.compress_from_bytes = config_.peer_compress_from_bytes;
  auto network = net::PeerNetwork::start(std::move(net_options), *this);
  if (!network.ok()) return network.status();
  network_ = std::move(network).value();
  return Status::Ok();
}

Status NodeLoop::compare_clocks() {
  // A validator whose clock is off would stall the chain or refuse honest events. Peers not
  // up yet cannot be compared: the node starts, and status shows the offsets later.
  const auto offsets = network_->measure_clocks(kStartClockWait);
  const size_t nodes = replica_->peer_records().size() + 1;
  if (auto why = clock_disagreement(offsets, nodes, params_in_force().future_skew_ms)) {
    network_->stop();
    return Status(StatusCode::kFailedPrecondition, *why);
  }
  for (const auto& o : offsets) {
    if (std::llabs(o.offset_ms) > clock_warning_ms()) {
      spdlog::warn(
          "{}'s clock reads {} against this node's (round trip {} ms); above {} one "
          "of them is wrong (docs/operations.md, Clock)",
          o.peer, format_signed_seconds(o.offset_ms), o.rtt_ms,
          format_signed_seconds(clock_warning_ms()));
    }
  }
  if (offsets.size() < nodes - 1) {
    spdlog::info("compared clocks with {} of {} peers (the others are not up yet)", offsets.size(),
                 nodes - 1);
  }
  return Status::Ok();
}

void NodeLoop::link_members() {
  linked_membership_ = replica_->membership_version();
  if (network_) {
    network_->set_members(peer_members());
  } else if (!replica_->peer_records().empty()) {
    // The chain added the first node beside this one.
    if (Status network = start_network(); !network.ok()) {
      spdlog::error("cannot link to the nodes the chain added: {}", network.to_string());
    }
  }
}

std::vector<net::PeerMember> NodeLoop::peer_members() const {
  std::vector<net::PeerMember> members;
  for (const NodeRecord& node : replica_->peer_records()) {
    net::PeerMember m{node.node_id, node.peer_address, node.tls_pin};
    // The chain records an address for every node added or moved since the genesis, and a
    // rotation outdates what a config says; the config's peers name the genesis's validators.
    for (const auto& p : config_.peers) {
      if (p.id == node.node_id && m.address.empty()) m.address = p.address;
    }
    members.push_back(std::move(m));
  }
  return members;
}

void NodeLoop::fail(const Status& status) {
  if (failed_) return;
  // The disk refused a write: nothing more is acknowledged, and a node that cannot write must
  // not go on voting.
  spdlog::critical("consensus stopped: {}; stopping", status.to_string());
  storage_failed_ = !store_.write_failure().ok();
  failed_ = true;
  failure_ = status;
  publish_status();
  stop();
}

void NodeLoop::publish_status() {
  next_status_ = std::chrono::steady_clock::now() + kStatusInterval;
  NodeStatusView status;
  status.role = std::string(consensus::role_name(replica_->role()));
  status.term = replica_->term();
  status.leader = replica_->leader();
  status.mempool_size = replica_->queued();
  status.majority_in_contact = replica_->majority_in_contact(wall_clock_ms());
  status.leader_commit = replica_->leader_commit();
  status.storage_ok = failure_.ok();
  status.storage_error = failure_.ok() ? "" : failure_.to_string();
  status.published_at = std::chrono::steady_clock::now();
  if (network_) {
    const bool leading = replica_->role() == consensus::Role::kLeader;
    for (const auto& h : network_->health()) {
      PeerView view{h.id, h.address, h.connected, 0, 0, h.last_error, std::nullopt, std::nullopt};
      if (h.clock) {
        view.clock_offset_ms = h.clock->offset_ms;
        view.round_trip_ms = h.clock->rtt_ms;
      }
      if (leading) {
        view.match_height = replica_->match_height(h.id);
        view.lag = replica_->last_height() - std::min(view.match_height, replica_->last_height());
      }
      status.peers.push_back(std::move(view));
    }
  }
  reads_.publish(std::move(status));
}

}  // namespace coopchain

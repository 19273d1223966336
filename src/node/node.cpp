#include "coopchain/node/node.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "coopchain/core/quorum.h"
#include "coopchain/rules/execute.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain {
namespace {

constexpr size_t kRejectionMemory = 100'000;
constexpr uint64_t kSingleValidatorTerm = 1;

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TimeMs wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(NodeConfig config) {
  auto genesis_text = read_file(config.genesis_file);
  if (!genesis_text.ok()) return genesis_text.status();
  auto genesis = wire::genesis_from_json(*genesis_text);
  if (!genesis.ok()) return genesis.status();
  if (genesis->validators.size() != 1) {
    return Status::InvalidArgument("the genesis names " +
                                   std::to_string(genesis->validators.size()) +
                                   " validators; this release runs single-validator networks only");
  }
  auto key_pem = read_file(config.validator_key_file);
  if (!key_pem.ok()) return key_pem.status();
  auto key = PrivateKey::from_pem(*key_pem);
  if (!key.ok()) {
    return Status::InvalidArgument(config.validator_key_file + ": " + key.status().message());
  }
  const Validator& me = genesis->validators.front();
  if (me.id != config.node_id || me.public_key != key->public_key()) {
    return Status::InvalidArgument("node " + config.node_id + " with key " +
                                   key_id(key->public_key()) +
                                   " is not the validator named in the genesis (" + me.id + ")");
  }

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
    Status quorum = verify_quorum(*qc, block->header, genesis->chain_id, genesis->validators);
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
      block_timer_(io_),
      mempool_(config_.mempool_max_txs),
      pending_(std::make_unique<StateOverlay>(*store_)) {}

Node::~Node() = default;

void Node::start() {
  // Blocks are cut on demand (schedule_block); nothing to do until a transaction arrives.
}

void Node::stop() {
  if (stopping_.exchange(true)) return;
  boost::asio::post(io_, [this] {
    block_timer_.cancel();
    // Waiters learn nothing final: their transactions stay pending (not lost, not committed).
    for (auto& [id, list] : waiters_) {
      for (auto& w : list) w->set_value(TxOutcome{id, TxState::kPending, 0, 0, {}});
    }
    waiters_.clear();
    io_.stop();
  });
}

Result<TxOutcome> Node::submit(const SignedTransaction& signed_tx, bool wait,
                               std::chrono::milliseconds timeout) {
  auto decoded = wire::decode_transaction(signed_tx);
  if (!decoded.ok()) {
    if (decoded.status().rule() == RuleCode::kOk) return decoded.status();
    return TxOutcome{signed_tx.id(), TxState::kRejected, 0, 0,
                     Verdict::reject(decoded.status().rule(), decoded.status().message())};
  }
  Transaction tx = std::move(decoded).value();
  if (!verify_transaction_signature(tx)) {
    return TxOutcome{tx.id, TxState::kRejected, 0, 0,
                     Verdict::reject(RuleCode::kBadSignature,
                                     "the signature does not match the payload and its key " +
                                         tx.signer_key_id)};
  }
  Verdict shape = rules_.check_shape(tx);
  if (!shape.ok()) return TxOutcome{tx.id, TxState::kRejected, 0, 0, std::move(shape)};
  if (stopping_) return Status::Unavailable("the node is shutting down");

  auto admitted = std::make_shared<std::promise<Result<TxOutcome>>>();
  auto admitted_future = admitted->get_future();
  Waiter waiter = wait ? std::make_shared<std::promise<TxOutcome>>() : nullptr;
  auto final_future = waiter ? waiter->get_future() : std::future<TxOutcome>();
  boost::asio::post(io_, [this, admitted, waiter, tx = std::move(tx)]() mutable {
    admitted->set_value(admit(std::move(tx), waiter));
  });
  if (!await_strand(admitted_future)) {
    return Status::Unavailable("the node did not answer in time");
  }
  Result<TxOutcome> outcome = Status::Unavailable("the node is shutting down");
  try {
    outcome = admitted_future.get();
  } catch (const std::future_error&) {
    return outcome;
  }
  if (!outcome.ok() || !wait || outcome->state != TxState::kPending) return outcome;
  if (final_future.wait_for(timeout) != std::future_status::ready) return outcome;
  try {
    return final_future.get();
  } catch (const std::future_error&) {
    return outcome;
  }
}

Result<TxOutcome> Node::admit(Transaction tx, const Waiter& waiter) {
  ++metrics_.submissions;
  TxOutcome known = transaction_outcome(tx.id);
  if (known.state == TxState::kCommitted) return known;
  if (known.state == TxState::kPending) {
    if (waiter) waiters_[tx.id].push_back(waiter);
    return known;
  }
  if (mempool_.full()) {
    return Status::Unavailable("the mempool is full (" + std::to_string(mempool_.size()) +
                               " transactions); try again shortly");
  }
  const ChainHead& head = *store_->head();
  StateOverlay trial(*pending_);
  Verdict verdict = rules_.apply(trial, tx, {head.height + 1, next_block_time()});
  if (!verdict.ok()) {
    remember_rejection(tx.id, verdict);
    ++metrics_.txs_rejected;
    return TxOutcome{tx.id, TxState::kRejected, 0, 0, std::move(verdict)};
  }
  pending_->merge(std::move(trial));
  const Hash256 id = tx.id;
  rejected_.erase(id);
  mempool_.add(std::move(tx));
  if (waiter) waiters_[id].push_back(waiter);
  schedule_block();
  return TxOutcome{id, TxState::kPending, 0, 0, {}};
}

TxOutcome Node::transaction_outcome(const Hash256& id) const {
  if (auto loc = store_->locate_transaction(id)) {
    return {id, TxState::kCommitted, loc->height, loc->index, {}};
  }
  if (mempool_.contains(id)) return {id, TxState::kPending, 0, 0, {}};
  if (auto it = rejected_.find(id); it != rejected_.end()) {
    return {id, TxState::kRejected, 0, 0, it->second};
  }
  return {id, TxState::kUnknown, 0, 0, {}};
}

void Node::schedule_block() {
  if (stopping_ || mempool_.size() == 0) return;
  if (mempool_.size() >= config_.max_block_txs) {
    // A full batch is cut at once, whether or not the delay was running.
    if (block_timer_pending_) block_timer_.cancel();
    block_timer_pending_ = false;
    if (!block_posted_) {
      block_posted_ = true;
      boost::asio::post(io_, [this] {
        block_posted_ = false;
        produce_block();
      });
    }
    return;
  }
  if (block_timer_pending_ || block_posted_) return;
  block_timer_pending_ = true;
  block_timer_.expires_after(std::chrono::milliseconds(config_.batch_delay_ms));
  block_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: a full batch was cut instead
    block_timer_pending_ = false;
    produce_block();
  });
}

TimeMs Node::next_block_time() const {
  return std::max(wall_clock_ms(), store_->head()->time_ms + 1);
}

void Node::produce_block() {
  if (stopping_ || mempool_.size() == 0) return;
  const ChainHead head = *store_->head();
  const std::vector<const Transaction*> candidates = mempool_.oldest(config_.max_block_txs);
  const BlockContext ctx{head.height + 1, next_block_time()};
  ExecutedTransactions executed = execute_transactions(rules_, *store_, candidates, ctx);

  std::vector<TxOutcome> outcomes;
  for (auto& [index, verdict] : executed.rejected) {
    const Hash256 id = candidates[index]->id;
    spdlog::info("tx {} rejected at block building: {}", to_hex(id), verdict.to_string());
    outcomes.push_back({id, TxState::kRejected, 0, 0, verdict});
  }
  Block block;
  for (size_t index : executed.accepted) block.txs.push_back(candidates[index]->signed_tx);
  if (!block.txs.empty()) {
    BlockHeader& h = block.header;
    h.height = ctx.height;
    h.prev_hash = head.hash;
    h.tx_root = compute_tx_root(block.txs);
    h.state_root = next_state_root(head.state_root, h.height, executed.changes);
    h.time_ms = ctx.block_time;
    h.term = kSingleValidatorTerm;
    h.proposer = config_.node_id;
    const Hash256 hash = block.hash();
    QuorumCertificate qc{
        h.height,
        hash,
        {sign_vote(validator_key_, config_.node_id, genesis_.chain_id, h.term, h.height, hash)}};
    Status st = store_->commit_block(block, qc, executed.changes);
    if (!st.ok()) {
      // The disk refused a synced write: nothing of this block is acknowledged, and a node that
      // cannot write must not go on deciding.
      spdlog::critical("cannot commit block {}: {}; stopping", h.height, st.to_string());
      failed_ = true;
      stop();
      return;
    }
    ++metrics_.blocks_committed;
    metrics_.txs_committed += block.txs.size();
    spdlog::info("committed block {} {} with {} txs", h.height, to_hex(hash), block.txs.size());
    for (uint32_t i = 0; i < block.txs.size(); ++i) {
      outcomes.push_back({block.txs[i].id(), TxState::kCommitted, h.height, i, {}});
    }
  }
  for (const auto& outcome : outcomes) {
    mempool_.remove(outcome.id);
    if (outcome.state == TxState::kRejected) {
      remember_rejection(outcome.id, outcome.verdict);
      ++metrics_.txs_rejected;
    }
    settle(outcome);
  }
  rebuild_pending();
  // Transactions that arrived while this block was written form the next batch: group commit.
  schedule_block();
}

void Node::rebuild_pending() {
  pending_ = std::make_unique<StateOverlay>(*store_);
  const BlockContext ctx{store_->head()->height + 1, next_block_time()};
  std::vector<TxOutcome> dropped;
  for (const Transaction& tx : mempool_.all()) {
    StateOverlay trial(*pending_);
    Verdict verdict = rules_.apply(trial, tx, ctx);
    if (verdict.ok()) {
      pending_->merge(std::move(trial));
    } else {
      dropped.push_back({tx.id, TxState::kRejected, 0, 0, std::move(verdict)});
    }
  }
  for (const auto& outcome : dropped) {
    mempool_.remove(outcome.id);
    remember_rejection(outcome.id, outcome.verdict);
    ++metrics_.txs_rejected;
    settle(outcome);
  }
}

void Node::settle(const TxOutcome& outcome) {
  auto it = waiters_.find(outcome.id);
  if (it == waiters_.end()) return;
  for (auto& w : it->second) w->set_value(outcome);
  waiters_.erase(it);
}

void Node::remember_rejection(const Hash256& id, const Verdict& verdict) {
  if (rejected_.insert_or_assign(id, verdict).second) rejected_order_.push_back(id);
  while (rejected_order_.size() > kRejectionMemory) {
    rejected_.erase(rejected_order_.front());
    rejected_order_.pop_front();
  }
}

}  // namespace coopchain

#include "coopchain/node/node.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "coopchain/consensus/block_check.h"
#include "coopchain/core/files.h"
#include "coopchain/core/x509.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/genesis_json.h"
#include "node_impl.h"

namespace coopchain {
namespace {

// Who this node is in the network its chain holds (`nodes`: the state after its head): a member,
// or a node not added yet that knows where the network is. A vote key or TLS pin other than the
// recorded one is said, not refused: the chain may not hold its rotation yet, and peers refuse
// a pin they do not record anyway. Peers without a recorded address need one in the config.
Status check_membership(const NodeConfig& config, const Genesis& genesis,
                        const NodeSetRecord& nodes, uint64_t height, const std::string& vote_key) {
  const NodeRecord* me = nodes.find(config.node_id);
  if (me == nullptr) {
    if (config.peers.empty()) {
      return Status::InvalidArgument(
          "node " + config.node_id + " is not a node of the chain at height " +
          std::to_string(height) +
          " and its config lists no peers to learn the chain from: a node the network has "
          "not added yet needs the peers of at least one member (docs/governance.md, Nodes)");
    }
    spdlog::info(
        "node {} is not a node of the chain at height {}: it follows the chain once the network "
        "adds it (gov propose addNode) and votes once it is promoted",
        config.node_id, height);
  } else if (me->vote_key != vote_key) {
    // The chain may not hold a rotation of this node's key yet: it votes once it does.
    spdlog::warn(
        "the chain at height {} records vote key {} for {}, not this node's {}: it does not "
        "vote until its chain holds a change to its key (a wrong validator_key_file never does)",
        height, key_id(me->vote_key), config.node_id, key_id(vote_key));
  }
  for (const auto& n : nodes.nodes) {
    if (n.node_id == config.node_id || !n.peer_address.empty()) continue;
    bool listed = false;
    for (const auto& p : config.peers) listed = listed || p.id == n.node_id;
    if (!listed) {
      return Status::InvalidArgument("the config lists no peer address for " + n.node_id +
                                     ", and the chain records none");
    }
  }
  for (const auto& p : config.peers) {
    if (p.id == config.node_id) {
      return Status::InvalidArgument("the config lists this node (" + p.id + ") among its peers");
    }
    if (nodes.find(p.id) == nullptr) {
      spdlog::warn("peer {} is not a node of the chain at height {}: not dialled until it is", p.id,
                   height);
    }
  }
  if (nodes.nodes.size() == 1 && config.peers.empty()) return Status::Ok();
  if (pins_peers(genesis)) {
    // Known by its pin: this node presents its own certificate.
    if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
      return Status::InvalidArgument(
          "a network of several nodes needs tls_cert_file and tls_key_file (node init writes "
          "node/tls.crt and node/tls.key)");
    }
    auto cert = read_file(config.tls_cert_file);
    if (!cert.ok()) return cert.status();
    auto pin = certificate_public_key_pin(*cert);
    if (!pin.ok())
      return Status::InvalidArgument(config.tls_cert_file + ": " + pin.status().message());
    if (me != nullptr && me->tls_pin != *pin) {
      // A replaced server starts before its chain holds the rotation that pins its new key.
      spdlog::warn(
          "{} has key pin {}, not the one the chain at height {} records for {} ({}): peers "
          "refuse this node until their chain records its pin (rotateNode, docs/governance.md)",
          config.tls_cert_file, to_hex(*pin), height, config.node_id, to_hex(me->tls_pin));
    }
    return Status::Ok();
  }
  if (config.tls_ca_file.empty() || config.tls_cert_file.empty() || config.tls_key_file.empty()) {
    return Status::InvalidArgument(
        "a network of several nodes needs tls_ca_file, tls_cert_file and tls_key_file");
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
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Status::IOError("cannot create " + config.data_dir + ": " + ec.message());
  auto store = BlockStore::open({config.data_dir});
  if (!store.ok()) return store.status();

  // A new data dir is checked before the genesis is written to it.
  const bool fresh = (*store)->empty();
  if (fresh) {
    if (Status membership =
            check_membership(config, *genesis, genesis_nodes(*genesis), 0, key->public_key());
        !membership.ok()) {
      return membership;
    }
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
  if (!fresh) {
    if (Status membership = check_membership(config, *genesis, WorldView(**store).nodes(),
                                             head.height, key->public_key());
        !membership.ok()) {
      return membership;
    }
  }
  if (head.height > 0) {
    auto block = (*store)->block(head.height);
    auto qc = (*store)->quorum_certificate(head.height);
    if (!block.ok() || !qc.ok()) return Status::Corruption("cannot read the head block");
    // The state after the head names the validators in force for it.
    Status quorum = consensus::check_certificate(
        genesis->chain_id, consensus::validators_for(**store, head.height), *qc, block->header);
    if (!quorum.ok()) return Status::Corruption("refusing to serve: " + quorum.message());
  }
  spdlog::info("chain {} at height {} head {}", genesis->chain_id, head.height, to_hex(head.hash));
  auto impl = std::make_unique<Impl>(std::move(config), std::move(store).value(),
                                     std::move(genesis).value(), std::move(key).value());
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;

Status Node::start() {
  return impl_->loop_.start();
}
void Node::run() {
  impl_->loop_.run();
}
void Node::stop() {
  impl_->loop_.stop();
}
bool Node::storage_failed() const {
  return impl_->loop_.storage_failed();
}

bool Node::failed() const {
  return impl_->loop_.failed();
}
const NodeConfig& Node::config() const {
  return impl_->config_;
}
const ChainReader& Node::reader() const {
  return impl_->reads_;
}
TransactionSubmitter& Node::submitter() {
  return impl_->loop_;
}
const NodeMetrics& Node::metrics() const {
  return impl_->metrics_;
}

}  // namespace coopchain

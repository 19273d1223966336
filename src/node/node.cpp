#include "coopchain/node/node.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "coopchain/consensus/block_check.h"
#include "coopchain/core/files.h"
#include "coopchain/core/x509.h"
#include "coopchain/wire/genesis_json.h"
#include "node_impl.h"

namespace coopchain {
namespace {

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
    if (find_validator(genesis.validators, p.id) == nullptr || p.id == config.node_id) {
      return Status::InvalidArgument("peer " + p.id + " is not another validator of the genesis");
    }
  }
  if (pins_peers(genesis)) {
    // Known by its pin: this node's certificate must be the one the genesis pins for it.
    if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
      return Status::InvalidArgument(
          "a network of several validators needs tls_cert_file and tls_key_file (node init "
          "writes node/tls.crt and node/tls.key)");
    }
    auto cert = read_file(config.tls_cert_file);
    if (!cert.ok()) return cert.status();
    auto pin = certificate_public_key_pin(*cert);
    if (!pin.ok())
      return Status::InvalidArgument(config.tls_cert_file + ": " + pin.status().message());
    const Validator* me = find_validator(genesis.validators, config.node_id);
    if (me == nullptr || me->tls_pin != *pin) {
      return Status::InvalidArgument(config.tls_cert_file + " has key pin " + to_hex(*pin) +
                                     ", not the one the genesis records for " + config.node_id +
                                     " (" + (me ? to_hex(me->tls_pin) : std::string("none")) +
                                     "): peers would refuse it");
    }
    return Status::Ok();
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
  const Validator* me = find_validator(genesis->validators, config.node_id);
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

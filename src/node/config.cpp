#include "coopchain/node/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace coopchain {
namespace {

const std::set<std::string> kKnownKeys = {"node_id",
                                          "data_dir",
                                          "genesis_file",
                                          "validator_key_file",
                                          "client_listen",
                                          "peer_listen",
                                          "metrics_listen",
                                          "peers",
                                          "batch_delay_ms",
                                          "max_block_txs",
                                          "mempool_max_txs",
                                          "submit_wait_timeout_ms",
                                          "max_block_streams",
                                          "max_request_bytes",
                                          "log_level",
                                          "log_file",
                                          "tls_ca_file",
                                          "tls_cert_file",
                                          "tls_key_file",
                                          "client_tls_cert_file",
                                          "client_tls_key_file",
                                          "election_timeout_min_ms",
                                          "election_timeout_max_ms",
                                          "heartbeat_ms",
                                          "max_pipeline_blocks",
                                          "peer_queue_limit",
                                          "peer_connect_timeout_ms",
                                          "peer_compress_from_bytes"};

std::string resolve(const std::filesystem::path& base, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
  return (base / p).lexically_normal().string();
}

}  // namespace

Result<NodeConfig> load_config(const std::string& path) {
  NodeConfig c;
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return Status::InvalidArgument(path + ": the config must be a YAML map");
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>();
      if (kKnownKeys.count(key) == 0) {
        return Status::InvalidArgument(path + ": unknown key \"" + key +
                                       "\" (see config/README.md)");
      }
    }
    auto str = [&](const char* key, std::string& out) {
      if (root[key]) out = root[key].as<std::string>();
    };
    auto u32 = [&](const char* key, uint32_t& out) {
      if (root[key]) out = root[key].as<uint32_t>();
    };
    str("node_id", c.node_id);
    str("data_dir", c.data_dir);
    str("genesis_file", c.genesis_file);
    str("validator_key_file", c.validator_key_file);
    str("tls_ca_file", c.tls_ca_file);
    str("tls_cert_file", c.tls_cert_file);
    str("tls_key_file", c.tls_key_file);
    str("client_tls_cert_file", c.client_tls_cert_file);
    str("client_tls_key_file", c.client_tls_key_file);
    str("client_listen", c.client_listen);
    str("peer_listen", c.peer_listen);
    str("metrics_listen", c.metrics_listen);
    str("log_level", c.log_level);
    str("log_file", c.log_file);
    u32("batch_delay_ms", c.batch_delay_ms);
    u32("max_block_txs", c.max_block_txs);
    u32("mempool_max_txs", c.mempool_max_txs);
    u32("submit_wait_timeout_ms", c.submit_wait_timeout_ms);
    u32("max_block_streams", c.max_block_streams);
    u32("max_request_bytes", c.max_request_bytes);
    u32("election_timeout_min_ms", c.election_timeout_min_ms);
    u32("election_timeout_max_ms", c.election_timeout_max_ms);
    u32("heartbeat_ms", c.heartbeat_ms);
    u32("max_pipeline_blocks", c.max_pipeline_blocks);
    u32("peer_queue_limit", c.peer_queue_limit);
    u32("peer_connect_timeout_ms", c.peer_connect_timeout_ms);
    u32("peer_compress_from_bytes", c.peer_compress_from_bytes);
    if (root["peers"]) {
      for (const auto& p : root["peers"]) {
        c.peers.push_back({p["id"].as<std::string>(), p["address"].as<std::string>()});
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  if (c.node_id.empty()) return Status::InvalidArgument(path + ": node_id is required");
  if (c.genesis_file.empty()) return Status::InvalidArgument(path + ": genesis_file is required");
  if (c.validator_key_file.empty()) {
    return Status::InvalidArgument(path + ": validator_key_file is required");
  }
  if (c.max_block_txs == 0 || c.mempool_max_txs == 0) {
    return Status::InvalidArgument(path + ": max_block_txs and mempool_max_txs must be positive");
  }
  if (c.heartbeat_ms == 0 || c.election_timeout_min_ms <= c.heartbeat_ms ||
      c.election_timeout_max_ms < c.election_timeout_min_ms) {
    return Status::InvalidArgument(
        path + ": need 0 < heartbeat_ms < election_timeout_min_ms <= election_timeout_max_ms");
  }
  if (c.max_pipeline_blocks == 0 || c.peer_queue_limit == 0) {
    return Status::InvalidArgument(path +
                                   ": max_pipeline_blocks and peer_queue_limit must be positive");
  }
  if (c.peer_connect_timeout_ms < 1000) {
    return Status::InvalidArgument(
        path +
        ": peer_connect_timeout_ms must be at least 1000 (a connection takes four round "
        "trips)");
  }
  if (c.client_tls_cert_file.empty() != c.client_tls_key_file.empty()) {
    return Status::InvalidArgument(
        path +
        ": client_tls_cert_file and client_tls_key_file go together (TLS on the client "
        "port needs both)");
  }
  const auto base = std::filesystem::absolute(path).parent_path();
  c.data_dir = resolve(base, c.data_dir);
  c.genesis_file = resolve(base, c.genesis_file);
  c.validator_key_file = resolve(base, c.validator_key_file);
  if (!c.log_file.empty()) c.log_file = resolve(base, c.log_file);
  c.tls_ca_file = resolve(base, c.tls_ca_file);
  c.tls_cert_file = resolve(base, c.tls_cert_file);
  c.tls_key_file = resolve(base, c.tls_key_file);
  if (!c.client_tls_cert_file.empty()) {
    c.client_tls_cert_file = resolve(base, c.client_tls_cert_file);
    c.client_tls_key_file = resolve(base, c.client_tls_key_file);
  }
  return c;
}

bool is_loopback_listen(const std::string& listen) {
  const std::string host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
}

}  // namespace coopchain

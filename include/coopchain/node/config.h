// NodeConfig: everything a node reads from its YAML config file. Only this file's
// implementation parses YAML; every component takes its own options struct built from it.
// Every key, with its default, is documented in config/README.md.
#pragma once

#include <string>
#include <vector>

#include "coopchain/consensus/defaults.h"
#include "coopchain/core/status.h"

namespace coopchain {

struct PeerConfig {
  std::string id;
  std::string address;
};

struct NodeConfig {
  std::string node_id;
  std::string data_dir = "./data";
  std::string genesis_file;
  std::string validator_key_file;
  // Peer mutual TLS (multi-validator networks).
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // TLS on the client port (both or neither): the server's certificate and key, PEM. Without
  // them the port is plaintext, which only a loopback address should be.
  std::string client_tls_cert_file;
  std::string client_tls_key_file;
  std::string client_listen = "127.0.0.1:7700";
  std::string peer_listen = "0.0.0.0:7701";
  std::string metrics_listen = "127.0.0.1:7702";
  std::vector<PeerConfig> peers;
  uint32_t batch_delay_ms = 0;
  uint32_t max_block_txs = consensus::defaults::kMaxBlockTxs;
  uint32_t mempool_max_txs = 50000;
  uint32_t submit_wait_timeout_ms = 30000;
  // Ledger.StreamBlocks calls served at once (each holds no thread; the cap bounds memory).
  uint32_t max_block_streams = 256;
  uint32_t max_request_bytes = 1 << 20;
  // Consensus timing (consensus/defaults.h).
  uint32_t election_timeout_min_ms = consensus::defaults::kElectionTimeoutMinMs;
  uint32_t election_timeout_max_ms = consensus::defaults::kElectionTimeoutMaxMs;
  uint32_t heartbeat_ms = consensus::defaults::kHeartbeatMs;
  // Blocks the leader keeps in flight before the first commits.
  uint32_t max_pipeline_blocks = consensus::defaults::kMaxUncommittedBlocks;
  uint32_t peer_queue_limit = 1024;  // messages waiting per outbound peer link
  // The time a connection attempt to a peer gets (net::PeerNetworkOptions::connect_timeout).
  uint32_t peer_connect_timeout_ms = 20000;
  // Peer messages of at least this many bytes travel gzip-compressed; 0: none
  // (net::PeerNetworkOptions::compress_from_bytes).
  uint32_t peer_compress_from_bytes = 1024;
  std::string log_level = "info";
  std::string log_file;  // empty: standard error
};

// Relative paths in the file are taken relative to the file's directory.
Result<NodeConfig> load_config(const std::string& path);

// Whether a host:port listen address is the loopback interface (127.0.0.0/8, localhost,
// [::1]), from which plaintext never leaves the machine.
bool is_loopback_listen(const std::string& listen);

}  // namespace coopchain

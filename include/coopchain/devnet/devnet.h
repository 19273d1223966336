// A local development network on one machine: the files `coopchain devnet init` writes (keys,
// genesis, one config per node) and the layout `devnet up`/`down` read back. Nothing here
// starts processes or talks to a node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/core/status.h"

namespace coopchain::devnet {

inline constexpr uint16_t kDefaultBasePort = 7700;
inline constexpr int kMaxNodes = 64;

struct DevnetOptions {
  std::string dir;  // created if missing; may be relative
  int nodes = 1;    // 1 … kMaxNodes
  uint16_t base_port = kDefaultBasePort;
  std::string chain_id;        // empty: "coopchain-devnet-" + 8 random hex digits
  TimeMs genesis_time_ms = 0;  // 0: now, to the second
};

// One node of a devnet. Paths are absolute; addresses are HOST:PORT.
struct DevnetNode {
  int index = 0;    // 1-based
  std::string id;   // "coop-<index>", also its validator id
  std::string dir;  // DIR/node<index>
  std::string config_file;
  std::string data_dir;
  std::string validator_key_file;
  std::string tls_cert_file;  // its self-signed peer TLS certificate, whose key the genesis pins
  std::string tls_key_file;
  std::string log_file;  // where `devnet up` sends the daemon's stdout and stderr
  std::string pid_file;
  std::string client_address;
  std::string peer_address;
  std::string metrics_address;
};

struct DevnetLayout {
  std::string dir;  // absolute
  std::string chain_id;
  std::string genesis_file;
  std::string keys_dir;
  std::string cards_dir;                   // the member cards the genesis was assembled from
  std::vector<std::string> organizations;  // ids, in genesis order
  std::vector<DevnetNode> nodes;
};

// Client port of node i is base_port + 10·(i−1); its peer port is the next one, its metrics
// port the one after.
DevnetNode node_layout(const std::string& abs_dir, int index, uint16_t base_port);

// Founds a local network the way its members would (docs/governance.md, "Founding a network"):
// writes DIR/keys/<org>.pem (one Ed25519 signing key per organization, mode 0600),
// DIR/node<i>/validator.pem (node i's vote key, mode 0600), DIR/node<i>/tls.{pem,key} (node i's
// self-signed peer certificate and key), DIR/cards/<org>.json (the member cards),
// DIR/node<i>/config.yaml, DIR/genesis.json (assembled from the cards: every node's TLS key
// pinned, no certificate authority) and DIR/README.txt. Refuses, writing nothing, when
// DIR/genesis.json exists or the options are out of range. genesis.json is written last, so a
// failed run can be repeated.
Result<DevnetLayout> write_devnet(const DevnetOptions& options);

// Reads back the layout of a devnet written by write_devnet: node i exists while
// DIR/node<i>/config.yaml does; its addresses come from that file.
Result<DevnetLayout> load_devnet(const std::string& dir);

}  // namespace coopchain::devnet

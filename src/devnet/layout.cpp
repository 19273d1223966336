// Where a devnet keeps what: the naming scheme shared by write_devnet and load_devnet, and the
// reading back of a devnet's node configs.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "coopchain/core/files.h"
#include "coopchain/devnet/devnet.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain::devnet {
namespace fs = std::filesystem;

namespace {

std::string loopback(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

// Reads one string key of a node config; a missing key keeps `fallback`.
std::string yaml_string(const YAML::Node& root, const char* key, const std::string& fallback) {
  const YAML::Node n = root[key];
  if (!n || !n.IsScalar()) return fallback;
  return n.as<std::string>();
}

}  // namespace

DevnetNode node_layout(const std::string& abs_dir, int index, uint16_t base_port) {
  const fs::path node_dir = fs::path(abs_dir) / ("node" + std::to_string(index));
  const int client_port = base_port + 10 * (index - 1);
  DevnetNode n;
  n.index = index;
  n.id = "coop-" + std::to_string(index);
  n.dir = node_dir.string();
  n.config_file = (node_dir / "config.yaml").string();
  n.data_dir = (node_dir / "data").string();
  n.validator_key_file = (node_dir / "validator.pem").string();
  n.tls_cert_file = (node_dir / "tls.pem").string();
  n.tls_key_file = (node_dir / "tls.key").string();
  n.log_file = (node_dir / "node.log").string();
  n.pid_file = (node_dir / "coopchaind.pid").string();
  n.client_address = loopback(client_port);
  n.peer_address = loopback(client_port + 1);
  n.metrics_address = loopback(client_port + 2);
  return n;
}

Result<DevnetLayout> load_devnet(const std::string& dir) {
  std::error_code ec;
  const fs::path abs = fs::absolute(dir, ec).lexically_normal();
  if (ec) return Status::IOError("cannot resolve " + dir + ": " + ec.message());
  DevnetLayout layout;
  layout.dir = abs.string();
  layout.genesis_file = (abs / "genesis.json").string();
  layout.keys_dir = (abs / "keys").string();

  auto genesis_text = read_file(layout.genesis_file);
  if (!genesis_text.ok()) {
    return Status::NotFound(layout.dir + " is not a devnet: no readable genesis.json");
  }
  auto genesis = wire::genesis_from_json(*genesis_text);
  if (!genesis.ok()) return genesis.status();
  layout.chain_id = genesis->chain_id;
  for (const auto& org : genesis->organizations) layout.organizations.push_back(org.id);

  for (int i = 1; i <= kMaxNodes; ++i) {
    DevnetNode node = node_layout(layout.dir, i, kDefaultBasePort);
    if (!fs::exists(node.config_file, ec)) break;
    try {
      const YAML::Node root = YAML::LoadFile(node.config_file);
      node.id = yaml_string(root, "node_id", node.id);
      node.data_dir = yaml_string(root, "data_dir", node.data_dir);
      node.validator_key_file = yaml_string(root, "validator_key_file", node.validator_key_file);
      node.client_address = yaml_string(root, "client_listen", node.client_address);
      node.peer_address = yaml_string(root, "peer_listen", node.peer_address);
      node.metrics_address = yaml_string(root, "metrics_listen", node.metrics_address);
    } catch (const YAML::Exception& e) {
      return Status::InvalidArgument(node.config_file + ": " + e.what());
    }
    layout.nodes.push_back(std::move(node));
  }
  if (layout.nodes.empty()) {
    return Status::NotFound(layout.dir + " is not a devnet: no node1/config.yaml");
  }
  return layout;
}

}  // namespace coopchain::devnet

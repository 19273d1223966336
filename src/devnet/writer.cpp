// write_devnet: the steps of founding a network (docs/governance.md), for every organization of a
// local network at once: each makes its member (make_member: keys, its node's self-signed TLS
// identity, its card), the genesis is assembled from the cards, and each node gets a config
// listing the others. Everything is generated in memory first, so a refusal or a bad option
// writes nothing.
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "coopchain/core/files.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/hash.h"
#include "coopchain/devnet/devnet.h"
#include "coopchain/devnet/member.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain::devnet {
namespace fs = std::filesystem;

namespace {

constexpr mode_t kSecretMode = 0600;
constexpr mode_t kPublicMode = 0644;

Status make_dir(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IOError("cannot create directory " + path.string() + ": " + ec.message());
  return Status::Ok();
}

std::string random_chain_id() {
  std::random_device rd;
  std::uniform_int_distribution<uint32_t> dist;
  std::string bytes(4, '\0');
  uint32_t r = dist(rd);
  for (size_t i = 0; i < 4; ++i) bytes[i] = static_cast<char>((r >> (8 * i)) & 0xff);
  return "coopchain-devnet-" + to_hex(bytes);
}

TimeMs now_to_the_second() {
  using namespace std::chrono;
  auto s = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  return static_cast<TimeMs>(s) * 1000;
}

struct OrgSpec {
  std::string id;
  std::string name;
  OrgKind kind;
  bool accredited;
};

std::vector<OrgSpec> organization_specs(int nodes) {
  std::vector<OrgSpec> specs;
  for (int i = 1; i <= nodes; ++i) {
    specs.push_back({"coop-" + std::to_string(i), "Cooperative " + std::to_string(i),
                     OrgKind::kCooperative, false});
  }
  specs.push_back({"mill-1", "Mill 1", OrgKind::kProcessor, false});
  specs.push_back({"cert-1", "Certifier 1", OrgKind::kCertifier, true});
  specs.push_back({"exp-1", "Exporter 1", OrgKind::kExporter, false});
  specs.push_back({"audit-1", "Auditor 1", OrgKind::kAuditor, false});
  return specs;
}

std::string node_config_yaml(const DevnetLayout& layout, const DevnetNode& node) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "node_id" << YAML::Value << node.id;
  out << YAML::Key << "data_dir" << YAML::Value << node.data_dir;
  out << YAML::Key << "genesis_file" << YAML::Value << layout.genesis_file;
  out << YAML::Key << "validator_key_file" << YAML::Value << node.validator_key_file;
  out << YAML::Key << "tls_cert_file" << YAML::Value << node.tls_cert_file;
  out << YAML::Key << "tls_key_file" << YAML::Value << node.tls_key_file;
  out << YAML::Key << "client_listen" << YAML::Value << node.client_address;
  out << YAML::Key << "peer_listen" << YAML::Value << node.peer_address;
  out << YAML::Key << "metrics_listen" << YAML::Value << node.metrics_address;
  out << YAML::Key << "peers" << YAML::Value;
  if (layout.nodes.size() <= 1) {
    out << YAML::Flow;
  }
  out << YAML::BeginSeq;
  for (const auto& other : layout.nodes) {
    if (other.index == node.index) continue;
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << other.id;
    out << YAML::Key << "address" << YAML::Value << other.peer_address;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "log_level" << YAML::Value << "info";
  out << YAML::Key << "log_file" << YAML::Value << YAML::DoubleQuoted << "";
  out << YAML::EndMap;
  // Tuning keys are left out: the node's defaults (config/README.md) apply.
  return std::string("# coopchaind config for ") + node.id +
         ", written by `coopchain devnet init`.\n" + out.c_str() + "\n";
}

std::string readme_text(const DevnetLayout& layout) {
  std::string s;
  s += "coopchain devnet \"" + layout.chain_id + "\" (" + std::to_string(layout.nodes.size()) +
       " node" + (layout.nodes.size() == 1 ? "" : "s") +
       "), written by `coopchain devnet init`.\n\n";
  s += "genesis.json          the network's genesis: organizations, their public keys, the\n";
  s += "                      validators and the rule parameters\n";
  s += "keys/<org>.pem        the signing key of each organization (Ed25519, PKCS#8 PEM);\n";
  s += "                      sign events with `coopchain submit FILE --key keys/<org>.pem`\n";
  s += "nodeN/config.yaml     node N's config: `coopchaind --config nodeN/config.yaml`\n";
  s += "nodeN/validator.pem   node N's vote-signing key\n";
  s += "cards/<org>.json      each organization's member card (public parts only), from which\n";
  s += "                      genesis.json was assembled, as `coopchain genesis assemble` does\n";
  s += "nodeN/tls.pem, .key   node N's self-signed peer certificate; the genesis pins its key\n";
  s += "nodeN/data/           node N's chain data (created by the node)\n";
  s += "nodeN/node.log        node N's output when started by `coopchain devnet up`\n";
  s += "nodeN/coopchaind.pid  node N's process id while it runs under `devnet up`\n\n";
  s += "Organizations:\n";
  for (const auto& org : organization_specs(static_cast<int>(layout.nodes.size()))) {
    std::string line = "  " + org.id;
    line.resize(12, ' ');
    line += std::string(name_of(org.kind));
    if (org.accredited) line += " (accredited)";
    s += line + "\n";
  }
  s += "\nNodes:\n";
  for (const auto& n : layout.nodes) {
    s += "  node" + std::to_string(n.index) + "  " + n.id + "  client " + n.client_address +
         "  peer " + n.peer_address + "  metrics " + n.metrics_address + "\n";
  }
  s += "\nStart them all with `coopchain devnet up --dir DIR`, stop them with\n"
       "`coopchain devnet down --dir DIR`. Keys are secrets: the .pem files are mode 0600.\n";
  return s;
}

}  // namespace

Result<DevnetLayout> write_devnet(const DevnetOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("devnet: no directory given");
  if (options.nodes < 1 || options.nodes > kMaxNodes) {
    return Status::InvalidArgument("devnet: --nodes must be between 1 and " +
                                   std::to_string(kMaxNodes));
  }
  const int last_port = int{options.base_port} + 10 * (options.nodes - 1) + 2;
  if (options.base_port == 0 || last_port > 65535) {
    return Status::InvalidArgument("devnet: ports " + std::to_string(options.base_port) + "…" +
                                   std::to_string(last_port) + " do not fit below 65536");
  }
  std::error_code ec;
  const fs::path abs = fs::absolute(options.dir, ec).lexically_normal();
  if (ec) return Status::IOError("cannot resolve " + options.dir + ": " + ec.message());
  const fs::path genesis_path = abs / "genesis.json";
  if (fs::exists(genesis_path, ec)) {
    return Status(StatusCode::kAlreadyExists,
                  genesis_path.string() + " already exists; refusing to overwrite a devnet");
  }

  DevnetLayout layout;
  layout.dir = abs.string();
  layout.chain_id = options.chain_id.empty() ? random_chain_id() : options.chain_id;
  layout.genesis_file = genesis_path.string();
  layout.keys_dir = (abs / "keys").string();
  layout.cards_dir = (abs / "cards").string();
  for (int i = 1; i <= options.nodes; ++i) {
    layout.nodes.push_back(node_layout(layout.dir, i, options.base_port));
  }

  std::vector<std::pair<std::string, std::string>> secret_files;  // path, PEM
  std::vector<std::pair<std::string, std::string>> public_files;  // path, content
  std::vector<v1::MemberCard> cards;
  const auto specs = organization_specs(options.nodes);
  for (size_t i = 0; i < specs.size(); ++i) {
    const OrgSpec& spec = specs[i];
    // The cooperatives come first: coop-i runs node i.
    const DevnetNode* node = i < layout.nodes.size() ? &layout.nodes[i] : nullptr;
    auto member = make_member({.org_id = spec.id,
                               .name = spec.name,
                               .kind = std::string(name_of(spec.kind)),
                               .accredited = spec.accredited,
                               .node_id = node ? node->id : "",
                               .peer_address = node ? node->peer_address : ""});
    if (!member.ok()) return member.status();
    layout.organizations.push_back(spec.id);
    secret_files.emplace_back((fs::path(layout.keys_dir) / (spec.id + ".pem")).string(),
                              member->signing_key.to_pem());
    if (node) {
      secret_files.emplace_back(node->validator_key_file, member->node->vote_key.to_pem());
      public_files.emplace_back(node->tls_cert_file, member->node->tls.certificate);
      secret_files.emplace_back(node->tls_key_file, member->node->tls.private_key);
    }
    public_files.emplace_back((fs::path(layout.cards_dir) / (spec.id + ".json")).string(),
                              wire::member_card_to_json(member->card) + "\n");
    cards.push_back(std::move(member->card));
  }
  // The seed cooperatives' country; a real network's genesis names its own or none.
  auto genesis = wire::genesis_from_cards(
      layout.chain_id, options.genesis_time_ms != 0 ? options.genesis_time_ms : now_to_the_second(),
      cards, R"({"defaultCountry": "PE"})");
  if (!genesis.ok()) return genesis.status();

  if (Status s = make_dir(layout.keys_dir); !s.ok()) return s;
  if (Status s = make_dir(layout.cards_dir); !s.ok()) return s;
  for (const auto& node : layout.nodes) {
    if (Status s = make_dir(node.dir); !s.ok()) return s;
  }
  // Keys live in their own directory that only the owner can enter.
  ::chmod(layout.keys_dir.c_str(), 0700);
  for (const auto& [path, pem] : secret_files) {
    if (Status s = write_file(path, pem, kSecretMode); !s.ok()) return s;
  }
  for (const auto& [path, content] : public_files) {
    if (Status s = write_file(path, content, kPublicMode); !s.ok()) return s;
  }
  for (const auto& node : layout.nodes) {
    Status s = write_file(node.config_file, node_config_yaml(layout, node), kPublicMode);
    if (!s.ok()) return s;
  }
  if (Status s = write_file((abs / "README.txt").string(), readme_text(layout), kPublicMode);
      !s.ok()) {
    return s;
  }
  if (Status s = write_file(layout.genesis_file, wire::genesis_to_json(*genesis), kPublicMode);
      !s.ok()) {
    return s;
  }
  return layout;
}

}  // namespace coopchain::devnet

// coopchain node init: what one organization makes on its own machine to found or join a network
// (docs/governance.md, "Founding a network"): its signing key and, for a validator, its vote
// key and its node's self-signed TLS certificate, and the member card with the public parts that
// it sends the others. No private key leaves the directory it is written to. coopchain node
// configure: the genesis the members assembled put beside the node's config, and its peers.
#include <filesystem>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/files.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/hash.h"
#include "coopchain/devnet/member.h"
#include "coopchain/v1/genesis.pb.h"
#include "coopchain/wire/genesis_json.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// Writes a file that must not exist yet: an existing key is never replaced.
Status write_new(const std::string& path, const std::string& content, mode_t mode) {
  return write_file(path, content, mode, FileCreation::kExclusive);
}

// Where a node listens for peers: every interface, unless the address peers reach it at is this
// machine's loopback (a network rehearsed on one machine never listens beyond it).
std::string peer_listen_address(const std::string& peer_address) {
  const size_t colon = peer_address.rfind(':');
  const std::string host = peer_address.substr(0, colon);
  const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0;
  return (loopback ? host : std::string("0.0.0.0")) + peer_address.substr(colon);
}

// A node's config for this directory, without peers: those come with the genesis.
std::string node_config(const std::string& node_id, const std::string& peer_address,
                        const std::string& client_address, const std::string& metrics_address) {
  return "# Written by `coopchain node init`. `coopchain node configure` puts the network's\n"
         "# genesis.json beside it and lists the other validators under peers.\n"
         "node_id: " +
         node_id +
         "\n"
         "data_dir: data\n"
         "genesis_file: genesis.json\n"
         "validator_key_file: node/validator.pem\n"
         "client_listen: " +
         client_address +
         "\n"
         "peer_listen: " +
         peer_listen_address(peer_address) +
         "\n"
         "metrics_listen: " +
         metrics_address +
         "\n"
         "tls_cert_file: node/tls.crt\n"
         "tls_key_file: node/tls.key\n"
         "peers: []\n";
}

int run_node_init(const Args& args) {
  const std::filesystem::path dir = args.value("dir");
  const std::string& org_id = args.value("org");
  const std::string& peer_address = args.value("peer-address");
  const bool runs_node = !peer_address.empty();
  for (const char* flag : {"peer-address", "client-address", "metrics-address"}) {
    const std::string& address = args.value(flag);
    if (!address.empty() && address.find(':') == std::string::npos) {
      return usage_error(*args.verb, std::string("--") + flag + " must be HOST:PORT");
    }
  }
  const std::string node_id = args.has("node-id") ? args.value("node-id") : org_id;
  std::error_code ec;
  std::filesystem::create_directories(dir / "keys", ec);
  if (!ec && runs_node) std::filesystem::create_directories(dir / "node", ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());

  auto member = devnet::make_member({.org_id = org_id,
                                     .name = args.value("name"),
                                     .kind = args.value("kind"),
                                     .node_id = runs_node ? node_id : "",
                                     .peer_address = peer_address});
  if (!member.ok()) return fail(member.status().to_string());
  const v1::MemberCard& card = member->card;
  const std::string signing_path = (dir / "keys" / (org_id + ".pem")).string();
  if (Status s = write_new(signing_path, member->signing_key.to_pem(), 0600); !s.ok()) {
    return fail(s.message());
  }
  if (const auto& node = member->node) {
    for (const auto& [name, content, mode] :
         {std::tuple{"node/validator.pem", node->vote_key.to_pem(), mode_t{0600}},
          std::tuple{"node/tls.key", node->tls.private_key, mode_t{0600}},
          std::tuple{"node/tls.crt", node->tls.certificate, mode_t{0644}},
          std::tuple{"node.yaml",
                     node_config(node_id, peer_address, args.value("client-address"),
                                 args.value("metrics-address")),
                     mode_t{0644}}}) {
      if (Status s = write_new((dir / name).string(), content, mode); !s.ok()) {
        return fail(s.message());
      }
    }
  }
  const std::string card_path = (dir / "member-card.json").string();
  const std::string card_json = wire::member_card_to_json(card) + "\n";
  if (Status s = write_new(card_path, card_json, 0644); !s.ok()) return fail(s.message());

  if (output_format(args) == OutputFormat::kJson) {
    std::cout << card_json;
    return kExitOk;
  }
  Fields fields;
  fields.add("member card", card_path + " (public parts only: send it to the other members)")
      .add("signing key", signing_path + " (mode 0600)")
      .add("key id", key_id(member->signing_key.public_key()));
  if (runs_node) {
    fields.add("node", node_id + ", peers reach it at " + peer_address)
        .add("vote key", (dir / "node" / "validator.pem").string() + " (mode 0600)")
        .add("TLS certificate",
             (dir / "node" / "tls.crt").string() + ", pin " + card.node().tls_pin())
        .add("config", (dir / "node.yaml").string());
  }
  fields.print(std::cout);
  return kExitOk;
}

// The peers a node's config lists: the nodes of the cards but its own.
YAML::Node peers_of(const std::string& node_id, const std::vector<v1::MemberCard>& cards) {
  YAML::Node peers(YAML::NodeType::Sequence);
  for (const auto& card : cards) {
    if (!card.has_node() || card.node().id() == node_id) continue;
    YAML::Node peer;
    peer["id"] = card.node().id();
    peer["address"] = card.node().peer_address();
    peers.push_back(peer);
  }
  return peers;
}

int run_node_configure(const Args& args) {
  const std::filesystem::path dir = args.value("dir");
  const std::string config_path = (dir / "node.yaml").string();
  YAML::Node config;
  std::string node_id;
  std::string genesis_file = "genesis.json";
  try {
    config = YAML::LoadFile(config_path);
    if (config["node_id"]) node_id = config["node_id"].as<std::string>();
    if (config["genesis_file"]) genesis_file = config["genesis_file"].as<std::string>();
  } catch (const YAML::Exception& e) {
    return fail(config_path + ": " + e.what() + " (`coopchain node init` writes it)");
  }
  if (node_id.empty()) return fail(config_path + " names no node_id");

  const std::string& genesis_path = args.value("genesis");
  auto genesis_text = read_file(genesis_path);
  if (!genesis_text.ok()) return fail(genesis_text.status().message());
  auto genesis = wire::genesis_from_json(*genesis_text);
  if (!genesis.ok()) return fail(genesis_path + ": " + genesis.status().message());
  std::vector<v1::MemberCard> cards;
  for (const auto& path : args.operands) {
    auto text = read_file(path);
    if (!text.ok()) return fail(text.status().message());
    auto card = wire::member_card_from_json(*text);
    if (!card.ok()) return fail(path + ": " + card.status().message());
    cards.push_back(std::move(card).value());
  }

  // A node's data belongs to one chain: the genesis beside its config is replaced only by the
  // same one.
  const std::filesystem::path placed = dir / genesis_file;
  if (auto existing = read_file(placed.string()); existing.ok()) {
    auto held = wire::genesis_from_json(*existing);
    if (!held.ok() || genesis_hash(*held) != genesis_hash(*genesis)) {
      return fail(placed.string() + " holds another genesis; a node changes networks only with " +
                  "a new directory (`coopchain node init`)");
    }
  } else if (Status s = write_file(placed.string(), *genesis_text, 0644); !s.ok()) {
    return fail(s.message());
  }
  const YAML::Node peers = peers_of(node_id, cards);
  config["peers"] = peers;
  YAML::Emitter out;
  out << config;
  if (Status s = write_file(config_path,
                            std::string("# Written by `coopchain node init` and "
                                        "`coopchain node configure`.\n") +
                                out.c_str() + "\n",
                            0644);
      !s.ok()) {
    return fail(s.message());
  }

  bool in_genesis = false;
  for (const auto& v : genesis->validators) in_genesis = in_genesis || v.id == node_id;
  Fields fields;
  fields.add("node", node_id)
      .add("chain", genesis->chain_id)
      .add("genesis", placed.string() + ", hash " + to_hex(genesis_hash(*genesis)))
      .add("config", config_path)
      .add("in the genesis",
           in_genesis ? "yes, a validator" : "no: it follows the chain once the network adds it");
  fields.print(std::cout);
  std::cout << "peers:\n";
  for (const auto& p : peers) {
    std::cout << "  " << p["id"].as<std::string>() << " at " << p["address"].as<std::string>()
              << "\n";
  }
  std::cout << "start it: coopchaind --config " << config_path << "\n";
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> node_verbs() {
  return {
      {
          .words = {"node", "init"},
          .brief = "make an organization's keys (and its node's) and its member card",
          .operands = {},
          .summary =
              "Makes, in --dir, what one organization needs to found or join a network,\n"
              "on its own machine: its signing key (keys/ORG.pem); with --peer-address, its\n"
              "validator node's vote key (node/validator.pem), self-signed TLS certificate and\n"
              "key (node/tls.crt, node/tls.key) and a config (node.yaml); and member-card.json,\n"
              "the public parts (ids, kind, name, public keys, the TLS public-key pin, the peer\n"
              "address) that it sends the other members for `coopchain genesis assemble` or a\n"
              "proposal to join. Existing files are never overwritten.",
          .flags =
              {{.name = "dir", .value_name = "DIR", .help = "where to write", .required = true},
               {.name = "org",
                .value_name = "ID",
                .help = "the organization's id (coop-4, ...)",
                .required = true},
               {.name = "name",
                .value_name = "NAME",
                .help = "its name as the network shows it",
                .required = true},
               {.name = "kind",
                .value_name = "KIND",
                .help = "what it is",
                .choices = {"COOPERATIVE", "PROCESSOR", "CERTIFIER", "EXPORTER", "AUDITOR"},
                .default_value = "COOPERATIVE"},
               {.name = "peer-address",
                .value_name = "HOST:PORT",
                .help = "where the other validators reach its node; without it, no node"},
               {.name = "node-id",
                .value_name = "ID",
                .help = "its node's id (default: the organization's; a replaced server keeps "
                        "its node's)"},
               {.name = "client-address",
                .value_name = "HOST:PORT",
                .help = "where the node serves clients (its config's client_listen)",
                .default_value = "127.0.0.1:7700"},
               {.name = "metrics-address",
                .value_name = "HOST:PORT",
                .help = "where the node serves its metrics (its config's metrics_listen)",
                .default_value = "127.0.0.1:7702"},
               output_flag()},
          .run = run_node_init,
      },
      {
          .words = {"node", "configure"},
          .brief = "put the network's genesis beside a node's config and list its peers",
          .operands = {"CARD..."},
          .summary =
              "Readies the node `node init` made in --dir to run in the network of --genesis:\n"
              "copies the genesis beside its node.yaml (never over another network's) and lists\n"
              "the nodes of the member cards CARD... (its own is skipped) as its peers, at the\n"
              "addresses their cards give. A founder passes every founder's card; a newcomer, or\n"
              "a replaced server, the cards of nodes that are in the network. Prints the genesis\n"
              "hash to compare out of band.",
          .flags = {{.name = "dir",
                     .value_name = "DIR",
                     .help = "the directory `node init` wrote",
                     .required = true},
                    {.name = "genesis",
                     .value_name = "FILE",
                     .help = "the network's genesis.json",
                     .required = true}},
          .run = run_node_configure,
      }};
}

}  // namespace coopchain::cli

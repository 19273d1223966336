// coopchain node init: what one organization makes on its own machine to found or join a network
// (docs/governance.md, "Founding a network"): its signing key and, for a validator, its vote
// key and its node's self-signed TLS certificate, and the member card with the public parts that
// it sends the others. No private key leaves the directory it is written to.
#include <filesystem>
#include <iostream>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/files.h"
#include "coopchain/core/hash.h"
#include "coopchain/core/x509.h"
#include "coopchain/v1/genesis.pb.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// Long enough to outlive the hardware; a node's identity is its key's pin, not the dates.
constexpr int kCertificateDays = 20 * 365;

// Writes a file that must not exist yet: an existing key is never replaced.
Status write_new(const std::string& path, const std::string& content, mode_t mode) {
  return write_file(path, content, mode, FileCreation::kExclusive);
}

// A node's config for this directory, without peers: those come with the genesis.
std::string node_config(const std::string& node_id, const std::string& peer_address) {
  const std::string port = peer_address.substr(peer_address.rfind(':') + 1);
  return "# Written by `coopchain node init`. Put the network's genesis.json beside it and list\n"
         "# the other validators under peers (coopchain genesis assemble prints them).\n"
         "node_id: " +
         node_id +
         "\n"
         "data_dir: data\n"
         "genesis_file: genesis.json\n"
         "validator_key_file: node/validator.pem\n"
         "client_listen: 127.0.0.1:7700\n"
         "peer_listen: 0.0.0.0:" +
         port +
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
  if (runs_node && peer_address.find(':') == std::string::npos) {
    return usage_error(*args.verb, "--peer-address must be HOST:PORT");
  }
  const std::string node_id = args.has("node-id") ? args.value("node-id") : org_id;
  std::error_code ec;
  std::filesystem::create_directories(dir / "keys", ec);
  if (!ec && runs_node) std::filesystem::create_directories(dir / "node", ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());

  v1::MemberCard card;
  auto* org = card.mutable_organization();
  org->set_id(org_id);
  org->set_name(args.value("name"));
  org->set_kind(args.value("kind"));
  auto signing = PrivateKey::generate();
  if (!signing.ok()) return fail(signing.status().to_string());
  const std::string signing_path = (dir / "keys" / (org_id + ".pem")).string();
  if (Status s = write_new(signing_path, signing->to_pem(), 0600); !s.ok())
    return fail(s.message());
  org->add_public_keys(to_hex(signing->public_key()));

  if (runs_node) {
    auto vote = PrivateKey::generate();
    auto tls = make_self_signed_node_certificate(node_id, kCertificateDays);
    if (!vote.ok()) return fail(vote.status().to_string());
    if (!tls.ok()) return fail(tls.status().to_string());
    auto pin = certificate_public_key_pin(tls->certificate);
    if (!pin.ok()) return fail(pin.status().to_string());
    for (const auto& [name, content, mode] :
         {std::tuple{"node/validator.pem", vote->to_pem(), mode_t{0600}},
          std::tuple{"node/tls.key", tls->private_key, mode_t{0600}},
          std::tuple{"node/tls.crt", tls->certificate, mode_t{0644}},
          std::tuple{"node.yaml", node_config(node_id, peer_address), mode_t{0644}}}) {
      if (Status s = write_new((dir / name).string(), content, mode); !s.ok()) {
        return fail(s.message());
      }
    }
    auto* node = card.mutable_node();
    node->set_id(node_id);
    node->set_public_key(to_hex(vote->public_key()));
    node->set_tls_pin(to_hex(*pin));
    node->set_peer_address(peer_address);
  }
  const std::string card_path = (dir / "member-card.json").string();
  const std::string card_json = to_json(card) + "\n";
  if (Status s = write_new(card_path, card_json, 0644); !s.ok()) return fail(s.message());

  if (output_format(args) == OutputFormat::kJson) {
    std::cout << card_json;
    return kExitOk;
  }
  Fields fields;
  fields.add("member card", card_path + " (public parts only: send it to the other members)")
      .add("signing key", signing_path + " (mode 0600)")
      .add("key id", key_id(signing->public_key()));
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

}  // namespace

std::vector<VerbSpec> node_verbs() {
  return {{
      .words = {"node", "init"},
      .brief = "make an organization's keys (and its node's) and its member card",
      .operands = {},
      .summary =
          "Makes, in --dir, what one organization needs to found or join a network, on its own\n"
          "machine: its signing key (keys/ORG.pem); with --peer-address, its validator node's\n"
          "vote key (node/validator.pem), self-signed TLS certificate and key (node/tls.crt,\n"
          "node/tls.key) and a config (node.yaml); and member-card.json, the public parts\n"
          "(ids, kind, name, public keys, the TLS public-key pin, the peer address) that it\n"
          "sends the other members for `coopchain genesis assemble` or a proposal to join.\n"
          "Existing files are never overwritten.",
      .flags = {{.name = "dir", .value_name = "DIR", .help = "where to write", .required = true},
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
                 .help = "its node's id (default: the organization's)"},
                output_flag()},
      .run = run_node_init,
  }};
}

}  // namespace coopchain::cli

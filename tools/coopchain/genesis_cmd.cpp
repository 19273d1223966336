// coopchain genesis hash | show | assemble: a network's genesis.json, built from its founding
// members' cards, shown, and hashed by the canonical encoding in docs/archive-format.md ("The
// genesis hash"), which an auditor compares with block 0's previous hash.
#include <chrono>
#include <iostream>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/files.h"
#include "coopchain/core/genesis.h"
#include "coopchain/wire/genesis_json.h"
#include "coopchain/wire/governance_proto.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

int run_genesis_hash(const Args& args) {
  const std::string& path = args.operands[0];
  auto text = read_file(path);
  if (!text.ok()) return fail(text.status().message());
  auto genesis = wire::genesis_from_json(*text);
  if (!genesis.ok()) return fail(path + ": " + genesis.status().message());
  const std::string hash = to_hex(genesis_hash(*genesis));
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << JsonObject()
                     .set("file", path)
                     .set("chainId", genesis->chain_id)
                     .set("genesisHash", hash)
                     .to_string()
              << "\n";
    return kExitOk;
  }
  std::cout << hash << "\n";
  return kExitOk;
}

// The genesis's organizations, validators and parameters, for a person checking it before the
// network starts; its hash is what every member compares out of band.
int run_genesis_show(const Args& args) {
  if (args.has("hash")) return run_genesis_hash(args);
  const std::string& path = args.operands[0];
  auto text = read_file(path);
  if (!text.ok()) return fail(text.status().message());
  auto genesis = wire::genesis_from_json(*text);
  if (!genesis.ok()) return fail(path + ": " + genesis.status().message());
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << wire::genesis_to_json(*genesis) << "\n";
    return kExitOk;
  }
  Fields()
      .add("chain", genesis->chain_id)
      .add("genesis hash", to_hex(genesis_hash(*genesis)))
      .add("genesis time", format_rfc3339(genesis->genesis_time))
      .print(std::cout);
  std::cout << "organizations:\n";
  for (const auto& o : genesis->organizations) {
    std::cout << "  " << o.id << "  " << name_of(o.kind) << "  " << o.name << "  "
              << o.public_keys.size() << " key(s)\n";
    for (const auto& k : o.public_keys) std::cout << "    key " << key_id(k) << "\n";
  }
  std::cout << "validators:\n";
  for (const auto& v : genesis->validators) {
    std::cout << "  " << v.id << "  vote key " << to_hex(v.public_key) << "\n"
              << "    TLS pin "
              << (v.tls_pin.empty() ? "(none: the peers trust a CA)" : to_hex(v.tls_pin)) << "\n";
  }
  std::cout << "parameters: " << to_json(wire::params_to_proto(genesis->params)) << "\n";
  return kExitOk;
}

// The genesis of a network founded by the member cards, written where --out says (never over an
// existing file), and what each member's node config needs: the other validators' addresses.
int run_genesis_assemble(const Args& args) {
  std::vector<v1::MemberCard> cards;
  std::vector<std::pair<std::string, std::string>> peers;  // node id, address
  for (const auto& path : args.operands) {
    auto text = read_file(path);
    if (!text.ok()) return fail(text.status().message());
    auto card = wire::member_card_from_json(*text);
    if (!card.ok()) return fail(path + ": " + card.status().message());
    if (card->has_node()) peers.emplace_back(card->node().id(), card->node().peer_address());
    cards.push_back(std::move(card).value());
  }
  std::string params;
  if (args.has("params")) {
    auto text = read_file(args.value("params"));
    if (!text.ok()) return fail(text.status().message());
    params = std::move(text).value();
  }
  TimeMs genesis_time = 0;
  if (args.has("genesis-time")) {
    auto t = parse_rfc3339(args.value("genesis-time"));
    if (!t) return usage_error(*args.verb, "--genesis-time must be an RFC 3339 time");
    genesis_time = *t;
  } else {
    genesis_time = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }
  auto genesis = wire::genesis_from_cards(args.value("chain-id"), genesis_time, cards, params);
  if (!genesis.ok()) return fail(genesis.status().message());
  const std::string& out = args.value("out");
  if (Status s =
          write_file(out, wire::genesis_to_json(*genesis) + "\n", 0644, FileCreation::kExclusive);
      !s.ok()) {
    return fail(s.message());
  }
  const std::string hash = to_hex(genesis_hash(*genesis));
  if (output_format(args) == OutputFormat::kJson) {
    std::vector<JsonObject> list;
    for (const auto& [id, address] : peers) {
      list.push_back(JsonObject().set("id", id).set("address", address));
    }
    std::cout << JsonObject()
                     .set("file", out)
                     .set("chainId", genesis->chain_id)
                     .set("genesisHash", hash)
                     .set("peers", list)
                     .to_string()
              << "\n";
    return kExitOk;
  }
  Fields()
      .add("genesis", out)
      .add("chain", genesis->chain_id)
      .add("genesis hash", hash + " (every member compares it out of band)")
      .print(std::cout);
  std::cout << "peers (each node's config lists the others):\n";
  for (const auto& [id, address] : peers) {
    std::cout << "  - {id: " << id << ", address: " << address << "}\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> genesis_verbs() {
  return {
      {
          .words = {"genesis", "hash"},
          .brief = "print the hash of a genesis.json (block 0's previous hash)",
          .operands = {"FILE"},
          .summary =
              "Reads a genesis.json, fills in the defaults of every parameter it leaves out, and\n"
              "prints the SHA-256 of its canonical encoding (docs/archive-format.md, \"The\n"
              "genesis hash\"): the previous hash of block 0 on every node of that network, and\n"
              "what `coopchain status` shows as the genesis hash. Members compare it out of band\n"
              "to know they hold the same genesis; an auditor checks it against block 0.",
          .flags = {output_flag()},
          .run = run_genesis_hash,
      },
      {
          .words = {"genesis", "show"},
          .brief = "print a genesis.json's organizations, validators, parameters and hash",
          .operands = {"FILE"},
          .summary =
              "Reads a genesis.json and prints its chain id, hash, organizations with their key\n"
              "ids, validators with their vote keys and TLS pins, and the parameters (defaults\n"
              "filled in). With --hash, only the hash, as `coopchain genesis hash`.",
          .flags = {{.name = "hash", .help = "print only the genesis hash"}, output_flag()},
          .run = run_genesis_show,
      },
      {
          .words = {"genesis", "assemble"},
          .brief = "build a network's genesis.json from its founding members' cards",
          .operands = {"CARD..."},
          .summary =
              "Builds the genesis of a new network from the member cards that `coopchain node "
              "init`\n"
              "wrote on each founding member's machine: their organizations and keys, and a\n"
              "validator, with its vote key and TLS pin, for each card with a node. --params is a\n"
              "JSON object of parameters (the genesis's \"params\": rules.md, \"Parameters\");\n"
              "those left out take their defaults. Writes --out (never over an existing file) and\n"
              "prints the genesis hash, which every member compares out of band, and the peers "
              "each\n"
              "node's config lists.",
          .flags =
              {{.name = "chain-id",
                .value_name = "ID",
                .help = "the new network's chain id",
                .required = true},
               {.name = "out",
                .value_name = "FILE",
                .help = "where to write genesis.json",
                .required = true},
               {.name = "params", .value_name = "FILE", .help = "the parameters (JSON object)"},
               {.name = "genesis-time", .value_name = "TIME", .help = "RFC 3339 (default: now)"},
               output_flag()},
          .run = run_genesis_assemble,
      }};
}

}  // namespace coopchain::cli

// coopchain genesis hash FILE: the hash an auditor compares with block 0's previous hash, computed
// from a genesis.json by the canonical encoding in docs/archive-format.md ("The genesis hash").
#include <iostream>

#include "coopchain/core/files.h"
#include "coopchain/core/genesis.h"
#include "coopchain/wire/genesis_json.h"
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

}  // namespace

std::vector<VerbSpec> genesis_verbs() {
  return {{
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
  }};
}

}  // namespace coopchain::cli

// coopchain keygen: a new Ed25519 signing key in a PEM file only its owner can read.
#include <iostream>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/files.h"
#include "coopchain/core/hash.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

int run_keygen(const Args& args) {
  auto key = PrivateKey::generate();
  if (!key.ok()) return fail(key.status().to_string());
  const std::string& path = args.value("out");
  if (Status s = write_file(path, key->to_pem(), 0600, FileCreation::kExclusive); !s.ok())
    return fail(s.message());
  const std::string id = key_id(key->public_key());
  const std::string public_hex = to_hex(key->public_key());
  if (output_format(args) == OutputFormat::kJson) {
    std::cout
        << JsonObject().set("file", path).set("keyId", id).set("publicKey", public_hex).to_string()
        << "\n";
    return kExitOk;
  }
  Fields()
      .add("key file", path + " (mode 0600)")
      .add("key id", id)
      .add("public key", public_hex)
      .print(std::cout);
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> keygen_verbs() {
  return {{
      .words = {"keygen"},
      .brief = "write a new signing key (PEM, mode 0600) and print its key id",
      .operands = {},
      .summary = "Writes a new Ed25519 private key (PKCS#8 PEM, mode 0600) to FILE and prints its\n"
                 "key id and public key. An existing file is never overwritten. The public key is\n"
                 "what a genesis lists for the organization that signs with this key.",
      .flags = {{.name = "out",
                 .value_name = "FILE",
                 .help = "where to write the key",
                 .required = true},
                output_flag()},
      .run = run_keygen,
  }};
}

}  // namespace coopchain::cli

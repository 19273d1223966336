#include "signing.h"

#include <iostream>
#include <sstream>

#include "coopchain/core/files.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::cli {

Result<std::string> read_input(const std::string& path) {
  if (path != "-") return read_file(path);
  std::ostringstream buf;
  buf << std::cin.rdbuf();
  return buf.str();
}

Result<PrivateKey> load_signing_key(const std::string& path) {
  auto pem = read_input(path);
  if (!pem.ok()) return Status::InvalidArgument("cannot read key file: " + pem.status().message());
  auto key = PrivateKey::from_pem(*pem);
  if (!key.ok()) {
    return Status::InvalidArgument("key file " + path +
                                   " holds no Ed25519 private key: " + key.status().message());
  }
  return key;
}

v1::SignedTransaction sign_event(const PrivateKey& key, std::string_view chain_id, uint64_t nonce,
                                 const v1::Event& event) {
  v1::SignedTransaction tx;
  tx.set_payload(wire::encode_payload(chain_id, key.public_key(), nonce, event));
  tx.set_signature(key.sign(tx.payload()));
  return tx;
}

}  // namespace coopchain::cli

#include "signing.h"

#include <iostream>
#include <sstream>

#include "coopchain/core/files.h"
#include "coopchain/wire/event_codec.h"
#include "output.h"

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

std::optional<SigningInput> read_signer(const Args& args, int* exit_code) {
  const auto nonce = parse_uint(args.value("nonce"));
  if (!nonce) {
    *exit_code = usage_error(*args.verb, "--nonce must be a whole number");
    return std::nullopt;
  }
  *exit_code = kExitFailed;
  auto key = load_signing_key(args.value("key"));
  if (!key.ok()) {
    fail(key.status().message());
    return std::nullopt;
  }
  return SigningInput{std::move(key).value(), *nonce, {}};
}

std::optional<SigningInput> read_signing_input(const Args& args, int* exit_code) {
  std::optional<SigningInput> signer = read_signer(args, exit_code);
  if (!signer) return std::nullopt;
  const std::string& file = args.operands[0];
  auto text = read_input(file);
  if (!text.ok()) {
    fail(text.status().message());
    return std::nullopt;
  }
  auto events = wire::events_from_json(*text);
  if (!events.ok()) {
    fail("rejected: " + events.status().to_string() + " (in " + file + ")");
    return std::nullopt;
  }
  if (events->empty()) {
    fail("rejected: MALFORMED: " + file + " holds no events");
    return std::nullopt;
  }
  signer->events = std::move(events).value();
  return signer;
}

FlagSpec key_flag() {
  return {.name = "key",
          .value_name = "KEY",
          .help = "the signer's private key (PEM)",
          .required = true};
}

FlagSpec nonce_flag() {
  return {.name = "nonce",
          .value_name = "N",
          .help = "nonce signed into every event",
          .default_value = "0"};
}

}  // namespace coopchain::cli

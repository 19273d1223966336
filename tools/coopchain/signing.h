// What submit and the outbox share: reading the events and the key a user names, and signing an
// event into a transaction for a chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/status.h"
#include "coopchain/v1/events.pb.h"

namespace coopchain::cli {

// The file's content, or standard input for "-".
Result<std::string> read_input(const std::string& path);
// The Ed25519 private key in the PEM file at `path`; the error says what is wrong with it.
Result<PrivateKey> load_signing_key(const std::string& path);
v1::SignedTransaction sign_event(const PrivateKey& key, std::string_view chain_id, uint64_t nonce,
                                 const v1::Event& event);

// What a signing verb is given: --key, --nonce and the events of its FILE operand.
struct SigningInput {
  PrivateKey key;
  uint64_t nonce = 0;
  std::vector<v1::Event> events;
};
// Reads them; when one is wrong, says why on stderr, sets `exit_code` (usage for a bad nonce,
// failure otherwise) and returns nullopt.
std::optional<SigningInput> read_signing_input(const Args& args, int* exit_code);
// --key and --nonce alone, for a verb that makes its event itself (no events yet).
std::optional<SigningInput> read_signer(const Args& args, int* exit_code);
// Signs each event and submits it in order as `coopchain submit` does (--wait, --node,
// --output), stopping at the first the node refuses; the CLI's exit code.
int submit_events(const Args& args, const SigningInput& input);
FlagSpec key_flag();
FlagSpec nonce_flag();

}  // namespace coopchain::cli

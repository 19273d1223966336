// Keys and signed events for every test: keys derived from a label (the same label gives the same
// key in every run, so chains and vectors built from them are reproducible), and one way to sign
// an event given in its proto3 JSON form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/transaction.h"

namespace coopchain::testing {

// The Ed25519 key whose seed is SHA-256(label).
PrivateKey derive_key(std::string_view label);
// The same key, kept for the life of the process.
const PrivateKey& key_for(std::string_view label);

// A transaction signed by `key` for one event in the proto3 JSON form; throws std::logic_error
// for JSON that is not exactly one event (a mistake in the test, not input under test).
SignedTransaction sign_event_json(const PrivateKey& key, std::string_view chain_id,
                                  std::string_view event_json, uint64_t nonce = 0);

}  // namespace coopchain::testing

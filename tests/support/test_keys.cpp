#include "test_keys.h"

#include <map>
#include <mutex>
#include <stdexcept>

#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::testing {

PrivateKey derive_key(std::string_view label) {
  auto key = PrivateKey::from_seed(hash_bytes(sha256(label)));
  if (!key.ok()) throw std::logic_error("cannot derive a key: " + key.status().to_string());
  return std::move(key).value();
}

const PrivateKey& key_for(std::string_view label) {
  static std::mutex mu;
  static std::map<std::string, PrivateKey, std::less<>> keys;
  std::lock_guard lock(mu);
  auto it = keys.find(label);
  if (it == keys.end()) it = keys.emplace(std::string(label), derive_key(label)).first;
  return it->second;
}

SignedTransaction sign_event_json(const PrivateKey& key, std::string_view chain_id,
                                  std::string_view event_json, uint64_t nonce) {
  auto events = wire::events_from_json(event_json);
  if (!events.ok() || events->size() != 1) {
    throw std::logic_error("not one event: " + std::string(event_json));
  }
  SignedTransaction tx;
  tx.payload = wire::encode_payload(chain_id, key.public_key(), nonce, events->front());
  tx.signature = key.sign(tx.payload);
  return tx;
}

}  // namespace coopchain::testing

#include "coopchain/node/verified_signatures.h"

#include "coopchain/wire/event_codec.h"

namespace coopchain {

Hash256 VerifiedSignatures::key(const SignedTransaction& tx) {
  const Hash256 id = tx.id();
  std::string bytes(id.begin(), id.end());
  bytes += tx.signature;
  return sha256(bytes);
}

bool VerifiedSignatures::contains(const Hash256& key) const {
  std::lock_guard lock(mu_);
  return known_.count(key) != 0;
}

void VerifiedSignatures::insert(const Hash256& key) {
  std::lock_guard lock(mu_);
  if (!known_.insert(key).second) return;
  order_.push_back(key);
  while (order_.size() > capacity_) {
    known_.erase(order_.front());
    order_.pop_front();
  }
}

size_t VerifiedSignatures::size() const {
  std::lock_guard lock(mu_);
  return known_.size();
}

Result<Transaction> VerifiedSignatures::decode_verified(const SignedTransaction& tx) {
  const Hash256 k = key(tx);
  if (contains(k)) return wire::decode_transaction(tx);
  auto decoded = wire::decode_verified_transaction(tx);
  if (decoded.ok()) insert(k);
  return decoded;
}

void VerifiedSignatures::verify_all(const std::vector<SignedTransaction>& txs) {
  for (const auto& tx : txs) (void)decode_verified(tx);
}

}  // namespace coopchain

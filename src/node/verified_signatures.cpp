#include "coopchain/node/verified_signatures.h"

#include <algorithm>

#include "coopchain/wire/event_codec.h"

namespace coopchain {

VerifiedSignatures::Signature VerifiedSignatures::signature_of(const SignedTransaction& tx) {
  Signature out{};
  std::copy_n(tx.signature.begin(), std::min(tx.signature.size(), out.size()), out.begin());
  return out;
}

VerifiedSignatures::Entry* VerifiedSignatures::find_locked(const SignedTransaction& tx,
                                                           const Hash256& id) {
  // Only 64-byte signatures ever verify, so only those are ever remembered.
  if (tx.signature.size() != sizeof(Signature)) return nullptr;
  auto it = known_.find(id);
  if (it == known_.end() ||
      !std::equal(it->second.signature.begin(), it->second.signature.end(), tx.signature.begin())) {
    return nullptr;
  }
  return &it->second;
}

void VerifiedSignatures::insert_locked(const Hash256& id, const Signature& signature,
                                       std::unique_ptr<Transaction> decoded) {
  auto [it, inserted] = known_.try_emplace(id);
  if (!inserted) return;
  it->second.signature = signature;
  if (decoded && decoded_count_ < decoded_capacity_) {
    it->second.decoded = std::move(decoded);
    ++decoded_count_;
  }
  order_.push_back(id);
  while (order_.size() > capacity_) {
    auto oldest = known_.find(order_.front());
    if (oldest->second.decoded) --decoded_count_;
    known_.erase(oldest);
    order_.pop_front();
  }
}

size_t VerifiedSignatures::size() const {
  std::lock_guard lock(mu_);
  return known_.size();
}

size_t VerifiedSignatures::decoded() const {
  std::lock_guard lock(mu_);
  return decoded_count_;
}

Result<Transaction> VerifiedSignatures::decode_verified(const SignedTransaction& tx) {
  const Hash256 id = tx.id();
  std::unique_ptr<Transaction> decoded;
  bool verified = false;
  {
    std::lock_guard lock(mu_);
    if (Entry* entry = find_locked(tx, id)) {
      verified = true;
      if (entry->decoded) {
        decoded = std::move(entry->decoded);
        --decoded_count_;
      }
    }
  }
  if (decoded) return std::move(*decoded);
  if (verified) return wire::decode_transaction(tx);
  auto fresh = wire::decode_verified_transaction(tx);
  if (fresh.ok()) {
    std::lock_guard lock(mu_);
    insert_locked(id, signature_of(tx), nullptr);
  }
  return fresh;
}

void VerifiedSignatures::verify_all(const std::vector<SignedTransaction>& txs) {
  for (const auto& tx : txs) {
    const Hash256 id = tx.id();
    {
      std::lock_guard lock(mu_);
      if (find_locked(tx, id) != nullptr) continue;
    }
    auto fresh = wire::decode_verified_transaction(tx);
    if (!fresh.ok()) continue;
    auto decoded = std::make_unique<Transaction>(std::move(fresh).value());
    std::lock_guard lock(mu_);
    insert_locked(id, signature_of(tx), std::move(decoded));
  }
}

}  // namespace coopchain

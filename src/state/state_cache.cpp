#include "coopchain/state/state_cache.h"

#include <cstring>

namespace coopchain {
namespace {

// What an entry costs besides its bytes: the node, the bucket and two string headers.
constexpr size_t kEntryOverhead = 96;

}  // namespace

StateCache::StateCache(const StateReader& base, size_t budget_bytes)
    : base_(base), generation_bytes_(budget_bytes / 2) {}

const std::optional<std::string>* StateCache::find(std::string_view key) const {
  if (auto it = values_.find(key); it != values_.end()) return &it->second;
  auto old = older_values_.find(key);
  if (old == older_values_.end()) return nullptr;
  auto node = older_values_.extract(old);
  bytes_ += node.key().size() + (node.mapped() ? node.mapped()->size() : 0) + kEntryOverhead;
  auto inserted = values_.insert(std::move(node));
  const std::optional<std::string>* found = &inserted.position->second;
  rotate_if_full();
  // Rotation moved the entry to the older generation; its address is stable in either map.
  return found;
}

std::optional<std::string> StateCache::get(std::string_view key) const {
  if (const auto* cached = find(key)) {
    ++hits_;
    return *cached;
  }
  ++misses_;
  std::optional<std::string> value = base_.get(key);
  if (value) remember(std::string(key), value);
  return value;
}

bool StateCache::has_transaction(const Hash256& id) const {
  if (auto it = txs_.find(id); it != txs_.end()) {
    ++hits_;
    return it->second;
  }
  if (auto it = older_txs_.find(id); it != older_txs_.end()) {
    ++hits_;
    const bool committed = it->second;
    remember_tx(id, committed);
    return committed;
  }
  ++misses_;
  const bool committed = base_.has_transaction(id);
  remember_tx(id, committed);
  return committed;
}

void StateCache::apply(const StateChanges& changes, std::span<const Hash256> committed_txs) {
  for (const auto& [key, value] : changes) {
    if (auto it = values_.find(key); it != values_.end()) {
      it->second = value;
    } else if (auto old = older_values_.find(key); old != older_values_.end()) {
      old->second = value;
    }
  }
  for (const Hash256& id : committed_txs) {
    older_txs_.erase(id);
    remember_tx(id, true);
  }
}

void StateCache::remember(std::string key, std::optional<std::string> value) const {
  const size_t size = key.size() + (value ? value->size() : 0) + kEntryOverhead;
  auto [it, inserted] = values_.insert_or_assign(std::move(key), std::move(value));
  (void)it;
  if (inserted) bytes_ += size;
  rotate_if_full();
}

void StateCache::remember_tx(const Hash256& id, bool committed) const {
  if (txs_.insert_or_assign(id, committed).second) bytes_ += sizeof(Hash256) + kEntryOverhead;
  rotate_if_full();
}

void StateCache::rotate_if_full() const {
  if (bytes_ <= generation_bytes_) return;
  older_values_ = std::exchange(values_, {});
  older_txs_ = std::exchange(txs_, {});
  bytes_ = 0;
}

}  // namespace coopchain

#include "coopchain/state/state_view.h"

#include "coopchain/core/codec.h"

namespace coopchain {

std::optional<std::string> StateOverlay::get(std::string_view key) const {
  auto it = changes_.find(key);
  if (it != changes_.end()) return it->second;
  return base_.get(key);
}

bool StateOverlay::has_transaction(const Hash256& id) const {
  return txs_.count(id) != 0 || base_.has_transaction(id);
}

void StateOverlay::put(std::string key, std::string value) {
  changes_.insert_or_assign(std::move(key), std::move(value));
}

void StateOverlay::erase(std::string key) {
  changes_.insert_or_assign(std::move(key), std::nullopt);
}

void StateOverlay::merge(StateOverlay&& child) {
  // Splices the child's nodes in (no key is copied); what stays behind are keys this overlay
  // already had, whose newer values are moved over.
  changes_.merge(child.changes_);
  for (auto& [k, v] : child.changes_) changes_.find(k)->second = std::move(v);
  txs_.merge(child.txs_);
  child.changes_.clear();
  child.txs_.clear();
}

StateChanges StateOverlay::changes() const {
  return StateChanges(changes_.begin(), changes_.end());
}

StateChanges StateOverlay::release_changes() {
  StateChanges ordered;
  while (!changes_.empty()) {
    auto node = changes_.extract(changes_.begin());
    ordered.emplace(std::move(node.key()), std::move(node.mapped()));
  }
  return ordered;
}

std::optional<std::string> MemoryState::get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void MemoryState::apply_changes(const StateChanges& changes) {
  for (const auto& [k, v] : changes) {
    if (v) {
      entries_.insert_or_assign(k, *v);
    } else {
      entries_.erase(k);
    }
  }
}

Hash256 next_state_root(const Hash256& previous_root, uint64_t height,
                        const StateChanges& changes) {
  Sha256Builder b;
  Writer header;
  header.bytes("coopchain/state/v1").hash(previous_root).u64(height).count(changes.size());
  b.add(header.data());
  for (const auto& [k, v] : changes) {
    Writer w;
    w.bytes(k).boolean(v.has_value()).bytes(v ? *v : std::string_view());
    b.add(w.data());
  }
  return b.finish();
}

}  // namespace coopchain

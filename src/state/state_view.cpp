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
  write(std::move(key), std::move(value));
}

void StateOverlay::erase(std::string key) {
  write(std::move(key), std::nullopt);
}

void StateOverlay::write(std::string key, std::optional<std::string> value) {
  if (open_savepoints_ == 0) {
    changes_.insert_or_assign(std::move(key), std::move(value));
    return;
  }
  auto [it, inserted] = changes_.try_emplace(std::move(key));
  Undo undo{&it->first, std::nullopt};
  if (!inserted) undo.previous = std::move(it->second);
  undo_.push_back(std::move(undo));
  it->second = std::move(value);
}

void StateOverlay::add_transaction(const Hash256& id) {
  if (txs_.insert(id).second && open_savepoints_ != 0) undo_txs_.push_back(id);
}

void StateOverlay::undo_to(size_t writes, size_t txs) {
  while (undo_.size() > writes) {
    Undo& undo = undo_.back();
    auto it = changes_.find(*undo.key);
    if (undo.previous) {
      it->second = std::move(*undo.previous);
    } else {
      changes_.erase(it);
    }
    undo_.pop_back();
  }
  while (undo_txs_.size() > txs) {
    txs_.erase(undo_txs_.back());
    undo_txs_.pop_back();
  }
}

StateOverlay::Savepoint::Savepoint(StateOverlay& state)
    : state_(state), writes_(state.undo_.size()), txs_(state.undo_txs_.size()) {
  ++state_.open_savepoints_;
}

StateOverlay::Savepoint::~Savepoint() {
  if (!open_) return;
  state_.undo_to(writes_, txs_);
  --state_.open_savepoints_;
}

void StateOverlay::Savepoint::keep() {
  if (!open_) return;
  open_ = false;
  // Only an enclosing savepoint can still undo these writes; without one the journal goes.
  if (--state_.open_savepoints_ == 0) {
    state_.undo_.clear();
    state_.undo_txs_.clear();
  }
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

#include "replayed_state.h"

namespace coopchain::audit {

std::optional<std::string> ReplayedState::get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second.value;
}

void ReplayedState::apply(uint64_t height, const StateChanges& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      entries_.insert_or_assign(key, Entry{*value, height});
    } else {
      entries_.erase(key);
    }
  }
}

}  // namespace coopchain::audit

// The auditor's copy of the world state: what the rules read during the replay, with the height
// that last wrote each key so that a difference from a node's stored state can be pinned to a
// block.
#pragma once

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "coopchain/state/state_view.h"

namespace coopchain::audit {

class ReplayedState final : public StateReader {
 public:
  struct Entry {
    std::string value;
    uint64_t height = 0;
  };

  std::optional<std::string> get(std::string_view key) const override;
  bool has_transaction(const Hash256& id) const override { return txs_.count(id) != 0; }

  void apply(uint64_t height, const StateChanges& changes);
  void add_transaction(const Hash256& id) { txs_.insert(id); }

  const std::map<std::string, Entry, std::less<>>& entries() const { return entries_; }

 private:
  std::map<std::string, Entry, std::less<>> entries_;
  std::unordered_set<Hash256, TxIdHash> txs_;
};

}  // namespace coopchain::audit

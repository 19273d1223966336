#include "coopchain/node/mempool.h"

namespace coopchain {

bool Mempool::add(Transaction tx) {
  if (full() || contains(tx.id)) return false;
  const Hash256 id = tx.id;
  order_.push_back(std::move(tx));
  index_.emplace(id, std::prev(order_.end()));
  return true;
}

std::vector<const Transaction*> Mempool::oldest(size_t max) const {
  std::vector<const Transaction*> out;
  for (auto it = order_.begin(); it != order_.end() && out.size() < max; ++it) {
    out.push_back(&*it);
  }
  return out;
}

void Mempool::remove(const Hash256& id) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  order_.erase(it->second);
  index_.erase(it);
}

}  // namespace coopchain

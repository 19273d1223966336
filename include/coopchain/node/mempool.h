// Mempool: transactions admitted but not yet in a block, in arrival order, at most one per id
// and at most `capacity` in all. Signatures were verified before a transaction enters.
// REQUIRES: used only from the node's strand.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <vector>

#include "coopchain/core/transaction.h"

namespace coopchain {

class Mempool {
 public:
  explicit Mempool(size_t capacity) : capacity_(capacity) {}

  bool contains(const Hash256& id) const { return index_.count(id) != 0; }
  bool full() const { return order_.size() >= capacity_; }
  size_t size() const { return order_.size(); }

  // False when full or already present.
  bool add(Transaction tx);
  // Up to `max` transactions, oldest first, left in place.
  std::vector<const Transaction*> oldest(size_t max) const;
  void remove(const Hash256& id);
  const std::list<Transaction>& all() const { return order_; }

 private:
  size_t capacity_;
  std::list<Transaction> order_;
  std::map<Hash256, std::list<Transaction>::iterator> index_;
};

}  // namespace coopchain

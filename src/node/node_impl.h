// Node::Impl: what a node is made of. Private to the node module (and to tests that reach the
// strand through NodeTestAccess).
#pragma once

#include <memory>

#include "coopchain/core/ed25519.h"
#include "coopchain/node/node.h"
#include "coopchain/rules/rules.h"
#include "node_loop.h"
#include "read_side.h"

namespace coopchain {

// Rejections remembered for `tx status` after the fact.
inline constexpr size_t kRejectionMemory = 100'000;

// What a node is made of, in the order it is built; the loop, which uses all the rest, goes
// first when it is torn down.
class Node::Impl {
 public:
  Impl(NodeConfig config, std::unique_ptr<BlockStore> store, Genesis genesis, PrivateKey key)
      : config_(std::move(config)),
        store_(std::move(store)),
        genesis_(std::move(genesis)),
        validator_key_(std::move(key)),
        rules_(genesis_),
        statuses_(kRejectionMemory),
        reads_(genesis_, config_.node_id, statuses_, store_->view()),
        loop_(config_, genesis_, validator_key_, *store_, rules_, reads_, statuses_, metrics_) {}

  NodeConfig config_;
  std::unique_ptr<BlockStore> store_;
  Genesis genesis_;
  PrivateKey validator_key_;
  Rules rules_;
  TxStatusTable statuses_;
  NodeMetrics metrics_;
  ReadSide reads_;
  NodeLoop loop_;
};

// Tests that need to stall or inspect the strand (tests/api/stalled_strand_test.cpp).
struct NodeTestAccess {
  static void post_to_strand(Node& node, std::function<void()> work) {
    node.impl_->loop_.post(std::move(work));
  }
};

}  // namespace coopchain

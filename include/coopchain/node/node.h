// Node: the composition root of a running coopchaind. It opens and checks the block store,
// builds the consensus replica, the peer network, the submission pipeline and the read side,
// and wires them to one event loop that a single thread runs (the strand), which alone touches
// consensus state.
//
// The client API reaches it only through narrow interfaces: reader() for queries, which never
// touch the strand (node/chain_reader.h), submitter() for submissions, and metrics().
//
// Every network, a lone validator included, runs the same majority-vote replica: a lone
// validator elects itself on its first tick and commits each block with its own vote. A
// follower passes submissions to the leader and answers once it has committed them itself.
#pragma once

#include <memory>

#include "coopchain/core/status.h"
#include "coopchain/node/chain_reader.h"
#include "coopchain/node/config.h"
#include "coopchain/node/metrics.h"

namespace coopchain {

class Node {
 public:
  // Opens (or initializes from genesis) the store and checks that it is sound: head, state root
  // and quorum certificate agree and the stored genesis is the configured one.
  static Result<std::unique_ptr<Node>> open(NodeConfig config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Starts the replica's clock and, with other validators, the peer network (an error if
  // peer_listen cannot be bound); the caller then calls run() on one thread.
  Status start();
  // Runs the strand on the calling thread until stop(), then answers what was still queued on
  // it as a stopping node does.
  void run();
  // Stops the replica, answers every waiting submitter, and lets run() return. Safe from any
  // thread.
  void stop();
  // The node stopped itself because it could not write; the process should exit non-zero so
  // that a supervisor notices.
  bool failed() const;
  // The failure was a write to the database (disk full, I/O error): see docs/operations.md.
  bool storage_failed() const;

  const NodeConfig& config() const;
  // Thread-safe, and valid as long as the node.
  const ChainReader& reader() const;
  TransactionSubmitter& submitter();
  const NodeMetrics& metrics() const;

 private:
  friend struct NodeTestAccess;
  class Impl;
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coopchain

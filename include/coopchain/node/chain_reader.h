// What the client API may ask of a running node, through two narrow interfaces: ChainReader for
// reads and TransactionSubmitter for submissions. Every call is thread-safe and none waits for
// the node's strand: reads come from the chain as of the latest durable commit (a frozen view
// the strand publishes after each commit) and from tables the strand keeps current, so a slow or
// heavy read never delays consensus, and no work queued on the strand ever holds a reference
// into a client's call.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/core/genesis.h"
#include "coopchain/core/tx_outcome.h"
#include "coopchain/node/submit_reply.h"
#include "coopchain/storage/block_store.h"

namespace coopchain {

// What the node knows of one other validator.
struct PeerView {
  std::string id;
  std::string address;
  bool connected = false;     // our outbound link to it is up
  uint64_t match_height = 0;  // known to a leader only: its highest block matching ours
  uint64_t lag = 0;           // a leader's view: our last height minus match_height
  std::string last_error;
  std::optional<int64_t> clock_offset_ms;  // its clock minus ours, as last measured
  std::optional<int64_t> round_trip_ms;    // of that measurement
};

// The node's consensus state as the strand last published it (a few milliseconds old at most
// for role, term and leader; about a tenth of a second for the rest).
struct NodeStatusView {
  std::string role = "STARTING";
  uint64_t term = 0;
  std::string leader;
  size_t mempool_size = 0;
  std::vector<PeerView> peers;
  // Heard from a majority of the validators (itself included) within the election timeout.
  bool majority_in_contact = false;
  // The leader's committed height as last heard (the leader's own when this node leads).
  uint64_t leader_commit = 0;
  // False once a write failed; the node then stops.
  bool storage_ok = true;
  std::string storage_error;
  // When the event loop published this; it does every 100 ms while it runs.
  std::chrono::steady_clock::time_point published_at{};
};

class ChainReader {
 public:
  virtual ~ChainReader() = default;

  // The committed chain as of the latest commit this node made durable. Never null.
  virtual std::shared_ptr<const ChainView> committed() const = 0;
  // Committed (with its height, from committed()), pending, rejected (with the verdict), or
  // unknown to this node.
  virtual TxOutcome transaction_outcome(const Hash256& id) const = 0;
  virtual NodeStatusView status() const = 0;
  virtual const Genesis& genesis() const = 0;
  virtual const Hash256& genesis_hash() const = 0;
  virtual const std::string& node_id() const = 0;
  virtual bool stopping() const = 0;
};

class TransactionSubmitter {
 public:
  virtual ~TransactionSubmitter() = default;

  // Decodes the payload, checks its signature and shape on the calling thread, then offers it
  // to the leader: on the strand when this node leads, over the peer network otherwise.
  // `reply` is answered once: without `wait` when the leader has queued it; with `wait` once it
  // is committed here or rejected, or after `timeout` as kPending. A refusal by the rules is a
  // kRejected outcome, not an error; UNAVAILABLE when no leader is known or reachable.
  virtual void submit(const SignedTransaction& tx, bool wait, std::chrono::milliseconds timeout,
                      std::shared_ptr<SubmitReply> reply) = 0;
};

}  // namespace coopchain

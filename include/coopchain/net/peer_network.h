// PeerNetwork: a node's links to the other nodes of the network. It serves the Peer gRPC service
// on peer_listen and keeps one outbound stream to every other member it has an address for, all
// behind mutual TLS:
// - a peer is accepted only if it is a member other than this node and proves it: its client
//   certificate has the key pin the chain records for the node it names, or (in a network with
//   a CA) chains to the network CA and names the node as its common name; the sender of every
//   message is that name;
// - the outbound side checks that the server it reached holds the certificate of the node it
//   meant to reach, whatever address it reached it at;
// - the members are replaced whenever the chain's membership changes (set_members): a node
//   added by governance is linked and admitted, a removed one is refused, without a restart;
// - each outbound link has a bounded queue; when the queue is full the oldest message is
//   dropped (the protocol resends what matters), and a broken link is retried with exponential
//   backoff, each attempt given `connect_timeout` to finish its handshakes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/consensus/messages.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/core/tx_outcome.h"

namespace coopchain::net {

struct PeerEndpoint {
  std::string id;       // node id, the common name of its certificate
  std::string address;  // host:port of its peer_listen
};

// A node of the network as the chain records it.
struct PeerMember {
  std::string id;
  std::string address;  // host:port of its peer_listen; empty: it is not dialled, only admitted
  std::string pin;      // raw SHA-256 of its TLS public key; empty in a network with a CA
  bool operator==(const PeerMember&) const = default;
};

struct PeerNetworkOptions {
  std::string self_id;
  std::string listen;  // host:port
  // The members at start (this node's own entry, if any, is ignored); set_members replaces them.
  std::vector<PeerMember> members;
  // Peers are known by the members' pins (cert_pem is this node's self-signed certificate, and
  // ca_pem is not used) rather than by the network CA, for as long as the network runs.
  bool pinned = false;
  // PEM contents, not paths.
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  size_t queue_limit = 1024;  // messages per outbound link
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{5000};
  // The longest a connection attempt (TCP, TLS 1.3 and HTTP/2: four round trips) may take
  // before it is abandoned and retried; it also bounds how long a silent link is trusted
  // (keepalive). 20 s fits a 3 s round trip with room for a slow handshake.
  std::chrono::milliseconds connect_timeout{20000};
  // Messages of at least this many bytes (appends carrying blocks) are sent gzip-compressed on
  // a link whose measured round trip is 10 ms or more (PeerLink::kCompressFromRoundTrip); 0
  // sends none compressed. Blocks shrink several times: a follower catching up over a slow link
  // gets them that much sooner. Smaller messages, and quick links, are not worth the work.
  size_t compress_from_bytes = 1024;
  int max_message_bytes = 64 << 20;
  size_t forward_senders = 2;  // calls to the leader under way at once
  size_t forward_batch = 512;  // transactions per call at most
};

// What the node does with what arrives. Called from gRPC threads.
class PeerHandler {
 public:
  virtual ~PeerHandler() = default;
  using ForwardAnswer = std::function<void(std::vector<Result<TxOutcome>>)>;

  virtual void deliver(consensus::Message message) = 0;
  // Submissions a follower forwarded: `answer` gets one outcome each, in order, without waiting
  // for commits (UNAVAILABLE for one this node cannot take now). It is called exactly once,
  // from any thread, possibly before forwarded_submit returns.
  virtual void forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) = 0;
  // This node's link to `peer` connected again (or for the first time): what was sent to it
  // while the link was down is lost.
  virtual void link_up(const std::string& peer) { (void)peer; }
};

// One measurement of a peer's clock against ours.
struct ClockOffset {
  std::string peer;
  int64_t offset_ms = 0;  // the peer's clock minus ours; exact within half of rtt_ms
  int64_t rtt_ms = 0;
};

struct PeerHealth {
  std::string id;
  std::string address;
  bool connected = false;
  uint64_t sent = 0;
  uint64_t dropped = 0;
  std::string last_error;
  std::optional<ClockOffset> clock;  // the latest measurement
};

class PeerNetwork {
 public:
  // Binds peer_listen (an error if it cannot) and starts connecting to every peer.
  static Result<std::unique_ptr<PeerNetwork>> start(PeerNetworkOptions options,
                                                    PeerHandler& handler);
  ~PeerNetwork();
  PeerNetwork(const PeerNetwork&) = delete;
  PeerNetwork& operator=(const PeerNetwork&) = delete;

  // Never blocks. Messages to unknown peers are dropped.
  void send(consensus::Message message);
  // Replaces the members (this node's own id among them is ignored): links open to new ones and
  // close to those no longer listed, a member whose address changed is dialled there, and a
  // changed pin holds from the member's next handshake. Blocks while closing removed links.
  void set_members(std::vector<PeerMember> members);
  // Passes a submission to `leader`, batched with others under way, and returns its answer:
  // PENDING once the leader queued it, COMMITTED, or REJECTED with the rule code. The leader
  // does not wait for the commit. UNAVAILABLE when the leader cannot be reached or take it.
  Result<TxOutcome> forward(const std::string& leader, const SignedTransaction& tx);
  // The same without waiting: `done` gets the answer once, on a network thread; it must not
  // block.
  void forward_async(const std::string& leader, SignedTransaction tx,
                     std::function<void(Result<TxOutcome>)> done);
  std::vector<PeerHealth> health() const;
  // Asks every peer for its clock (Peer.Clock); the answers show in health(). Never blocks.
  void probe_clocks();
  // The same, waiting up to `timeout` for the answers: the peers that answered.
  std::vector<ClockOffset> measure_clocks(std::chrono::milliseconds timeout);
  // The port peer_listen bound (useful when it asked for port 0).
  int port() const;
  // Closes every stream and the server; returns once no handler call is running.
  void stop();

 private:
  class Impl;
  explicit PeerNetwork(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coopchain::net

// One outbound link to a peer: a bounded queue of messages written, one at a time, to a
// long-lived Exchange stream on gRPC's callback API (no thread of its own: whoever queues a
// message onto an idle stream starts its write, and each finished write starts the next). When
// the stream breaks the link waits out an exponential backoff before opening another, cut short
// when the peer is heard from.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/alarm.h>
#include <grpcpp/channel.h>
#include "coopchain/consensus/messages.h"
#include "coopchain/net/peer_network.h"

#include "coopchain/v1/peer.grpc.pb.h"

namespace coopchain::net {

class PeerLink {
 public:
  // `on_up` is called, from a gRPC thread and without the link's lock, each time the link
  // connects.
  PeerLink(PeerEndpoint endpoint, std::shared_ptr<grpc::Channel> channel, size_t queue_limit,
           std::chrono::milliseconds backoff_min, std::chrono::milliseconds backoff_max,
           size_t compress_from_bytes, std::function<void()> on_up);
  ~PeerLink();
  PeerLink(const PeerLink&) = delete;
  PeerLink& operator=(const PeerLink&) = delete;

  // Never blocks. While the peer is unreachable (the last write failed) only the newest
  // message waits.
  void send(consensus::Payload payload);
  // The peer just sent us something, so it is up: a reconnect waiting out its backoff tries now.
  void peer_alive();
  // The membership by which the peer refused this node changed: whatever backoff the link or
  // its channel waits out (a link that never sent still has its channel's), it tries now.
  void retry_now();
  // The link's measured round trip. Messages of compress_from_bytes or more are compressed
  // unless it is below kCompressFromRoundTrip (and while it is unknown).
  void set_round_trip(std::chrono::milliseconds round_trip) { round_trip_ms_ = round_trip.count(); }
  // A link this quick (loopback, a LAN) carries bytes faster than gzip makes them: compressing
  // cost 3 % more CPU per write on loopback and saved nothing.
  static constexpr std::chrono::milliseconds kCompressFromRoundTrip{10};
  v1::Peer::Stub& stub() { return *stub_; }
  PeerHealth health() const;
  // Drops what is queued and closes the stream; returns once it is closed.
  void stop();

 private:
  class Stream;
  // What the caller must do, outside mu_, after a decision taken under it.
  struct Step {
    Stream* open = nullptr;   // a new stream: open it with `payload` as its first write
    Stream* write = nullptr;  // the open stream: write `payload`
    Stream* close = nullptr;  // release the stream; it finishes and reports once done
    consensus::Payload payload;
  };

  // The next write, if no operation is under way and a message waits: on the open stream, or
  // on a new one unless backing off. REQUIRES: mu_ held.
  Step next_write_locked();
  void run(Step step);
  void on_write_done(bool ok);
  void on_stream_done(const grpc::Status& status);
  void on_retry();
  // Drops the oldest queued messages until at most `keep` are left. REQUIRES: mu_ held.
  void drop_oldest_locked(size_t keep);

  const PeerEndpoint endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Peer::Stub> stub_;
  const size_t queue_limit_;
  const std::chrono::milliseconds backoff_min_;
  const std::chrono::milliseconds backoff_max_;
  const size_t compress_from_bytes_;        // 0: never
  std::atomic<int64_t> round_trip_ms_{-1};  // -1: not measured yet
  const std::function<void()> on_up_;

  mutable std::mutex mu_;
  std::condition_variable done_;  // stream_ and retry_pending_ cleared
  std::deque<consensus::Payload> queue_;
  bool stopping_ = false;
  // Invariant: a write is in flight, or the stream is being opened or closed, exactly while
  // busy_; only the thread that set busy_ starts an operation on stream_ or releases it (stop()
  // may cancel it meanwhile, under mu_, unless closing_).
  Stream* stream_ = nullptr;
  bool busy_ = false;
  bool closing_ = false;  // stream_ was released: it may be deleted before it reports done
  std::shared_ptr<grpc::Alarm> retry_;  // shared: cancelled outside mu_ while it may be replaced
  bool retry_pending_ = false;          // a backoff is being waited out
  bool tls_failure_logged_ = false;     // the first failed handshake was logged
  bool refused_ = false;  // the last stream ended refused by the peer (PERMISSION_DENIED)
  std::chrono::milliseconds backoff_;
  bool connected_ = false;
  bool unreachable_ = false;  // the last write failed; none succeeded since
  bool nudged_ = false;       // peer_alive() during a backoff
  uint64_t sent_ = 0;
  uint64_t dropped_ = 0;
  std::string last_error_;
};

}  // namespace coopchain::net

// One outbound link to a peer: a bounded queue of messages and a thread that writes them to a
// long-lived Exchange stream, reconnecting with exponential backoff when the stream breaks (cut
// short when the peer is heard from).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/channel.h>
#include "coopchain/consensus/messages.h"
#include "coopchain/net/peer_network.h"

#include "coopchain/v1/peer.grpc.pb.h"

namespace coopchain::net {

class PeerLink {
 public:
  PeerLink(PeerEndpoint endpoint, std::shared_ptr<grpc::Channel> channel, size_t queue_limit,
           std::chrono::milliseconds backoff_min, std::chrono::milliseconds backoff_max);
  ~PeerLink();
  PeerLink(const PeerLink&) = delete;
  PeerLink& operator=(const PeerLink&) = delete;

  // Never blocks. While the peer is unreachable (the last write failed) only the newest
  // message waits.
  void send(consensus::Payload payload);
  // The peer just sent us something, so it is up: a reconnect waiting out its backoff tries now.
  void peer_alive();
  v1::Peer::Stub& stub() { return *stub_; }
  PeerHealth health() const;
  void stop();

 private:
  void run();
  // Drops the oldest queued messages until at most `keep` are left. REQUIRES: mu_ held.
  void drop_oldest_locked(size_t keep);
  // Sleeps for the current backoff unless stopped first; doubles it.
  void back_off();

  const PeerEndpoint endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Peer::Stub> stub_;
  const size_t queue_limit_;
  const std::chrono::milliseconds backoff_min_;
  const std::chrono::milliseconds backoff_max_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<consensus::Payload> queue_;
  bool stopping_ = false;
  grpc::ClientContext* active_ = nullptr;  // the open stream's context, for cancelling it
  std::chrono::milliseconds backoff_;
  bool connected_ = false;
  bool unreachable_ = false;  // the last write failed; none succeeded since
  bool nudged_ = false;       // peer_alive() during a backoff
  uint64_t sent_ = 0;
  uint64_t dropped_ = 0;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace coopchain::net

// A long, unreliable link between two loopback ports, in userspace: what a satellite or rural
// mobile link does to TCP, for tests and benchmarks that run real processes on one machine.
// Every connection made to port() is relayed to the target port, each byte arriving half a
// round trip after it was sent, plus a random jitter (after the bytes before it, at the link's
// rate, and never before the round trip TCP's own handshake would have taken). cut() takes the
// link down: nothing passes, and the connections open then are lost, each end learning so only
// when the link returns and its next packet is answered with a reset (as a modem that redials
// or a carrier NAT that forgot them does). A connection opened during the cut waits for the
// link, as a SYN that TCP retries would.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace coopchain::testing {

struct LinkShape {
  std::chrono::milliseconds round_trip{0};
  uint64_t bytes_per_second = 0;  // 0: unlimited
  // Each stretch of bytes is late by up to this much more, at random (never overtaking the
  // bytes before it: TCP delivers in order).
  std::chrono::milliseconds jitter{0};
};

class LinkEmulator {
 public:
  // Listens on 127.0.0.1:listen_port (0: a free one); relays to 127.0.0.1:target_port.
  LinkEmulator(int target_port, LinkShape shape, int listen_port = 0);
  ~LinkEmulator();  // closes every connection
  LinkEmulator(const LinkEmulator&) = delete;
  LinkEmulator& operator=(const LinkEmulator&) = delete;

  int port() const;
  void cut();
  void restore();
  // Connections accepted so far (each attempt of a client counts).
  uint64_t connections() const;
  // Bytes the clients sent into the link so far (TLS records and all).
  uint64_t bytes_sent() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coopchain::testing

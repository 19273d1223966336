// How client queries are kept from crowding out consensus on a small machine. Queries run on
// gRPC's synchronous server threads, which serve nothing else (submissions and peer traffic use
// the callback API's threads):
// - each such thread runs at a lower CPU priority (nice 10) than the node's strand, its peer
//   traffic and submissions, so a burst of queries slows queries, not commits;
// - heavy queries (a trace of up to 20,000 lots, every lot of a farm) take a ticket from a gate
//   that lets a few run at once; the others wait, until their deadline at most.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>

namespace coopchain::api {

// Lowers the calling thread's CPU priority, once per thread.
void run_at_query_priority();

class HeavyQueryGate {
 public:
  explicit HeavyQueryGate(size_t at_once) : free_(at_once) {}

  // Held while a heavy query runs.
  class Ticket {
   public:
    explicit Ticket(HeavyQueryGate& gate) : gate_(&gate) {}
    Ticket(Ticket&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_ != nullptr) gate_->leave();
    }

   private:
    HeavyQueryGate* gate_;
  };

  // A ticket, waiting until `deadline` at most for one; nullopt when none came free in time.
  std::optional<Ticket> enter(std::chrono::system_clock::time_point deadline);

 private:
  void leave();

  std::mutex mu_;
  std::condition_variable freed_;
  size_t free_;  // guarded by mu_
};

}  // namespace coopchain::api

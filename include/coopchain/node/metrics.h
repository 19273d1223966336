// NodeMetrics: the node's counters, kept by the strand and read by the metrics endpoint on its
// own thread. Relaxed atomics: each counter is exact, a snapshot of several is not a single
// instant (as with any Prometheus scrape).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace coopchain {

inline constexpr size_t kIncidentKinds = 5;

struct MetricsSnapshot {
  uint64_t blocks_committed = 0;
  uint64_t txs_committed = 0;
  uint64_t txs_rejected = 0;
  uint64_t submissions = 0;
  uint64_t forwarded = 0;
  uint64_t elections_won = 0;
  // Consensus incidents by consensus::Incident::Kind.
  std::array<uint64_t, kIncidentKinds> incidents{};
  uint64_t txs_dropped = 0;
};

class NodeMetrics {
 public:
  void add_blocks_committed(uint64_t n) { add(blocks_committed_, n); }
  void add_txs_committed(uint64_t n) { add(txs_committed_, n); }
  void add_tx_rejected() { add(txs_rejected_, 1); }
  void add_tx_dropped() { add(txs_dropped_, 1); }
  void add_submission() { add(submissions_, 1); }
  void add_forwarded() { add(forwarded_, 1); }
  void add_election_won() { add(elections_won_, 1); }
  void add_incident(size_t kind) {
    if (kind < kIncidentKinds) add(incidents_[kind], 1);
  }

  MetricsSnapshot snapshot() const {
    auto get = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    MetricsSnapshot s{get(blocks_committed_), get(txs_committed_), get(txs_rejected_),
                      get(submissions_),      get(forwarded_),     get(elections_won_)};
    for (size_t k = 0; k < kIncidentKinds; ++k) s.incidents[k] = get(incidents_[k]);
    s.txs_dropped = get(txs_dropped_);
    return s;
  }

 private:
  static void add(std::atomic<uint64_t>& counter, uint64_t n) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }

  std::atomic<uint64_t> blocks_committed_{0};
  std::atomic<uint64_t> txs_committed_{0};
  std::atomic<uint64_t> txs_rejected_{0};
  std::atomic<uint64_t> txs_dropped_{0};
  std::atomic<uint64_t> submissions_{0};
  std::atomic<uint64_t> forwarded_{0};
  std::atomic<uint64_t> elections_won_{0};
  std::array<std::atomic<uint64_t>, kIncidentKinds> incidents_{};
};

}  // namespace coopchain

// Chains for the in-process benchmarks: the devnet's organizations, farms of one polygon plot
// each, and transactions signed by coop-1 applied through the real rules over an in-memory
// state, a block at a time.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/rules/rules.h"
#include "test_genesis.h"
#include "test_keys.h"

namespace coopchain::bench {

// A regular `vertices`-gon filling cell i of a grid `per_row` cells wide and `cell` (1e-7
// degrees) apart, from (-77°, -6.5°), declaring about its area (AREA_MISMATCH allows 10 %).
inline Plot polygon_plot(int i, int per_row, int64_t cell, int vertices, int64_t inset = 0) {
  const int64_t cx = -770000000 + (i % per_row) * cell + cell / 2;
  const int64_t cy = -65000000 + (i / per_row) * cell + cell / 2;
  const double r = static_cast<double>(cell / 2 - inset);
  std::vector<Position> ring;
  for (int k = 0; k < vertices; ++k) {
    const double a = 2 * M_PI * k / vertices;
    ring.push_back({cx + std::lround(r * std::cos(a)), cy + std::lround(r * std::sin(a))});
  }
  ring.push_back(ring.front());
  Plot p;
  p.plot_id = "P-1";
  p.crop = Crop::kCoffee;
  p.geometry = Geometry{Geometry::Type::kPolygon, {ring}, ""};
  p.area_m2 = static_cast<uint64_t>(0.5 * vertices * std::sin(2 * M_PI / vertices) *
                                    std::pow(r * 1e-7 * 111'320, 2) * 0.99);
  return p;
}

class BenchChain {
 public:
  BenchChain()
      : genesis_(
            testing::test_genesis("bench-chain", kGenesisTime, "seed/", testing::devnet_orgs(), 0)),
        rules_(genesis_),
        coop_(testing::key_for("seed/coop-1")) {
    base_.apply(genesis_state(genesis_), std::vector<Hash256>{});
  }

  // The block time of every block: 300 days after genesis (2026-10-28).
  static constexpr TimeMs kGenesisTime = 1'767'225'600'000;  // 2026-01-01
  static constexpr TimeMs kNow = kGenesisTime + int64_t{300} * 86'400'000;

  const StateReader& state() const { return base_; }
  uint64_t height() const { return height_ - 1; }  // the last committed block
  std::optional<uint64_t> height_of(const Hash256& tx) const {
    auto it = heights_.find(tx);
    if (it == heights_.end()) return std::nullopt;
    return it->second;
  }

  // Applies one event, signed by coop-1, to `block` (the next block's overlay). A refusal stops
  // the benchmark: its chain would not be the one it describes.
  void apply(StateOverlay& block, Event event) {
    Transaction tx;
    tx.id = sha256("bench/tx/" + std::to_string(seq_++));
    tx.chain_id = "bench-chain";
    tx.public_key = coop_.public_key();
    tx.signer_key_id = key_id(tx.public_key);
    tx.event = std::move(event);
    Verdict v = rules_.apply(block, tx, BlockContext{height_, kNow});
    if (!v.ok()) {
      std::fprintf(stderr, "refused: %s\n", v.to_string().c_str());
      std::exit(1);
    }
    heights_[tx.id] = height_;
  }
  void commit(StateOverlay& block) {
    const StateOverlay::TxIds ids = block.transactions();
    base_.apply(block.release_changes(), ids);
    ++height_;
  }
  void commit_block(const std::vector<Event>& events) {
    StateOverlay block(base_);
    for (const Event& e : events) apply(block, e);
    commit(block);
  }
  StateOverlay next_block() const { return StateOverlay(base_); }

 private:
  Genesis genesis_;
  Rules rules_;
  const PrivateKey& coop_;
  MemoryState base_;
  std::map<Hash256, uint64_t> heights_;
  uint64_t height_ = 1;
  uint64_t seq_ = 0;
};

}  // namespace coopchain::bench

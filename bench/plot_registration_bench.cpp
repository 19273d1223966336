// plot_registration_bench: what registering a farm costs as the chain's plots accumulate. Each
// farm has one 20-vertex polygon plot of about 4 ha, packed on a grid so that every new plot's
// box meets its neighbours' and PLOT_OVERLAP measures the overlap with each of them. Farms go
// through the real rules (Rules::apply) over an in-memory state, 100 per block; the figure is
// the mean time per registration in bands of 1,000 as the count grows.
// Usage: plot_registration_bench [--plots N]   (default 100000)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "coopchain/rules/rules.h"
#include "test_genesis.h"
#include "test_keys.h"

namespace {

using namespace coopchain;
using Clock = std::chrono::steady_clock;

constexpr int kPerRow = 500;
constexpr int64_t kCell = 24'000;  // 0.0024°, about 265 m
constexpr int kVertices = 20;

Plot plot_at(int i) {
  const int64_t cx = -770000000 + (i % kPerRow) * kCell + kCell / 2;
  const int64_t cy = -65000000 + (i / kPerRow) * kCell + kCell / 2;
  // A 20-gon whose box is the cell: each box touches its neighbours' boxes.
  std::vector<Position> ring;
  for (int k = 0; k < kVertices; ++k) {
    const double a = 2 * M_PI * k / kVertices;
    ring.push_back(
        {cx + std::lround(kCell / 2 * std::cos(a)), cy + std::lround(kCell / 2 * std::sin(a))});
  }
  ring.push_back(ring.front());
  Plot p;
  p.plot_id = "P-1";
  p.crop = Crop::kCoffee;
  p.geometry = Geometry{Geometry::Type::kPolygon, {ring}, ""};
  // About the polygon's area, as a surveyor would declare it (AREA_MISMATCH allows 10 %).
  p.area_m2 = static_cast<uint64_t>(0.5 * kVertices * std::sin(2 * M_PI / kVertices) *
                                    std::pow(kCell / 2 * 1e-7 * 111'320, 2) * 0.99);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  int plots = 100'000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--plots") == 0) plots = std::stoi(argv[i + 1]);
  }
  const TimeMs genesis_time = 1'767'225'600'000;  // 2026-01-01
  Genesis genesis =
      testing::test_genesis("bench-chain", genesis_time, "seed/", testing::devnet_orgs(), 0);
  Rules rules(genesis);
  MemoryState base;
  base.apply(genesis_state(genesis), std::vector<Hash256>{});
  const PrivateKey& coop = testing::key_for("seed/coop-1");

  std::printf("plots registered   µs per registration (mean over the band)\n");
  const int band = 1'000;
  double band_seconds = 0;
  uint64_t height = 1;
  for (int block_start = 0; block_start < plots; block_start += 100, ++height) {
    StateOverlay block(base);
    for (int i = block_start; i < std::min(plots, block_start + 100); ++i) {
      Transaction tx;
      tx.id = sha256("bench/farm/" + std::to_string(i));
      tx.chain_id = "bench-chain";
      tx.public_key = coop.public_key();
      tx.signer_key_id = key_id(tx.public_key);
      tx.event = RegisterFarm{"F-" + std::to_string(i), "member", {plot_at(i)}, ""};
      const auto start = Clock::now();
      Verdict v = rules.apply(block, tx, BlockContext{height, genesis_time + 86'400'000});
      band_seconds += std::chrono::duration<double>(Clock::now() - start).count();
      if (!v.ok()) {
        std::fprintf(stderr, "farm %d refused: %s\n", i, v.to_string().c_str());
        return 1;
      }
      if ((i + 1) % band == 0 && ((i + 1) <= 10'000 || (i + 1) % 10'000 == 0)) {
        std::printf("%8d - %-8d %10.1f\n", i + 2 - band, i + 1, band_seconds * 1e6 / band);
      }
      if ((i + 1) % band == 0) band_seconds = 0;
    }
    const StateOverlay::TxIds ids = block.transactions();
    base.apply(block.release_changes(), ids);
  }
  return 0;
}

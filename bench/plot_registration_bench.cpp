// plot_registration_bench: what registering a farm costs as the chain's plots accumulate. Each
// farm has one 20-vertex polygon plot of about 4 ha, packed on a grid so that every new plot's
// box meets its neighbours' and PLOT_OVERLAP measures the overlap with each of them. Farms go
// through the real rules (Rules::apply) over an in-memory state, 100 per block; the figure is
// the mean time per registration in bands of 1,000 as the count grows.
// Usage: plot_registration_bench [--plots N]   (default 100000)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_chain.h"

int main(int argc, char** argv) {
  using namespace coopchain;
  using Clock = std::chrono::steady_clock;
  int plots = 100'000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--plots") == 0) plots = std::stoi(argv[i + 1]);
  }
  bench::BenchChain chain;
  std::printf("plots registered   µs per registration (mean over the band)\n");
  const int band = 1'000;
  double band_seconds = 0;
  for (int block_start = 0; block_start < plots; block_start += 100) {
    StateOverlay block = chain.next_block();
    for (int i = block_start; i < std::min(plots, block_start + 100); ++i) {
      // A 20-gon whose box is its 0.0024° cell: each box touches its neighbours' boxes.
      Event farm = RegisterFarm{
          "F-" + std::to_string(i), "member", {bench::polygon_plot(i, 500, 24'000, 20)}, ""};
      const auto start = Clock::now();
      chain.apply(block, std::move(farm));
      band_seconds += std::chrono::duration<double>(Clock::now() - start).count();
      if ((i + 1) % band == 0 && ((i + 1) <= 10'000 || (i + 1) % 10'000 == 0)) {
        std::printf("%8d - %-8d %10.1f\n", i + 2 - band, i + 1, band_seconds * 1e6 / band);
      }
      if ((i + 1) % band == 0) band_seconds = 0;
    }
    chain.commit(block);
  }
  return 0;
}

// sim: a longer sweep of the consensus simulator. Prints every failing seed.
//   sim --seeds N --nodes K [--first S]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "simulator.h"

int main(int argc, char** argv) {
  uint64_t seeds = 1000, first = 1;
  int nodes = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seeds")
      seeds = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--nodes")
      nodes = std::atoi(argv[i + 1]);
    else if (a == "--first")
      first = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: sim --seeds N --nodes K [--first S]\n");
      return 2;
    }
  }
  int failures = 0;
  uint64_t height = 0, crashes = 0;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    auto r = coopchain::sim::run_simulation({seed, nodes});
    height += r.committed_height;
    crashes += r.crashes;
    if (!r.ok) {
      ++failures;
      std::printf("FAIL %s\n", r.failure.c_str());
    }
  }
  std::printf("%llu seeds, %d nodes: %d failed; %llu blocks committed, %llu crashes\n",
              static_cast<unsigned long long>(seeds), nodes, failures,
              static_cast<unsigned long long>(height), static_cast<unsigned long long>(crashes));
  return failures == 0 ? 0 : 1;
}

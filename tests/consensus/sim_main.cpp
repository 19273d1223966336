// sim: a longer sweep of the consensus simulator. Prints every failing seed.
//   sim --seeds N --nodes K [--first S] [--paired] [--verbose]
// --paired runs the paired membership schedule (two spares; two validator changes proposed at
// once, which the rules refuse, and one at a time).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "simulator.h"

int main(int argc, char** argv) {
  uint64_t seeds = 1000, first = 1;
  int nodes = 3;
  bool verbose = false, paired = false;
  for (int i = 1; i < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--verbose" || a == "--paired") {
      bool& flag = a == "--verbose" ? verbose : paired;
      flag = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) break;
    if (a == "--seeds")
      seeds = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--nodes")
      nodes = std::atoi(argv[i + 1]);
    else if (a == "--first")
      first = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: sim --seeds N --nodes K [--first S] [--paired] [--verbose]\n");
      return 2;
    }
  }
  int failures = 0;
  uint64_t height = 0, crashes = 0;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    coopchain::sim::SimOptions options{seed, nodes};
    options.paired_changes = paired;
    auto r = coopchain::sim::run_simulation(options);
    height += r.committed_height;
    crashes += r.crashes;
    if (!r.ok) {
      ++failures;
      std::printf("FAIL %s\n", r.failure.c_str());
    }
    if (verbose) {
      std::printf(
          "seed %llu: height %llu, %zu leaders, highest term %llu, %zu membership changes "
          "committed, %zu refused\n",
          static_cast<unsigned long long>(seed),
          static_cast<unsigned long long>(r.committed_height), r.leaders_elected,
          static_cast<unsigned long long>(r.highest_term), r.membership_committed,
          r.membership_refused);
      for (const auto& [code, count] : r.membership_refusals) {
        std::printf("  refused %s: %zu\n", code.c_str(), count);
      }
    }
  }
  std::printf("%llu seeds, %d nodes: %d failed; %llu blocks committed, %llu crashes\n",
              static_cast<unsigned long long>(seeds), nodes, failures,
              static_cast<unsigned long long>(height), static_cast<unsigned long long>(crashes));
  return failures == 0 ? 0 : 1;
}

// A deterministic simulator for the consensus: n replicas of the real consensus and rules code
// in one process, on a virtual clock, over a simulated network that delays, drops, duplicates
// and reorders messages, partitions nodes (also asymmetrically), and crashes and restarts
// nodes from what they persisted. One seed reproduces one run exactly. After every step it
// checks the safety properties; after the faults heal it checks that commits resume.
#pragma once

#include <cstdint>
#include <string>

namespace coopchain::sim {

struct SimOptions {
  uint64_t seed = 1;
  int nodes = 3;
  int64_t fault_ms = 12'000;  // virtual time with faults
  int64_t heal_ms = 12'000;   // then with none, to check that commits resume
  int transactions = 60;
  bool faults = true;
};

struct SimResult {
  bool ok = true;
  std::string failure;  // the first property that failed, with the virtual time
  uint64_t committed_height = 0;
  size_t acknowledged = 0;
  size_t leaders_elected = 0;
  size_t crashes = 0;
  size_t messages = 0;
};

SimResult run_simulation(const SimOptions& options);

}  // namespace coopchain::sim

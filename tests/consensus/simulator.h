// A deterministic simulator for the consensus: n replicas of the real consensus and rules code
// in one process, on a virtual clock, over a simulated network that delays, drops, duplicates
// and reorders messages, partitions nodes (also asymmetrically), and crashes and restarts
// nodes from what they persisted. One seed reproduces one run exactly. After every step it
// checks the safety properties; after the faults heal it checks that commits resume.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace coopchain::sim {

struct SimOptions {
  uint64_t seed = 1;
  int nodes = 3;
  int64_t fault_ms = 12'000;  // virtual time with faults
  int64_t heal_ms = 12'000;   // then with none, to check that commits resume
  int transactions = 60;
  bool faults = true;
  // node-1 is faulty: while faults last, every block it sends carries an extra transaction
  // that the rules forbid (signed by a key no organization holds), with the header's
  // transaction root made to match. Nothing it sends that way may ever be committed.
  bool faulty_leader = false;
  // node-1 equivocates: while faults last, it sends peers with an even index a different block
  // (its time moved on by a millisecond, so a different hash) at each height it proposes than
  // the one it keeps and sends the others. It still signs only its own block.
  bool equivocating_leader = false;
  // A slow rural link: every message takes 300–500 ms one way (about 800 ms round trip), and the
  // replicas run with the node's default timeouts instead of the simulator's short ones.
  bool slow_link = false;
  // Each node's own config caps its proposals differently (node i: 16, 2, 7, 16, 2, ...): a
  // node's config may make it propose smaller blocks, never refuse a larger valid one.
  bool mixed_local_limits = false;
  // node-1 is a validator turned hostile: while faults last it sends every peer, every 150 ms,
  // a vote request one term above the highest any honest node holds, and every second one of
  // an absurd term (up to 2^64-1) as a vote request, a refused pre-vote and an append answer.
  // Its own replica runs on; once the faults stop it sends nothing of its own making.
  bool disruptive_validator = false;
  // The membership changes (membership_tx) every 1.5 s of virtual time, through the faults, with
  // a spare node that is not in the genesis: it joins as a learner, catches up and votes. Off
  // whenever node-1 plays one of the hostile parts above (it would be removed).
  bool membership_changes = true;
  // With membership_changes: the paired schedule (paired_membership_tx) in place of the single
  // one, with two spare nodes. Its proposals that change two validators at once must be
  // refused; were they not, a node and the two newcomers could elect a leader alone.
  bool paired_changes = false;
};

struct SimResult {
  bool ok = true;
  std::string failure;  // the first property that failed, with the virtual time
  uint64_t committed_height = 0;
  size_t acknowledged = 0;
  size_t leaders_elected = 0;
  size_t crashes = 0;
  size_t messages = 0;
  size_t tampered_blocks = 0;      // blocks the faulty leader sent with a forbidden transaction
  size_t equivocations = 0;        // blocks the equivocating leader sent in a second version
  size_t largest_block = 0;        // transactions in the largest committed block
  size_t disruptive_messages = 0;  // what the disruptive validator sent of its own making
  size_t quarantines = 0;          // peers a replica stopped listening to for elections
  size_t terms_refused = 0;        // messages refused for an out-of-bounds term
  uint64_t highest_term = 0;       // the highest term any replica reached
  // The workload's transactions the rules refused, by rule code (each transaction once).
  std::map<std::string, size_t> refusals;
  size_t membership_committed = 0;  // membership changes committed (not in `acknowledged`)
  size_t membership_refused = 0;    // membership changes the rules refused (not in `refusals`)
  std::map<std::string, size_t> membership_refusals;  // the same, by rule code
};

SimResult run_simulation(const SimOptions& options);

}  // namespace coopchain::sim

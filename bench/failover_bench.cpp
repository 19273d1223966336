// failover_bench: leader failover time on loopback. Starts a fresh 3-node devnet (real
// coopchaind processes, mutual TLS), then ROUNDS times: kill -9 the leader, measure the time
// until the surviving nodes agree on a new leader and until a submission through a survivor
// commits, restart the killed node and wait until every head agrees. Prints each round and the
// medians. Bounded: every wait has a timeout, and every process it starts it stops.
//   failover_bench [--rounds N] [--nodes K]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "harness.h"
#include "signer.h"

namespace {

using Clock = std::chrono::steady_clock;
using coopchain::testing::Cluster;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 10, nodes = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--rounds") {
      rounds = std::stoi(argv[i + 1]);
    } else if (a == "--nodes") {
      nodes = std::stoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "usage: failover_bench [--rounds N] [--nodes K]\n");
      return 2;
    }
  }
  Cluster cluster(nodes);
  const auto coop = coopchain::testing::load_key(cluster.key("coop-1"));
  std::vector<double> elected_ms, committed_ms;
  for (int round = 0; round < rounds; ++round) {
    const int leader = cluster.wait_for_leader(std::chrono::seconds(30));
    if (leader < 0) {
      std::fprintf(stderr, "no leader before round %d\n", round);
      return 1;
    }
    const auto t0 = Clock::now();
    cluster.daemon(leader).kill9();
    const int next = cluster.wait_for_leader(std::chrono::seconds(60), {leader});
    if (next < 0) {
      std::fprintf(stderr, "no new leader in round %d\n", round);
      return 1;
    }
    const double elected = ms_since(t0);
    // Submit through a surviving follower, so that forwarding to the new leader is measured too.
    int survivor = next;
    for (int i = 0; i < cluster.size(); ++i) {
      if (i != leader && i != next) survivor = i;
    }
    auto tx = coopchain::testing::sign_event(
        coop, cluster.chain_id(),
        R"({"registerFarm": {"farmId": "F-FAILOVER-)" + std::to_string(round) +
            R"(", "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})");
    double committed = -1;
    while (ms_since(t0) < 60'000) {
      coopchain::v1::SubmitResponse response;
      auto st = coopchain::testing::submit_and_wait(*cluster.ledger(survivor), tx, &response,
                                                    std::chrono::seconds(5));
      if (st.ok() && response.state() == coopchain::v1::COMMITTED) {
        committed = ms_since(t0);
        break;
      }
    }
    if (committed < 0) {
      std::fprintf(stderr, "nothing committed after the kill in round %d\n", round);
      return 1;
    }
    elected_ms.push_back(elected);
    committed_ms.push_back(committed);
    std::printf("round %2d: killed %s, %s leads after %.0f ms, first commit after %.0f ms\n",
                round + 1, cluster.node_id(leader).c_str(), cluster.node_id(next).c_str(), elected,
                committed);
    std::fflush(stdout);
    if (!cluster.daemon(leader).start(std::chrono::seconds(30), false) ||
        !cluster.wait_for_equal_heads(std::chrono::seconds(60))) {
      std::fprintf(stderr, "the killed node did not catch up in round %d\n", round);
      return 1;
    }
  }
  std::printf(
      "failover over %d kills (%d nodes, loopback): median new leader %.0f ms, "
      "median first commit %.0f ms\n",
      rounds, nodes, median(elected_ms), median(committed_ms));
  return 0;
}

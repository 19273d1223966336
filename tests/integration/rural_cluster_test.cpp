// A 3-node network of real coopchaind processes whose six peer links each run through a link
// emulator (tests/support/link_emulator.h) at a 200 ms round trip with jitter: writers at every
// node commit concurrently (a follower commits on the leader's vote, blocks cross compressed),
// and a follower whose links are cut while the leader commits holds every block once they
// return. The long round trips (0.8 to 3 s) are measured by bench/rural, not here.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <regex>
#include <thread>

#include "harness.h"
#include "link_emulator.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

constexpr auto kRoundTrip = std::chrono::milliseconds(200);

// Node i's link to node j, by the ids in the configs.
using LinkKey = std::pair<std::string, std::string>;

class RuralClusterTest : public ::testing::Test {
 protected:
  // Rewrites each peer address of node i's config to an emulator in front of that peer.
  Cluster::ConfigEdit through_emulators() {
    return [this](int node, std::string& yaml) {
      static const std::regex peer(R"((- id: (coop-\d+)\s+address: 127\.0\.0\.1:)(\d+))");
      std::string out;
      auto at = yaml.cbegin();
      for (std::sregex_iterator it(yaml.begin(), yaml.end(), peer), end; it != end; ++it) {
        const std::smatch& m = *it;
        auto link = std::make_unique<LinkEmulator>(std::stoi(m[3].str()),
                                                   LinkShape{kRoundTrip, 0, kRoundTrip / 8});
        out.append(at, m[0].first).append(m[1].str()).append(std::to_string(link->port()));
        at = m[0].second;
        links_[{"coop-" + std::to_string(node + 1), m[2].str()}] = std::move(link);
      }
      out.append(at, yaml.cend());
      yaml = std::move(out);
    };
  }

  // Cuts (or restores) every link to and from `id`.
  void set_links_of(const std::string& id, bool up) {
    for (auto& [key, link] : links_) {
      if (key.first != id && key.second != id) continue;
      if (up) {
        link->restore();
      } else {
        link->cut();
      }
    }
  }

  std::map<LinkKey, std::unique_ptr<LinkEmulator>> links_;
};

v1::SignedTransaction harvest(const Cluster& cluster, const PrivateKey& coop,
                              const std::string& lot) {
  return sign_event(coop, cluster.chain_id(), R"({"harvest": {"lotId": ")" + lot + R"(",
      "farmId": "F-RURAL", "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY", "massG": 1000,
      "harvestedAt": ")" + days_ago(1) + R"("}})");
}

// Submits `tx` to node i and waits for its commit, retrying the same transaction while the
// network settles; the committed height, or 0.
uint64_t commit_at(Cluster& cluster, int i, const v1::SignedTransaction& tx) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    v1::SubmitResponse response;
    const grpc::Status st =
        submit_and_wait(*cluster.ledger(i), tx, &response, std::chrono::seconds(10));
    if (st.ok() && response.state() == v1::COMMITTED) return response.height();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return 0;
}

TEST_F(RuralClusterTest, WritersAtEveryNodeCommitAndACutFollowerCatchesUp) {
  Cluster cluster(3, through_emulators());
  ASSERT_EQ(links_.size(), 6u) << "every peer link goes through an emulator";
  const int leader = cluster.wait_for_leader(std::chrono::seconds(60));
  ASSERT_GE(leader, 0);
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  ASSERT_GT(commit_at(cluster, leader, sign_event(coop, cluster.chain_id(), R"({"registerFarm": {
      "farmId": "F-RURAL", "plots": [{"plotId": "P-1", "areaM2": 1000000000,
      "crop": "COFFEE"}]}})")),
            0u);

  // Two writers at each node, five harvests each, one at a time.
  std::atomic<int> committed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      for (int k = 0; k < 5; ++k) {
        const auto tx = harvest(cluster, coop, "L-W" + std::to_string(w) + "-" + std::to_string(k));
        if (commit_at(cluster, w % 3, tx) > 0) ++committed;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(committed.load(), 30);

  // A follower cut off while the leader commits, then back.
  const int follower = (leader + 1) % 3;
  set_links_of(cluster.node_id(follower), false);
  for (int k = 0; k < 5; ++k) {
    EXPECT_GT(commit_at(cluster, leader, harvest(cluster, coop, "L-CUT-" + std::to_string(k))), 0u);
  }
  set_links_of(cluster.node_id(follower), true);
  EXPECT_TRUE(cluster.wait_for_equal_heads(std::chrono::seconds(60)))
      << "the follower did not catch up after its links returned";
  // Every node's traffic went through the emulators, both ways: the leader sends blocks, the
  // followers forward their writers' events. (A link between two followers may carry nothing: a
  // node that never campaigns never calls the other follower.)
  std::map<std::string, uint64_t> sent, received;
  for (const auto& [key, link] : links_) {
    sent[key.first] += link->bytes_sent();
    received[key.second] += link->bytes_sent();
  }
  for (int i = 0; i < 3; ++i) {
    const std::string id = cluster.node_id(i);
    EXPECT_GT(sent[id], 0u) << id << " sent nothing through its links";
    EXPECT_GT(received[id], 0u) << id << " was sent nothing through its links";
  }
}

}  // namespace
}  // namespace coopchain::testing

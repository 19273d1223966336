// Real multi-validator networks: 3 and 5 coopchaind processes on loopback with mutual TLS,
// submissions through followers, kill -9 of the leader under load, minorities and majorities
// down and back. At the end every node has the same head and every transaction acknowledged as
// committed is committed on every node.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

constexpr auto kLeaderTimeout = std::chrono::seconds(30);
constexpr auto kConvergeTimeout = std::chrono::seconds(60);

// Clients that submit harvests (each a new lot) with wait, to the nodes in turn. A submission
// that fails or times out is retried on the next node, the same signed transaction, so that
// nothing is counted twice; only COMMITTED answers are acknowledgements.
class Load {
 public:
  // `tag` names this load's farm and lots, so that several loads can run on one chain.
  Load(Cluster& cluster, int clients, const std::string& tag) : cluster_(cluster), tag_(tag) {
    coop_ = std::make_unique<PrivateKey>(load_key(cluster.key("coop-1")));
    chain_id_ = cluster.chain_id();
    harvested_at_ = days_ago(1);
    v1::SubmitResponse response;
    auto farm = sign_event(*coop_, chain_id_, R"({"registerFarm": {"farmId": "F-)" + tag_ + R"(",
        "plots": [{"plotId": "P-1", "areaM2": 1000000000, "crop": "COFFEE"}]}})");
    grpc::Status st;
    for (int i = 0; i < cluster.size(); ++i) {
      st = submit_and_wait(*cluster.ledger(i), farm, &response);
      if (st.ok()) break;
    }
    if (!st.ok() || response.state() != v1::COMMITTED) {
      throw std::runtime_error("cannot register the farm: " + st.error_message());
    }
    for (int c = 0; c < clients; ++c) threads_.emplace_back([this, c] { run(c); });
  }
  ~Load() { stop(); }

  void stop() {
    go_ = false;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  std::set<std::string> acknowledged() const {
    std::lock_guard lock(mu_);
    return acknowledged_;
  }
  size_t acknowledged_count() const {
    std::lock_guard lock(mu_);
    return acknowledged_.size();
  }

 private:
  void run(int client) {
    int target = client;
    while (go_) {
      const int n = next_lot_++;
      auto tx =
          sign_event(*coop_, chain_id_,
                     R"({"harvest": {"lotId": "L-)" + tag_ + "-" + std::to_string(n) +
                         R"(", "farmId": "F-)" + tag_ + R"(", "plotId": "P-1", "crop": "COFFEE",
                               "form": "CHERRY", "massG": 1000, "harvestedAt": ")" +
                         harvested_at_ + R"("}})");
      for (int attempt = 0; attempt < 50 && go_; ++attempt) {
        target = (target + 1) % cluster_.size();
        v1::SubmitResponse response;
        grpc::Status st =
            submit_and_wait(*cluster_.ledger(target), tx, &response, std::chrono::seconds(5));
        if (st.ok() && response.state() == v1::COMMITTED) {
          std::lock_guard lock(mu_);
          acknowledged_.insert(response.tx_id());
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }

  Cluster& cluster_;
  const std::string tag_;
  std::unique_ptr<PrivateKey> coop_;
  std::string chain_id_;
  std::string harvested_at_;
  std::atomic<bool> go_{true};
  std::atomic<int> next_lot_{0};
  mutable std::mutex mu_;
  std::set<std::string> acknowledged_;
  std::vector<std::thread> threads_;
};

// Every acknowledged transaction is committed on node i.
void expect_committed_on(Cluster& cluster, int i, const std::set<std::string>& ids) {
  auto ledger = cluster.ledger(i);
  size_t missing = 0;
  for (const auto& id : ids) {
    grpc::ClientContext ctx;
    v1::GetTransactionRequest request;
    request.set_tx_id(id);
    v1::TransactionInfo info;
    grpc::Status st = ledger->GetTransaction(&ctx, request, &info);
    if (!st.ok() || info.state() != v1::COMMITTED) ++missing;
  }
  EXPECT_EQ(missing, 0u) << cluster.node_id(i) << " lacks " << missing << " of " << ids.size()
                         << " acknowledged transactions";
}

void wait_for_more(const Load& load, size_t more, std::chrono::seconds timeout) {
  const size_t target = load.acknowledged_count() + more;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (load.acknowledged_count() < target && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST(ClusterTest, ThreeNodesSubmitThroughAFollowerAndSurviveKillingTheLeader) {
  Cluster cluster(3);
  const int leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0);
  const int follower = leader == 0 ? 1 : 0;

  // The CLI, through a follower: the answer comes once the follower holds the block.
  auto farm = cluster.dir() / "farm.json";
  std::ofstream(farm) << R"({"registerFarm": {"farmId": "F-001", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})";
  CommandResult submitted =
      cluster.cli(follower, {"submit", farm.string(), "--key", cluster.key("coop-1"), "--wait"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  EXPECT_NE(submitted.out.find("committed at height"), std::string::npos) << submitted.out;
  // The same transaction again is the same commit; the same event in a new transaction is
  // refused with its rule code, through the follower too.
  CommandResult same =
      cluster.cli(follower, {"submit", farm.string(), "--key", cluster.key("coop-1"), "--wait"});
  EXPECT_EQ(same.exit_code, 0);
  EXPECT_EQ(same.out, submitted.out);
  CommandResult again = cluster.cli(follower, {"submit", farm.string(), "--key",
                                               cluster.key("coop-1"), "--wait", "--nonce", "1"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE((again.out + again.err).find("FARM_EXISTS"), std::string::npos)
      << again.out << again.err;

  auto st = cluster.status(follower);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->role(), "FOLLOWER");
  EXPECT_EQ(st->leader(), cluster.node_id(leader));
  EXPECT_EQ(st->peers_size(), 2);

  Load load(cluster, 4, "A");
  wait_for_more(load, 30, std::chrono::seconds(30));
  cluster.daemon(leader).kill9();
  const int next = cluster.wait_for_leader(kLeaderTimeout, {leader});
  ASSERT_GE(next, 0) << "no new leader after the leader was killed";
  EXPECT_NE(next, leader);
  const size_t before = load.acknowledged_count();
  wait_for_more(load, 30, std::chrono::seconds(30));
  EXPECT_GE(load.acknowledged_count(), before + 30) << "commits did not go on";

  // The old leader comes back and catches up under load.
  ASSERT_TRUE(cluster.daemon(leader).start(std::chrono::seconds(30)))
      << cluster.daemon(leader).log();
  wait_for_more(load, 30, std::chrono::seconds(30));
  load.stop();
  ASSERT_TRUE(cluster.wait_for_equal_heads(kConvergeTimeout)) << "heads differ";
  const auto acknowledged = load.acknowledged();
  ASSERT_GT(acknowledged.size(), 90u);
  for (int i = 0; i < cluster.size(); ++i) expect_committed_on(cluster, i, acknowledged);
}

// Killing the leader under a steady trickle once failed 9-12 of 40-60 waiting submissions
// (forwards to the dead leader, UNAVAILABLE while no leader was known). A follower now holds
// them until the next leader is known: none fails.
TEST(ClusterTest, SubmissionsWaitingThroughAnElectionAllCommit) {
  Cluster cluster(3);
  const int leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0);
  const int follower = (leader + 1) % 3;
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  {
    v1::SubmitResponse response;
    ASSERT_TRUE(submit_and_wait(*cluster.ledger(follower),
                                sign_event(coop, cluster.chain_id(),
                                           R"({"registerFarm": {"farmId": "F-TRICKLE", "plots": [
        {"plotId": "P-1", "areaM2": 1000000000, "crop": "COFFEE"}]}})"),
                                &response)
                    .ok());
  }
  const std::string harvested_at = days_ago(1);
  auto harvest = [&](int n) {
    return sign_event(coop, cluster.chain_id(),
                      R"({"harvest": {"lotId": "L-T-)" + std::to_string(n) +
                          R"(", "farmId": "F-TRICKLE", "plotId": "P-1", "crop": "COFFEE",
                          "form": "CHERRY", "massG": 1000, "harvestedAt": ")" +
                          harvested_at + R"("}})");
  };
  constexpr int kSubmissions = 40;
  std::atomic<int> failed{0};
  std::mutex mu;
  std::vector<v1::SignedTransaction> pending;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int n = 0; n < kSubmissions; ++n) {
    if (n == 10) cluster.daemon(leader).kill9();
    clients.emplace_back([&, n] {
      const auto tx = harvest(n);
      v1::SubmitResponse response;
      grpc::Status st =
          submit_and_wait(*cluster.ledger(follower), tx, &response, std::chrono::seconds(20));
      std::lock_guard lock(mu);
      if (!st.ok()) {
        ++failed;
        failures.push_back(std::to_string(st.error_code()) + " " + st.error_message());
      } else if (response.state() != v1::COMMITTED) {
        pending.push_back(tx);  // queued at the leader that died: on no node (issue of PENDING)
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(failed.load(), 0) << [&] {
    std::string all;
    for (const auto& f : failures) all += f + "\n";
    return all;
  }();
  // What was queued at the dead leader commits when submitted again.
  for (const auto& tx : pending) {
    v1::SubmitResponse response;
    ASSERT_TRUE(submit_and_wait(*cluster.ledger(follower), tx, &response).ok());
    EXPECT_EQ(response.state(), v1::COMMITTED);
  }
}

TEST(ClusterTest, FiveNodesCommitWithTwoDownAndNothingWithThreeDown) {
  Cluster cluster(5);
  int leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0);

  // Two followers down: a majority of three remains and commits go on.
  std::vector<int> down;
  for (int i = 0; i < cluster.size() && down.size() < 2; ++i) {
    if (i != leader) down.push_back(i);
  }
  for (int i : down) cluster.daemon(i).kill9();
  std::set<std::string> acknowledged;
  {
    Load load(cluster, 3, "MAJORITY");
    wait_for_more(load, 30, std::chrono::seconds(60));
    load.stop();
    acknowledged = load.acknowledged();
  }
  ASSERT_GE(acknowledged.size(), 30u) << "a majority of three did not commit";

  // A third node down (the leader): nothing may be acknowledged as committed.
  cluster.daemon(leader).kill9();
  down.push_back(leader);
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  std::vector<int> up;
  for (int i = 0; i < cluster.size(); ++i) {
    if (std::find(down.begin(), down.end(), i) == down.end()) up.push_back(i);
  }
  ASSERT_EQ(up.size(), 2u);
  const std::string& chain_id = cluster.chain_id();
  for (int k = 0; k < 4; ++k) {
    const int target = up[k % 2];
    auto tx =
        sign_event(coop, chain_id,
                   R"({"registerFarm": {"farmId": "F-DARK-)" + std::to_string(k) + R"(", "plots": [
        {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})");
    v1::SubmitResponse response;
    grpc::Status st =
        submit_and_wait(*cluster.ledger(target), tx, &response, std::chrono::seconds(4));
    EXPECT_FALSE(st.ok() && response.state() == v1::COMMITTED)
        << "a minority acknowledged a commit";
    if (!st.ok()) {
      EXPECT_TRUE(st.error_code() == grpc::StatusCode::UNAVAILABLE ||
                  st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
          << st.error_code() << " " << st.error_message();
    }
  }

  // Everyone back: a leader again, commits resume, and all five converge.
  for (int i : down) ASSERT_TRUE(cluster.daemon(i).start(std::chrono::seconds(30), false));
  leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0) << "no leader after the nodes came back";
  {
    Load load(cluster, 3, "BACK");
    wait_for_more(load, 30, std::chrono::seconds(60));
    load.stop();
    const auto more = load.acknowledged();
    ASSERT_GE(more.size(), 30u) << "commits did not resume";
    acknowledged.insert(more.begin(), more.end());
  }
  ASSERT_TRUE(cluster.wait_for_equal_heads(kConvergeTimeout)) << "heads differ";
  for (int i = 0; i < cluster.size(); ++i) expect_committed_on(cluster, i, acknowledged);
}

}  // namespace
// Submissions hold no server thread while they wait, so the node itself must answer each one:
// PENDING when the client's wait is over, and something when the node stops under it.
TEST(ClusterTest, AWaitingSubmissionIsAnsweredPendingAtItsTimeoutAndWhenTheNodeStops) {
  Cluster cluster(3);
  const int leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0);
  for (int i = 0; i < cluster.size(); ++i) {
    if (i != leader) cluster.daemon(i).kill9();
  }
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  auto farm = [&](const std::string& id) {
    return sign_event(coop, cluster.chain_id(),
                      R"({"registerFarm": {"farmId": ")" + id +
                          R"(", "plots": [
        {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})");
  };

  // No majority: the leader queues the transaction and cannot commit it.
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::SubmitRequest request;
    *request.mutable_transaction() = farm("F-WAIT-1");
    request.set_wait(true);
    request.set_wait_timeout_ms(500);
    v1::SubmitResponse response;
    grpc::Status st = cluster.ledger(leader)->Submit(&ctx, request, &response);
    ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
    EXPECT_EQ(response.state(), v1::PENDING);
  }

  // A submitter waiting far longer than the node lives is answered when the node stops, and the
  // node still stops cleanly.
  std::atomic<bool> answered{false};
  grpc::Status waited;
  v1::SubmitResponse waited_response;
  std::thread submitter([&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::SubmitRequest request;
    *request.mutable_transaction() = farm("F-WAIT-2");
    request.set_wait(true);
    request.set_wait_timeout_ms(600'000);
    waited = cluster.ledger(leader)->Submit(&ctx, request, &waited_response);
    answered = true;
  });
  // Let the submission reach the strand before the node is told to stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(cluster.daemon(leader).stop(), 0) << cluster.daemon(leader).log();
  submitter.join();
  ASSERT_TRUE(answered);
  if (waited.ok()) {
    EXPECT_EQ(waited_response.state(), v1::PENDING);
  } else {
    EXPECT_EQ(waited.error_code(), grpc::StatusCode::UNAVAILABLE) << waited.error_message();
  }
}

// Check-quorum with real processes. A leader cut off from the others once went on taking
// submissions it could never commit (clients waited 30 s for PENDING, and the transactions were
// then on no node). Now it steps down within an election timeout and says why it cannot take
// them; once the others are back, the network leads and commits again.
TEST(ClusterTest, ALeaderCutOffFromTheMajorityStepsDownAndSaysSo) {
  Cluster cluster(3);
  const int leader = cluster.wait_for_leader(kLeaderTimeout);
  ASSERT_GE(leader, 0);
  // The others freeze: nothing they were sent is answered, as over a link that died.
  struct Frozen {
    std::vector<pid_t> pids;
    ~Frozen() {
      for (pid_t pid : pids) ::kill(pid, SIGCONT);
    }
  } frozen;
  for (int i = 0; i < cluster.size(); ++i) {
    if (i == leader) continue;
    frozen.pids.push_back(cluster.daemon(i).pid());
    ASSERT_EQ(::kill(frozen.pids.back(), SIGSTOP), 0);
  }
  const auto cut_at = std::chrono::steady_clock::now();
  std::optional<v1::NodeStatus> status;
  while (std::chrono::steady_clock::now() - cut_at < std::chrono::seconds(20)) {
    status = cluster.status(leader);
    if (status && status->role() != "LEADER") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(status);
  ASSERT_NE(status->role(), "LEADER") << "a leader without a majority kept leading";
  std::printf("the cut-off leader stepped down after %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - cut_at)
                                         .count()));

  const PrivateKey coop = load_key(cluster.key("coop-1"));
  const v1::SignedTransaction farm = sign_event(coop, cluster.chain_id(), R"({"registerFarm": {
      "farmId": "F-CUT", "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})");
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::SubmitRequest request;
    *request.mutable_transaction() = farm;
    v1::SubmitResponse response;
    const grpc::Status st = cluster.ledger(leader)->Submit(&ctx, request, &response);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
    EXPECT_NE(st.error_message().find("cut off from a majority"), std::string::npos)
        << st.error_message();
  }

  for (pid_t pid : std::exchange(frozen.pids, {})) ASSERT_EQ(::kill(pid, SIGCONT), 0);
  ASSERT_GE(cluster.wait_for_leader(kLeaderTimeout), 0);
  v1::SubmitResponse response;
  grpc::Status st;
  const auto give_up = std::chrono::steady_clock::now() + kConvergeTimeout;
  while (!(st = submit_and_wait(*cluster.ledger(leader), farm, &response)).ok() &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(response.state(), v1::COMMITTED);
}

}  // namespace coopchain::testing

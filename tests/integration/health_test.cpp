// The metrics and health endpoint answers over plain HTTP, and the node logs and stops cleanly.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "coopchain/api/health_http.h"
#include "harness.h"

namespace coopchain::testing {
namespace {

TEST(HealthTest, ServesMetricsHealthAndReadiness) {
  SingleNodeNetwork net;
  const uint16_t metrics_port = static_cast<uint16_t>(net.base_port() + 2);
  const std::string metrics = http_get(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("200 OK"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("coopchain_chain_height 0"), std::string::npos) << metrics;
  EXPECT_NE(http_get(metrics_port, "/healthz").find("200 OK"), std::string::npos);
  EXPECT_NE(http_get(metrics_port, "/readyz").find("200 OK"), std::string::npos);
  EXPECT_NE(http_get(metrics_port, "/nope").find("404"), std::string::npos);
}

bool client_port_answers(const std::string& address) {
  // A new channel: a new connection the node must accept.
  auto stub = v1::Node::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::NodeStatus status;
  return stub->GetStatus(&ctx, v1::GetStatusRequest(), &status).ok();
}

// Idle connections to the metrics port once used up the node's descriptors: gRPC failed to
// accept, and the metrics accept loop ended for good. Now the endpoint caps its connections and
// gives each a deadline, and its accept loop backs off and retries.
TEST(HealthTest, AFloodOfIdleMetricsConnectionsLeavesTheNodeServing) {
  constexpr int kFlood = 600;
  rlimit own{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &own), 0);
  if (own.rlim_max < kFlood + 100) GTEST_SKIP() << "needs " << kFlood + 100 << " descriptors";
  own.rlim_cur = own.rlim_max;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &own), 0);

  SingleNodeNetwork net;
  // The node as systemd's default would start it, scaled down: a flood larger than its limit.
  const rlimit node_limit{256, 256};
  ASSERT_EQ(::prlimit(net.daemon().pid(), RLIMIT_NOFILE, &node_limit, nullptr), 0);
  const uint16_t metrics_port = static_cast<uint16_t>(net.base_port() + 2);

  std::vector<int> flood;
  for (int i = 0; i < kFlood; ++i) {
    const int fd = connect_loopback(metrics_port);
    if (fd >= 0) flood.push_back(fd);
  }
  EXPECT_GT(flood.size(), 256u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(client_port_answers(net.address())) << "the client port is deaf during the flood";
  const size_t open_descriptors = static_cast<size_t>(std::distance(
      std::filesystem::directory_iterator("/proc/" + std::to_string(net.daemon().pid()) + "/fd"),
      std::filesystem::directory_iterator{}));
  EXPECT_LT(open_descriptors, 256u);
  for (int fd : flood) ::close(fd);

  EXPECT_TRUE(client_port_answers(net.address()));
  std::string health;
  for (int attempt = 0; attempt < 50 && health.find("200 OK") == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    health = http_get(metrics_port, "/healthz");
  }
  EXPECT_NE(health.find("200 OK"), std::string::npos) << health;
  EXPECT_EQ(net.daemon().stop(), 0) << net.daemon().log();
}

// Readiness and health from the node's published status, decision by decision.
TEST(HealthProbes, ReadinessNeedsALeaderAMajorityStorageAndACurrentChain) {
  NodeStatusView s;
  s.leader = "coop-1";
  s.majority_in_contact = true;
  s.leader_commit = 12;
  EXPECT_TRUE(api::readiness_of(s, 10, false).ok);
  EXPECT_EQ(api::readiness_of(s, 10, true).reason, "shutting down");
  EXPECT_FALSE(api::readiness_of(s, 6, false).ok);  // 6 blocks behind
  s.majority_in_contact = false;
  EXPECT_EQ(api::readiness_of(s, 12, false).reason, "not in contact with a majority of validators");
  s.majority_in_contact = true;
  s.leader.clear();
  EXPECT_EQ(api::readiness_of(s, 12, false).reason, "no leader known");
  s.leader = "coop-1";
  s.storage_ok = false;
  s.storage_error = "IO error: No space left on device";
  EXPECT_NE(api::readiness_of(s, 12, false).reason.find("No space left"), std::string::npos);

  const auto now = std::chrono::steady_clock::now();
  s.published_at = now - std::chrono::milliseconds(300);
  EXPECT_TRUE(api::health_of(s, now).ok);
  s.published_at = now - std::chrono::seconds(8);
  EXPECT_EQ(api::health_of(s, now).reason, "the event loop has not run for 8 s");
}

// /readyz once answered 200 on a node cut off from the majority.
TEST(HealthTest, ANodeCutOffFromTheMajorityIsNotReady) {
  Cluster cluster(3);
  for (int i = 0; i < 3; ++i) {
    std::string ready;
    for (int attempt = 0; attempt < 50 && ready.find("200 OK") == std::string::npos; ++attempt) {
      ready = http_get(cluster.metrics_port(i), "/readyz");
      if (ready.find("200 OK") == std::string::npos) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    EXPECT_NE(ready.find("200 OK"), std::string::npos) << "node " << i << ": " << ready;
  }
  cluster.daemon(1).kill9();
  cluster.daemon(2).kill9();
  std::string ready;
  for (int attempt = 0; attempt < 100 && ready.find("503") == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ready = http_get(cluster.metrics_port(0), "/readyz");
  }
  EXPECT_NE(ready.find("503"), std::string::npos) << ready;
  EXPECT_TRUE(ready.find("not in contact with a majority") != std::string::npos ||
              ready.find("no leader known") != std::string::npos)
      << ready;
  EXPECT_NE(http_get(cluster.metrics_port(0), "/healthz").find("200 OK"), std::string::npos);
}

TEST(HealthTest, StopsCleanlyOnSigterm) {
  SingleNodeNetwork net;
  EXPECT_EQ(net.daemon().stop(), 0);
  EXPECT_NE(net.daemon().log().find("stopped cleanly"), std::string::npos) << net.daemon().log();
}

}  // namespace
}  // namespace coopchain::testing

// The metrics and health endpoint answers over plain HTTP, and the node logs and stops cleanly.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "harness.h"

namespace coopchain::testing {
namespace {

std::string http_get(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  (void)::write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return response;
}

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

TEST(HealthTest, StopsCleanlyOnSigterm) {
  SingleNodeNetwork net;
  EXPECT_EQ(net.daemon().stop(), 0);
  EXPECT_NE(net.daemon().log().find("stopped cleanly"), std::string::npos) << net.daemon().log();
}

}  // namespace
}  // namespace coopchain::testing

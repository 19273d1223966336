// The client port over TLS: the CLI talks to it with COOPCHAIN_TLS_CA, and a plaintext client
// is refused.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.h"

namespace coopchain::testing {
namespace {

TEST(ClientTlsTest, TheCliTalksTlsToANodeServingIt) {
  TempDir dir;
  const uint16_t base = free_base_port();
  CommandResult init = run_command({cli_binary(), "devnet", "init", "--dir", dir.path().string(),
                                    "--nodes", "1", "--base-port", std::to_string(base)});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  // The devnet's node certificate (for 127.0.0.1 and localhost, signed by the devnet CA)
  // serves as the client port's certificate too.
  const auto node = dir.path() / "node1";
  const std::string ca = (dir.path() / "tls" / "ca.pem").string();
  {
    std::ofstream config(node / "config.yaml", std::ios::app);
    config << "client_tls_cert_file: " << (node / "tls.pem").string() << "\n"
           << "client_tls_key_file: " << (node / "tls.key").string() << "\n";
  }
  const std::string address = "127.0.0.1:" + std::to_string(base);
  DaemonProcess daemon((node / "config.yaml").string(), (node / "test-node.log").string(), address);
  daemon.set_client_ca(read_all(ca));
  ASSERT_TRUE(daemon.start()) << daemon.log();

  CommandResult plain = run_command({cli_binary(), "status", "--node", address});
  EXPECT_NE(plain.exit_code, 0) << plain.out;

  CommandResult tls = run_command(
      {"/usr/bin/env", "COOPCHAIN_TLS_CA=" + ca, cli_binary(), "status", "--node", address});
  EXPECT_EQ(tls.exit_code, 0) << tls.out << tls.err;
  EXPECT_NE(tls.out.find("role:"), std::string::npos) << tls.out;

  CommandResult missing = run_command({"/usr/bin/env", "COOPCHAIN_TLS_CA=/nonexistent/ca.pem",
                                       cli_binary(), "status", "--node", address});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("COOPCHAIN_TLS_CA"), std::string::npos) << missing.err;
  EXPECT_EQ(daemon.stop(), 0) << daemon.log();
}

}  // namespace
}  // namespace coopchain::testing

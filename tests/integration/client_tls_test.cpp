// The client port over TLS: the CLI talks to it with COOPCHAIN_TLS_CA, and a plaintext client
// is refused.
#include <gtest/gtest.h>

#include <fstream>

#include "coopchain/core/x509.h"
#include "harness.h"

namespace coopchain::testing {
namespace {

TEST(ClientTlsTest, TheCliTalksTlsToANodeServingIt) {
  TempDir dir;
  const uint16_t base = free_base_port();
  CommandResult init = run_command({cli_binary(), "devnet", "init", "--dir", dir.path().string(),
                                    "--nodes", "1", "--base-port", std::to_string(base)});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  // The client port's certificate (for 127.0.0.1 and localhost), from a CA of the operator's
  // that the clients trust.
  const auto node = dir.path() / "node1";
  auto client_ca = make_certificate_authority("cooperative client CA", 30);
  ASSERT_TRUE(client_ca.ok()) << client_ca.status().to_string();
  auto served = issue_node_certificate(*client_ca, "coop-1", 30);
  ASSERT_TRUE(served.ok()) << served.status().to_string();
  const std::string ca = (dir.path() / "client-ca.pem").string();
  std::ofstream(ca) << client_ca->certificate;
  std::ofstream(node / "client.pem") << served->certificate;
  std::ofstream(node / "client.key") << served->private_key;
  {
    std::ofstream config(node / "config.yaml", std::ios::app);
    config << "client_tls_cert_file: " << (node / "client.pem").string() << "\n"
           << "client_tls_key_file: " << (node / "client.key").string() << "\n";
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

#include "coopchain/core/x509.h"

#include <gtest/gtest.h>

namespace coopchain {
namespace {

TEST(X509, NodeCertificateChainsToItsNetworkCaAndNamesTheNode) {
  auto ca = make_certificate_authority("coopchain devnet CA", 365);
  ASSERT_TRUE(ca.ok()) << ca.status().to_string();
  auto node = issue_node_certificate(*ca, "coop-2", 365);
  ASSERT_TRUE(node.ok()) << node.status().to_string();
  EXPECT_TRUE(verify_certificate(ca->certificate, node->certificate).ok());
  EXPECT_EQ(certificate_common_name(node->certificate).value(), "coop-2");
  EXPECT_NE(node->private_key.find("PRIVATE KEY"), std::string::npos);
}

TEST(X509, CertificateFromAnotherCaDoesNotVerify) {
  auto ours = make_certificate_authority("ours", 365);
  auto theirs = make_certificate_authority("theirs", 365);
  auto intruder = issue_node_certificate(*theirs, "coop-1", 365);
  ASSERT_TRUE(intruder.ok());
  EXPECT_FALSE(verify_certificate(ours->certificate, intruder->certificate).ok());
  EXPECT_FALSE(verify_certificate(ours->certificate, "garbage").ok());
}

}  // namespace
}  // namespace coopchain

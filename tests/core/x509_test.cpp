#include "coopchain/core/x509.h"

#include <gtest/gtest.h>

#include <ctime>

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

// A node's self-signed certificate is its own trust anchor, and its pin names its key: another
// node's certificate, even for the same name, neither verifies against it nor has its pin.
TEST(X509, ASelfSignedNodeCertificateIsItsOwnRootAndKnownByItsPin) {
  auto node = make_self_signed_node_certificate("coop-4", 365);
  ASSERT_TRUE(node.ok()) << node.status().to_string();
  EXPECT_TRUE(verify_certificate(node->certificate, node->certificate).ok());
  EXPECT_EQ(certificate_common_name(node->certificate).value(), "coop-4");
  auto pin = certificate_public_key_pin(node->certificate);
  ASSERT_TRUE(pin.ok()) << pin.status().to_string();
  EXPECT_EQ(pin->size(), 32u);
  auto impostor = make_self_signed_node_certificate("coop-4", 365);
  ASSERT_TRUE(impostor.ok());
  EXPECT_FALSE(verify_certificate(node->certificate, impostor->certificate).ok());
  EXPECT_NE(certificate_public_key_pin(impostor->certificate).value(), *pin);
  EXPECT_FALSE(certificate_public_key_pin("garbage").ok());
}

}  // namespace
// A node tells an operator that its clock is behind from its own certificate's start.
TEST(X509, ValidityIsReadInSecondsSince1970) {
  auto ca = make_certificate_authority("net", 10);
  ASSERT_TRUE(ca.ok());
  auto node = issue_node_certificate(*ca, "coop-1", 10);
  ASSERT_TRUE(node.ok());
  auto validity = certificate_validity(node->certificate);
  ASSERT_TRUE(validity.ok()) << validity.status().to_string();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  EXPECT_NEAR(static_cast<double>(validity->not_before), static_cast<double>(now - 60), 5);
  EXPECT_NEAR(static_cast<double>(validity->not_after), static_cast<double>(now + 10 * 86400), 5);
  EXPECT_FALSE(certificate_validity("not a certificate").ok());
}

}  // namespace coopchain

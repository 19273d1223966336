// Governance through the real CLI against a real coopchaind: the dev network's one cooperative
// admits two more (keys made with `coopchain keygen`, only the public parts sent), after which a
// proposal needs two of three; an exporter joins and is suspended; a stolen key is revoked with
// the organization's recovery; forged and out-of-turn approvals are refused with their codes and
// change nothing; the audit passes on the chain that results.
#include <fstream>

#include "cli_checks.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

class GovernanceTest : public ::testing::Test {
 protected:
  // A new key in DIR/keys/<name>.pem (so net_.submit(json, name) signs with it); its public key.
  std::string keygen(const std::string& name) {
    CommandResult r =
        run_command({cli_binary(), "keygen", "--out", net_.key(name), "--output", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return public_key_printed(r);
  }

  std::string changes_file(const std::string& json) {
    const std::string path =
        (net_.dir() / ("changes-" + std::to_string(files_++) + ".json")).string();
    std::ofstream(path) << json;
    return path;
  }

  CommandResult gov(std::vector<std::string> args, const std::string& org) {
    args.insert(args.begin(), "gov");
    args.push_back("--key");
    args.push_back(net_.key(org));
    args.push_back("--wait");
    return net_.cli(args);
  }

  v1::Proposal proposal(const std::string& id) {
    return parsed_output<v1::Proposal>(net_.cli({"gov", "show", id, "--output", "json"}));
  }

  SingleNodeNetwork net_;
  int files_ = 0;
};

TEST_F(GovernanceTest, CooperativesAdmitSuspendAndRecoverByMajority) {
  // coop-1 governs alone: its proposal passes at once. coop-2 and coop-3 made their keys.
  const std::string coop2 = keygen("coop-2"), coop3 = keygen("coop-3");
  CommandResult r = gov({"propose",
                         changes_file(R"([
      {"addOrganization": {"orgId": "coop-2", "name": "Cooperativa Agraria Valle Alto",
                           "kind": "COOPERATIVE", "publicKeys": [")" +
                                      coop2 + R"("]}},
      {"addOrganization": {"orgId": "coop-3", "name": "Cooperativa Cafetalera Sol",
                           "kind": "COOPERATIVE", "publicKeys": [")" +
                                      coop3 + R"("]}}])"),
                         "--id", "GOV-1", "--reason", "founding assembly"},
                        "coop-1");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(proposal("GOV-1").status(), "PASSED");
  auto members = parsed_output<v1::Members>(net_.cli({"members", "--output", "json"}));
  EXPECT_EQ(members.governors_size(), 3);
  EXPECT_EQ(members.approvals_needed(), 2u);

  // Now two of three: an exporter proposed by coop-2 waits for a second approval.
  const std::string exp2 = keygen("exp-2");
  r = gov({"propose",
           changes_file(R"({"addOrganization": {"orgId": "exp-2", "name": "Andes Export SAC",
                            "kind": "EXPORTER", "publicKeys": [")" +
                        exp2 + R"("]}})"),
           "--id", "GOV-2"},
          "coop-2");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  v1::Proposal pending = proposal("GOV-2");
  EXPECT_EQ(pending.status(), "PENDING");
  EXPECT_EQ(pending.approvals_counted(), 1u);
  EXPECT_EQ(pending.missing_size(), 2);
  const std::string add_key = R"({"addKey": {"publicKey": ")" + keygen("exp-2b") + R"("}})";
  expect_refused(net_, add_key, "exp-2", "UNKNOWN_SIGNER");
  // Neither the proposer again, nor an organization that does not govern, nor a stranger.
  for (const auto& [org, code] : std::vector<std::pair<std::string, std::string>>{
           {"coop-2", "DUPLICATE_APPROVAL"}, {"mill-1", "NOT_A_GOVERNOR"}}) {
    expect_refused(net_, R"({"approveChange": {"proposalId": "GOV-2"}})", org, code);
  }
  keygen("stranger");
  expect_refused(net_, R"({"approveChange": {"proposalId": "GOV-2"}})", "stranger",
                 "UNKNOWN_SIGNER");
  // coop-3's own key, but signed for another network: refused before any rule looks at it.
  {
    const std::string before = net_.head();
    v1::SubmitResponse response;
    grpc::Status st = submit_and_wait(*net_.ledger(),
                                      sign_event(load_key(net_.key("coop-3")), "another-network",
                                                 R"({"approveChange": {"proposalId": "GOV-2"}})"),
                                      &response);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.error_message().find("WRONG_CHAIN"), std::string::npos) << st.error_message();
    EXPECT_EQ(net_.head(), before);
  }
  r = gov({"approve", "GOV-2"}, "coop-3");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(proposal("GOV-2").status(), "PASSED");
  CommandResult joined = net_.submit(add_key, "exp-2");
  EXPECT_EQ(joined.exit_code, 0) << joined.err;

  // coop-3's laptop is stolen: the others revoke its keys and register the one it made anew.
  const std::string coop3_new = keygen("coop-3-new");
  r = gov({"propose",
           changes_file(R"([{"revokeOrganizationKey": {"orgId": "coop-3"}},
               {"addOrganizationKey": {"orgId": "coop-3", "publicKey": ")" +
                        coop3_new + R"("}}])"),
           "--id", "RECOVER-coop-3", "--reason", "laptop stolen"},
          "coop-1");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_EQ(gov({"approve", "RECOVER-coop-3"}, "coop-2").exit_code, 0);
  expect_refused(net_, R"({"approveChange": {"proposalId": "GOV-9"}})", "coop-3", "KEY_REVOKED");
  EXPECT_EQ(gov({"propose", changes_file(R"({"setOrganizationStatus": {"orgId": "exp-2",
                                             "status": "ORG_SUSPENDED"}})"),
                 "--id", "GOV-3"},
                "coop-3-new")
                .exit_code,
            0);
  ASSERT_EQ(gov({"approve", "GOV-3"}, "coop-1").exit_code, 0);
  expect_refused(net_, R"({"addKey": {"publicKey": ")" + keygen("exp-2c") + R"("}})", "exp-2",
                 "ORGANIZATION_SUSPENDED");

  // A withdrawn proposal takes no approval.
  ASSERT_EQ(gov({"propose", changes_file(R"({"setAccreditation": {"orgId": "cert-1",
                                            "scheme": "FOUR_C", "accredited": false}})"),
                 "--id", "GOV-4"},
                "coop-2")
                .exit_code,
            0);
  ASSERT_EQ(gov({"withdraw", "GOV-4", "--reason", "cert-1 renewed its 4C accreditation"}, "coop-2")
                .exit_code,
            0);
  expect_refused(net_, R"({"approveChange": {"proposalId": "GOV-4"}})", "coop-1",
                 "PROPOSAL_CLOSED");

  CommandResult text = net_.cli({"members"});
  EXPECT_NE(text.out.find("exp-2  EXPORTER  SUSPENDED"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("revoked at height"), std::string::npos) << text.out;
  CommandResult list = net_.cli({"gov", "list"});
  EXPECT_NE(list.out.find("GOV-4  WITHDRAWN"), std::string::npos) << list.out;
  CommandResult show = net_.cli({"gov", "show", "RECOVER-coop-3"});
  EXPECT_NE(show.out.find("1. revoke every key of coop-3"), std::string::npos) << show.out;
  CommandResult audit = net_.cli({"audit", "--genesis", (net_.dir() / "genesis.json").string()});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  // The audit's report lists every change to the network since its genesis.
  EXPECT_NE(audit.out.find("RECOVER-coop-3  PASSED at height"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("    add EXPORTER exp-2 (Andes Export SAC), 1 key(s)"),
            std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("GOV-4  WITHDRAWN"), std::string::npos) << audit.out;
}

TEST_F(GovernanceTest, AnUnknownProposalIsNotFound) {
  CommandResult r = net_.cli({"gov", "show", "GOV-404"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("UNKNOWN_PROPOSAL"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace coopchain::testing

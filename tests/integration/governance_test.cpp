// Governance through the real CLI against a real coopchaind: the dev network's one cooperative
// admits two more (keys made with `coopchain keygen`, only the public parts sent), after which a
// proposal needs two of three; an exporter joins and is suspended; a stolen key is revoked with
// the organization's recovery; forged and out-of-turn approvals are refused with their codes and
// change nothing; the audit passes on the chain that results.
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

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

// docs/governance.md, "Founding a network": each member makes its keys and card on its own
// machine (no private key in a card), the cards make the genesis, whose hash `genesis show`
// repeats, and the founding cooperative's node runs from what `node init` wrote: its config,
// its vote key, the assembled genesis. A card with a bad key founds nothing.
TEST(Founding, ANetworkIsFoundedFromMemberCardsAndItsNodeRuns) {
  TempDir dir;
  const auto at = [&](const std::string& p) { return (dir.path() / p).string(); };
  const uint16_t port = free_base_port();
  auto cli = [](std::vector<std::string> words) {
    words.insert(words.begin(), cli_binary());
    return run_command(words);
  };
  CommandResult coop =
      cli({"node", "init", "--dir", at("coop-a"), "--org", "coop-a", "--name", "Cooperativa A",
           "--peer-address", "127.0.0.1:" + std::to_string(port + 1), "--client-address",
           "127.0.0.1:" + std::to_string(port), "--metrics-address",
           "127.0.0.1:" + std::to_string(port + 2)});
  ASSERT_EQ(coop.exit_code, 0) << coop.out << coop.err;
  CommandResult exporter = cli({"node", "init", "--dir", at("exp-x"), "--org", "exp-x", "--name",
                                "Exporter X", "--kind", "EXPORTER", "--output", "json"});
  ASSERT_EQ(exporter.exit_code, 0) << exporter.err;
  const std::string card = read_all(at("coop-a/member-card.json"));
  EXPECT_EQ(card.find("PRIVATE"), std::string::npos) << card;
  EXPECT_NE(card.find("\"tlsPin\""), std::string::npos) << card;
  EXPECT_EQ(exporter.out.find("\"node\""), std::string::npos) << "an exporter runs no node";
  CommandResult no_node = cli({"gov", "rotate", at("exp-x/member-card.json")});
  EXPECT_EQ(no_node.exit_code, 1);
  EXPECT_NE(no_node.err.find("the card has no node"), std::string::npos) << no_node.err;

  std::ofstream(at("params.json")) << R"({"receptionToleranceBp": 80})";
  CommandResult assembled =
      cli({"genesis", "assemble", at("coop-a/member-card.json"), at("exp-x/member-card.json"),
           "--chain-id", "andes-1", "--params", at("params.json"), "--out",
           at("coop-a/genesis.json"), "--output", "json"});
  ASSERT_EQ(assembled.exit_code, 0) << assembled.err;
  CommandResult hash = cli({"genesis", "show", "--hash", at("coop-a/genesis.json")});
  ASSERT_EQ(hash.exit_code, 0) << hash.err;
  EXPECT_NE(assembled.out.find(hash.out.substr(0, 64)), std::string::npos)
      << assembled.out << hash.out;
  CommandResult again = cli({"genesis", "assemble", at("coop-a/member-card.json"), "--chain-id",
                             "andes-1", "--out", at("coop-a/genesis.json")});
  EXPECT_EQ(again.exit_code, 1) << "an existing genesis is never overwritten";

  std::string forged = card;
  forged.replace(forged.find("\"tlsPin\": \"") + 11, 4, "zzzz");
  std::ofstream(at("forged.json")) << forged;
  CommandResult bad = cli({"genesis", "assemble", at("forged.json"), "--chain-id", "andes-1",
                           "--out", at("bad-genesis.json")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("tlsPin"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(at("bad-genesis.json")));

  // node configure puts a genesis beside the config, never over another network's.
  CommandResult other_network = cli({"genesis", "assemble", at("coop-a/member-card.json"),
                                     "--chain-id", "other-1", "--out", at("other.json")});
  ASSERT_EQ(other_network.exit_code, 0) << other_network.err;
  const std::string config_before = read_all(at("coop-a/node.yaml"));
  CommandResult moved = cli({"node", "configure", "--dir", at("coop-a"), "--genesis",
                             at("other.json"), at("coop-a/member-card.json")});
  EXPECT_EQ(moved.exit_code, 1);
  EXPECT_NE(moved.err.find("holds another genesis"), std::string::npos) << moved.err;
  EXPECT_EQ(read_all(at("coop-a/node.yaml")), config_before);
  std::filesystem::create_directories(at("mangled"));
  std::ofstream(at("mangled/node.yaml")) << "node_id: {not: a name}\n";
  CommandResult mangled = cli({"node", "configure", "--dir", at("mangled"), "--genesis",
                               at("coop-a/genesis.json"), at("coop-a/member-card.json")});
  EXPECT_EQ(mangled.exit_code, 1);
  EXPECT_NE(mangled.err.find("mangled/node.yaml"), std::string::npos) << mangled.err;
  EXPECT_FALSE(std::filesystem::exists(at("mangled/genesis.json")));
  CommandResult configured =
      cli({"node", "configure", "--dir", at("coop-a"), "--genesis", at("coop-a/genesis.json"),
           at("coop-a/member-card.json"), at("exp-x/member-card.json")});
  ASSERT_EQ(configured.exit_code, 0) << configured.err;
  EXPECT_NE(configured.out.find("yes, a validator"), std::string::npos) << configured.out;

  // The node runs from node init's config, on the test's free ports.
  const std::string address = "127.0.0.1:" + std::to_string(port);
  DaemonProcess node(at("coop-a/node.yaml"), at("coop-a/node.log"), address);
  ASSERT_TRUE(node.start()) << read_all(at("coop-a/node.log"));
  std::ofstream(at("farm.json"))
      << R"({"registerFarm": {"farmId": "F-1", "country": "PE", "plots": [{"plotId": "P-1",
           "areaM2": 10000, "crop": "COFFEE", "geometry": {"type": "Point",
           "coordinates": [-76.52, -6.48]}}]}})";
  CommandResult farm = cli({"submit", at("farm.json"), "--key", at("coop-a/keys/coop-a.pem"),
                            "--wait", "--node", address});
  EXPECT_EQ(farm.exit_code, 0) << farm.out << farm.err;
  CommandResult members = cli({"members", "--node", address});
  EXPECT_NE(members.out.find("exp-x  EXPORTER  ACTIVE"), std::string::npos) << members.out;
  EXPECT_NE(members.out.find("\"receptionToleranceBp\": 80"), std::string::npos) << members.out;
  EXPECT_EQ(node.stop(), 0);
}

// The issue's founding story on real processes: three cooperatives each make their keys and
// card on their own machine, the cards make the genesis, and the three nodes, started from what
// node init wrote, elect a leader and commit over mutual TLS in which each knows the others
// only by the pins the genesis records. A node whose certificate is not its pinned one refuses
// to start and says why.
TEST(Founding, ThreeCooperativesFoundANetworkWhosePeersKnowEachOtherByTheirPins) {
  TempDir dir;
  const auto at = [&](const std::string& p) { return (dir.path() / p).string(); };
  const uint16_t base = free_base_port(3);
  const auto port = [&](int i, int which) { return std::to_string(base + 10 * i + which); };
  auto cli = [](std::vector<std::string> words) {
    words.insert(words.begin(), cli_binary());
    return run_command(words);
  };
  const std::vector<std::string> coops = {"coop-a", "coop-b", "coop-c"};
  std::vector<std::string> cards;
  for (int i = 0; i < 3; ++i) {
    CommandResult r = cli({"node", "init", "--dir", at(coops[i]), "--org", coops[i], "--name",
                           "Cooperative " + coops[i], "--peer-address", "127.0.0.1:" + port(i, 1),
                           "--client-address", "127.0.0.1:" + port(i, 0), "--metrics-address",
                           "127.0.0.1:" + port(i, 2)});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    cards.push_back(at(coops[i] + "/member-card.json"));
  }
  std::vector<std::string> assemble = {"genesis", "assemble"};
  assemble.insert(assemble.end(), cards.begin(), cards.end());
  for (const std::string& w : {std::string("--chain-id"), std::string("andes-3"),
                               std::string("--out"), at("genesis.json")}) {
    assemble.push_back(w);
  }
  CommandResult assembled = cli(assemble);
  ASSERT_EQ(assembled.exit_code, 0) << assembled.err;
  std::vector<std::unique_ptr<DaemonProcess>> nodes;
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> configure = {"node",       "configure", "--dir",
                                          at(coops[i]), "--genesis", at("genesis.json")};
    configure.insert(configure.end(), cards.begin(), cards.end());
    CommandResult configured = cli(configure);
    ASSERT_EQ(configured.exit_code, 0) << configured.out << configured.err;
    EXPECT_NE(configured.out.find("yes, a validator"), std::string::npos) << configured.out;
    nodes.push_back(std::make_unique<DaemonProcess>(
        at(coops[i] + "/node.yaml"), at(coops[i] + "/node.log"), "127.0.0.1:" + port(i, 0)));
  }
  for (auto& n : nodes) ASSERT_TRUE(n->start(std::chrono::seconds(30), false)) << n->log();
  std::ofstream(at("farm.json"))
      << R"({"registerFarm": {"farmId": "F-1", "country": "PE", "plots": [{"plotId": "P-1",
           "areaM2": 10000, "crop": "COFFEE", "geometry": {"type": "Point",
           "coordinates": [-76.52, -6.48]}}]}})";
  // Any node takes a submission and forwards it to the leader once one is elected.
  CommandResult farm;
  for (int attempt = 0; attempt < 30; ++attempt) {
    farm = cli({"submit", at("farm.json"), "--key", at("coop-b/keys/coop-b.pem"), "--wait",
                "--node", "127.0.0.1:" + port(1, 0)});
    if (farm.exit_code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(farm.exit_code, 0) << farm.out << farm.err << nodes[1]->log();
  for (int i = 0; i < 3; ++i) {
    CommandResult shown = cli({"farm", "show", "F-1", "--node", "127.0.0.1:" + port(i, 0)});
    for (int attempt = 0; attempt < 20 && shown.exit_code != 0; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      shown = cli({"farm", "show", "F-1", "--node", "127.0.0.1:" + port(i, 0)});
    }
    EXPECT_EQ(shown.exit_code, 0) << coops[i] << ": " << shown.err;
  }
  // coop-c's server replaced without a new pin on the chain: the node warns, and its peers
  // refuse it.
  nodes[2]->stop();
  std::filesystem::remove(at("coop-c/node/tls.crt"));
  std::filesystem::remove(at("coop-c/node/tls.key"));
  CommandResult other = cli({"node", "init", "--dir", at("coop-c-new"), "--org", "coop-c", "--name",
                             "Cooperative coop-c", "--peer-address", "127.0.0.1:" + port(2, 1)});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::filesystem::copy_file(at("coop-c-new/node/tls.crt"), at("coop-c/node/tls.crt"));
  std::filesystem::copy_file(at("coop-c-new/node/tls.key"), at("coop-c/node/tls.key"));
  ASSERT_TRUE(nodes[2]->start(std::chrono::seconds(10), false)) << nodes[2]->log();
  EXPECT_NE(nodes[2]->log().find("not the one the chain at height"), std::string::npos)
      << nodes[2]->log();
  // Its peers refuse it at the handshake: it hears nothing, and none of them counts it.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CommandResult refused = cli({"status", "--node", "127.0.0.1:" + port(2, 0)});
  EXPECT_NE(refused.out.find("UNHEALTHY"), std::string::npos) << refused.out;
  EXPECT_EQ(refused.out.find(" healthy"), std::string::npos) << refused.out;
  nodes[2]->stop();

  // coop-c's node stays down. A learner that coop-a will run is admitted (it changes no
  // validator); promoting it now would make four validators of which two answer, and the CLI
  // refuses to sign that; removing the dead coop-c leaves two of two, and the chain goes on.
  const std::string card = read_all(at("coop-c-new/member-card.json"));
  const auto field = [&](const std::string& name) {
    std::smatch m;
    std::regex_search(card, m, std::regex("\"" + name + "\":\\s*\"([0-9a-f]{64})\""));
    return m[1].str();
  };
  ASSERT_FALSE(field("publicKey").empty() || field("tlsPin").empty()) << card;
  std::ofstream(at("learner.json")) << R"({"addNode": {"nodeId": "coop-a-2", "orgId": "coop-a",
      "role": "LEARNER", "voteKey": ")" + field("publicKey") +
                                           R"(", "tlsPin": ")" + field("tlsPin") +
                                           R"(", "peerAddress": "127.0.0.1:1"}})";
  std::ofstream(at("promote.json")) << R"({"promoteNode": {"nodeId": "coop-a-2"}})";
  std::ofstream(at("remove.json")) << R"({"removeNode": {"nodeId": "coop-c"}})";
  const auto gov = [&](std::vector<std::string> words, const std::string& coop, int node) {
    words.insert(words.begin(), "gov");
    for (const std::string& w :
         {std::string("--key"), at(coop + "/keys/" + coop + ".pem"), std::string("--wait"),
          std::string("--node"), "127.0.0.1:" + port(node, 0)}) {
      words.push_back(w);
    }
    return cli(words);
  };
  CommandResult r = gov({"propose", at("learner.json"), "--id", "N-1"}, "coop-a", 0);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = gov({"approve", "N-1"}, "coop-b", 1);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = gov({"propose", at("promote.json"), "--id", "N-2"}, "coop-a", 0);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("refused before signing"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("a majority is 3"), std::string::npos) << r.err;
  r = gov({"propose", at("remove.json"), "--id", "N-3"}, "coop-a", 0);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = gov({"approve", "N-3"}, "coop-b", 1);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ofstream(at("farm2.json")) << std::regex_replace(read_all(at("farm.json")),
                                                        std::regex("F-1"), "F-2");
  CommandResult after = cli({"submit", at("farm2.json"), "--key", at("coop-a/keys/coop-a.pem"),
                             "--wait", "--node", "127.0.0.1:" + port(0, 0)});
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  // With two validators left, a new vote key for coop-a would leave one that counts until its
  // node restarts with the key: refused before signing as well.
  std::ofstream(at("rekey.json")) << R"({"rotateNode": {"nodeId": "coop-a", "voteKey": ")" +
                                         std::string(64, '1') + R"("}})";
  r = gov({"propose", at("rekey.json"), "--id", "N-4"}, "coop-a", 0);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("only coop-b answer"), std::string::npos) << r.out << r.err;
  CommandResult members = cli({"members", "--node", "127.0.0.1:" + port(1, 0)});
  EXPECT_NE(members.out.find("coop-a-2  LEARNER  of coop-a"), std::string::npos) << members.out;
  EXPECT_EQ(members.out.find("  coop-c  VALIDATOR"), std::string::npos) << members.out;
  for (int i = 0; i < 2; ++i) EXPECT_EQ(nodes[i]->stop(), 0);
}

}  // namespace
}  // namespace coopchain::testing

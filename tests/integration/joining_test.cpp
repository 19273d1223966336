// A network outlives its genesis: a fourth cooperative joins the network three founded. Its node
// starts from the genesis, where it is not a node; the founders admit its organization and its
// node as a learner (two of three), the node links up and catches up without voting; promoted,
// it votes, and with a founder down the chain commits only because it does.
#include <fstream>
#include <regex>
#include <thread>

#include "cli_checks.h"
#include "founded_network.h"

namespace coopchain::testing {
namespace {

const char* kFarm = R"({"registerFarm": {"farmId": "FARM", "country": "PE", "plots": [{"plotId":
    "FARM-P", "areaM2": 10000, "crop": "COFFEE", "geometry": {"type": "Point",
    "coordinates": [-76.52, -6.48]}}]}})";

std::string farm_file(const FoundedNetwork& net, const std::string& farm_id) {
  const std::string path = net.path(farm_id + ".json");
  std::ofstream(path) << std::regex_replace(kFarm, std::regex("FARM"), farm_id);
  return path;
}

v1::NodeStatus status(const FoundedNetwork& net, const std::string& coop) {
  return parsed_output<v1::NodeStatus>(
      net.cli({"status", "--output", "json", "--node", net.client(coop)}));
}

TEST(Joining, AFourthCooperativeJoinsAsALearnerCatchesUpAndVotesOncePromoted) {
  FoundedNetwork net({"coop-a", "coop-b", "coop-c"}, 4);
  ASSERT_TRUE(net.setup_error().empty()) << net.setup_error();
  for (const char* coop : {"coop-a", "coop-b", "coop-c"}) {
    ASSERT_TRUE(net.start(coop)) << net.node(coop).log();
  }
  CommandResult r = net.submit(farm_file(net, "F-1"), "coop-b", "coop-b");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // coop-d's machine: its keys and card, its node started from the genesis.
  r = net.init_newcomer("coop-d");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(net.start("coop-d")) << net.node("coop-d").log();
  EXPECT_EQ(status(net, "coop-d").membership(), v1::NODE_ROLE_UNSPECIFIED);
  EXPECT_NE(net.node("coop-d").log().find("not a node of the chain at height 0"), std::string::npos)
      << net.node("coop-d").log();

  // The founders admit it from its card: its organization, and its node as a learner.
  r = net.cli({"gov", "admit", net.path("coop-d/member-card.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(net.path("admit.json")) << r.out;
  r = net.gov({"propose", net.path("admit.json"), "--id", "J-1"}, "coop-a", "coop-a");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = net.gov({"approve", "J-1"}, "coop-b", "coop-b");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // The leader links to the learner at the address its card gave and sends it the chain.
  const uint64_t height = status(net, "coop-a").height();
  v1::NodeStatus d;
  for (int attempt = 0; attempt < 60; ++attempt) {
    d = status(net, "coop-d");
    if (d.height() >= height && d.membership() == v1::LEARNER) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_GE(d.height(), height) << net.node("coop-d").log();
  EXPECT_EQ(d.membership(), v1::LEARNER);
  EXPECT_EQ(net.cli({"farm", "show", "F-1", "--node", net.client("coop-d")}).exit_code, 0);

  std::ofstream(net.path("promote.json")) << R"({"promoteNode": {"nodeId": "coop-d"}})";
  r = net.gov({"propose", net.path("promote.json"), "--id", "J-2"}, "coop-a", "coop-a");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = net.gov({"approve", "J-2"}, "coop-b", "coop-b");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // coop-d governs now too: four cooperatives, three approvals.
  r = net.gov({"approve", "J-2"}, "coop-c", "coop-c");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(status(net, "coop-a").validators(), 4u)
      << r.out << net.cli({"gov", "show", "J-2", "--node", net.client("coop-a")}).out;

  // Four validators, a majority of three: with coop-c down, nothing commits without coop-d.
  ASSERT_EQ(net.node("coop-c").stop(), 0);
  r = net.submit(farm_file(net, "F-2"), "coop-a", "coop-a");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << net.node("coop-d").log();
  CommandResult shown = net.cli({"farm", "show", "F-2", "--node", net.client("coop-d")});
  for (int attempt = 0; attempt < 20 && shown.exit_code != 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    shown = net.cli({"farm", "show", "F-2", "--node", net.client("coop-d")});
  }
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  const v1::NodeStatus a = status(net, "coop-a");
  bool d_votes = false;
  for (const auto& p : a.peers())
    d_votes = d_votes || (p.id() == "coop-d" && p.membership() == v1::VALIDATOR);
  EXPECT_TRUE(d_votes) << a.DebugString();
  for (const char* coop : {"coop-a", "coop-b", "coop-d"}) EXPECT_EQ(net.node(coop).stop(), 0);
}

}  // namespace
}  // namespace coopchain::testing

// A network outlives its genesis: a fourth cooperative joins the network three founded. Its node
// starts from the genesis, where it is not a node; the founders admit its organization and its
// node as a learner (two of three), the node links up and catches up without voting; promoted,
// it votes, and with a founder down the chain commits only because it does; the dead founder is
// removed while down. An exporter's observer node follows and answers queries, never counted in
// a majority; the exporter submits, is suspended and refused; a stolen key is revoked and
// refused. A client commits throughout: the longest wait between two commits and the leader
// elections are measured for each change, and the audit replays them all.
#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <thread>
#include <tuple>

#include "cli_checks.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"
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

using Clock = std::chrono::steady_clock;

// Registers new farms signed by one cooperative, one after the other (each waiting for its
// commit), through a node that can be changed, until stopped; remembers when each committed.
class Committer {
 public:
  Committer(const FoundedNetwork& net, std::string coop) : net_(net), coop_(coop), via_(coop) {
    thread_ = std::thread([this] { run(); });
  }
  void submit_via(const std::string& coop) {
    std::lock_guard lock(mu_);
    via_ = coop;
  }
  ~Committer() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // The longest time without a commit within [from, to].
  std::chrono::milliseconds longest_gap(Clock::time_point from, Clock::time_point to) const {
    std::lock_guard lock(mu_);
    Clock::time_point last = from;
    Clock::duration longest{};
    for (const auto t : commits_) {
      if (t <= from || t > to) continue;
      longest = std::max(longest, t - last);
      last = t;
    }
    longest = std::max(longest, to - last);
    return std::chrono::duration_cast<std::chrono::milliseconds>(longest);
  }
  size_t commits() const {
    std::lock_guard lock(mu_);
    return commits_.size();
  }

 private:
  void run() {
    for (int i = 0; !stop_; ++i) {
      const std::string farm = farm_file(net_, "G-" + std::to_string(i));
      std::string via;
      {
        std::lock_guard lock(mu_);
        via = via_;
      }
      CommandResult r = net_.cli(
          {"submit", farm, "--key", net_.key(coop_), "--wait", "--node", net_.client(via)});
      if (r.exit_code == 0) {
        std::lock_guard lock(mu_);
        commits_.push_back(Clock::now());
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }

  const FoundedNetwork& net_;
  const std::string coop_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::string via_;
  std::vector<Clock::time_point> commits_;
  std::thread thread_;
};

// One change as a client sees it: how long it waited at most for a commit, and how many terms
// (leader elections) the change cost.
struct ChangeCost {
  std::string change;
  std::chrono::milliseconds longest_gap{};
  uint64_t elections = 0;
};

TEST(Joining, AFourthCooperativeJoinsAsALearnerCatchesUpAndVotesOncePromoted) {
  FoundedNetwork net({"coop-a", "coop-b", "coop-c"}, 5);
  ASSERT_TRUE(net.setup_error().empty()) << net.setup_error();
  for (const char* coop : {"coop-a", "coop-b", "coop-c"}) {
    ASSERT_TRUE(net.start(coop)) << net.node(coop).log();
  }
  CommandResult r = net.submit(farm_file(net, "F-1"), "coop-b", "coop-b");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Committer client(net, "coop-a");
  std::vector<ChangeCost> costs;
  Clock::time_point since;
  uint64_t term = 0;
  std::string watcher = "coop-a";  // a node up throughout, whose term counts the elections
  const auto begin_change = [&] {
    since = Clock::now();
    term = status(net, watcher).term();
  };
  const auto end_change = [&](const std::string& change) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // commits resume, or do not
    costs.push_back(
        {change, client.longest_gap(since, Clock::now()), status(net, watcher).term() - term});
  };

  // coop-d's machine: its keys and card, its node started from the genesis.
  r = net.init_newcomer("coop-d");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(net.start("coop-d")) << net.node("coop-d").log();
  EXPECT_EQ(status(net, "coop-d").membership(), v1::NODE_ROLE_UNSPECIFIED);
  EXPECT_NE(net.node("coop-d").log().find("not a node of the chain at height 0"), std::string::npos)
      << net.node("coop-d").log();

  // An exporter's machine: its own copy of the chain, as an observer.
  r = net.init_newcomer("exp-x", "EXPORTER");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(net.start("exp-x")) << net.node("exp-x").log();

  // The founders admit both from their cards: the organizations, coop-d's node as a learner
  // and the exporter's as an observer. The exporter's passes first (two of three founders).
  for (const auto& [card, role, id] :
       {std::tuple{"exp-x", "OBSERVER", "J-0"}, std::tuple{"coop-d", "LEARNER", "J-1"}}) {
    r = net.cli(
        {"gov", "admit", net.path(std::string(card) + "/member-card.json"), "--role", role});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string changes = net.path(std::string("admit-") + card + ".json");
    std::ofstream(changes) << r.out;
    if (std::string(id) == "J-1") begin_change();
    r = net.gov({"propose", changes, "--id", id}, "coop-a", "coop-a");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    r = net.gov({"approve", id}, "coop-b", "coop-b");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  end_change("learner admitted");

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
  v1::NodeStatus x = status(net, "exp-x");
  for (int attempt = 0; attempt < 40 && x.height() < height; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    x = status(net, "exp-x");
  }
  EXPECT_GE(x.height(), height) << net.node("exp-x").log();
  EXPECT_EQ(x.membership(), v1::OBSERVER);

  std::ofstream(net.path("promote.json")) << R"({"promoteNode": {"nodeId": "coop-d"}})";
  begin_change();
  r = net.gov({"propose", net.path("promote.json"), "--id", "J-2"}, "coop-a", "coop-a");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = net.gov({"approve", "J-2"}, "coop-b", "coop-b");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // coop-d governs now too: four cooperatives, three approvals.
  r = net.gov({"approve", "J-2"}, "coop-c", "coop-c");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  end_change("learner promoted");
  EXPECT_EQ(status(net, "coop-a").validators(), 4u)
      << r.out << net.cli({"gov", "show", "J-2", "--node", net.client("coop-a")}).out;

  // Four validators, a majority of three. The leader is killed (coop-c, if coop-d leads): the
  // three left elect one, and nothing commits without coop-d's vote.
  client.submit_via("coop-d");
  watcher = "coop-d";
  std::string victim = status(net, "coop-d").leader();
  if (victim == "coop-d" || victim.empty()) victim = "coop-c";
  std::vector<std::string> survivors;
  for (const char* coop : {"coop-a", "coop-b", "coop-c"}) {
    if (coop != victim) survivors.push_back(coop);
  }
  begin_change();
  net.node(victim).kill9();
  r = net.submit(farm_file(net, "F-2"), survivors[0], survivors[0]);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << net.node("coop-d").log();
  CommandResult shown = net.cli({"farm", "show", "F-2", "--node", net.client("coop-d")});
  for (int attempt = 0; attempt < 20 && shown.exit_code != 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    shown = net.cli({"farm", "show", "F-2", "--node", net.client("coop-d")});
  }
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  end_change("leader " + victim + " killed");
  const v1::NodeStatus after_kill = status(net, survivors[0]);
  bool d_votes = false;
  for (const auto& p : after_kill.peers()) {
    d_votes = d_votes || (p.id() == "coop-d" && p.membership() == v1::VALIDATOR);
  }
  EXPECT_TRUE(d_votes) << after_kill.DebugString();

  // The dead founder is removed while down: three validators again, and three of the four
  // cooperatives agree.
  std::ofstream(net.path("remove.json")) << R"({"removeNode": {"nodeId": ")" + victim + R"("}})";
  begin_change();
  r = net.gov({"propose", net.path("remove.json"), "--id", "J-3"}, survivors[0], survivors[0]);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const std::string& coop : {survivors[1], std::string("coop-d")}) {
    r = net.gov({"approve", "J-3"}, coop, coop);
    ASSERT_EQ(r.exit_code, 0) << coop << ": " << r.out << r.err;
  }
  end_change("dead validator removed");
  EXPECT_EQ(status(net, "coop-d").validators(), 3u);
  r = net.submit(farm_file(net, "F-3"), "coop-d", "coop-d");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // The observer answers queries from its own copy; it never counted in a majority.
  shown = net.cli({"farm", "show", "F-3", "--node", net.client("exp-x")});
  for (int attempt = 0; attempt < 20 && shown.exit_code != 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    shown = net.cli({"farm", "show", "F-3", "--node", net.client("exp-x")});
  }
  EXPECT_EQ(shown.exit_code, 0) << shown.err << net.node("exp-x").log();
  EXPECT_EQ(status(net, "exp-x").validators(), 3u);

  // The exporter submits through its own node (forwarded to the leader), is suspended by a
  // majority, and its next event is refused.
  const auto key_file = [&](const std::string& name, const std::string& public_key) {
    const std::string path = net.path(name + ".json");
    std::ofstream(path) << R"({"addKey": {"publicKey": ")" + public_key + R"("}})";
    return path;
  };
  const auto keygen = [&](const std::string& name) {
    CommandResult made = net.cli({"keygen", "--out", net.path(name + ".pem"), "--output", "json"});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return public_key_printed(made);
  };
  const auto submit_signed = [&](const std::string& file, const std::string& key,
                                 const std::string& via) {
    return net.cli({"submit", file, "--key", key, "--wait", "--node", net.client(via)});
  };
  r = submit_signed(key_file("exp-key-1", keygen("exp-x-laptop")), net.key("exp-x"), "exp-x");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ofstream(net.path("suspend.json"))
      << R"({"setOrganizationStatus": {"orgId": "exp-x", "status": "ORG_SUSPENDED"}})";
  r = net.gov({"propose", net.path("suspend.json"), "--id", "J-4"}, survivors[0], survivors[0]);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const std::string& coop : {survivors[1], std::string("coop-d")}) {
    r = net.gov({"approve", "J-4"}, coop, coop);
    ASSERT_EQ(r.exit_code, 0) << coop << ": " << r.out << r.err;
  }
  r = submit_signed(key_file("exp-key-2", keygen("exp-x-phone")), net.key("exp-x"), "exp-x");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("ORGANIZATION_SUSPENDED"), std::string::npos) << r.out << r.err;

  // coop-d's laptop is stolen: coop-d adds a new key, revokes the stolen one with it, and the
  // thief's next event is refused.
  const std::string stolen = net.key("coop-d");
  const std::string fresh_public = keygen("coop-d-new");
  r = submit_signed(key_file("coop-d-key", fresh_public), stolen, "coop-d");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::smatch card_key;
  const std::string card = read_all(net.path("coop-d/member-card.json"));
  ASSERT_TRUE(
      std::regex_search(card, card_key, std::regex(R"re("publicKeys": \[\s*"([0-9a-f]{64})")re")))
      << card;
  std::ofstream(net.path("revoke.json")) << R"({"revokeKey": {"keyId": ")" +
                                                key_id(*from_hex(card_key[1].str())) +
                                                R"(", "reason": "laptop stolen"}})";
  r = submit_signed(net.path("revoke.json"), net.path("coop-d-new.pem"), "coop-d");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = submit_signed(farm_file(net, "F-4"), stolen, "coop-d");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("KEY_REVOKED"), std::string::npos) << r.out << r.err;
  client.stop();

  std::cout << "commits by one client throughout: " << client.commits() << "\n";
  for (const ChangeCost& c : costs) {
    std::cout << c.change << ": longest wait for a commit " << c.longest_gap.count()
              << " ms, leader elections (terms) " << c.elections << "\n";
  }
  // Admitting and promoting a node cost no election, nor does removing a dead one; the leader's
  // death costs one election, which may take more than one term (three of four must agree).
  EXPECT_EQ(costs[0].elections, 0u);
  EXPECT_EQ(costs[1].elections, 0u);
  EXPECT_EQ(costs[3].elections, 0u);

  CommandResult audit =
      net.cli({"audit", "--genesis", net.path("genesis.json"), "--node", net.client("coop-d")});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  for (const char* id : {"J-0", "J-1", "J-2", "J-3", "J-4"}) {
    EXPECT_NE(audit.out.find(std::string(id) + "  PASSED"), std::string::npos) << id << audit.out;
  }
  size_t sets = 0;
  for (size_t at = audit.out.find("\n  from height "); at != std::string::npos;
       at = audit.out.find("\n  from height ", at + 1)) {
    ++sets;
  }
  EXPECT_EQ(sets, 3u) << audit.out;  // the founders, with coop-d, without the dead one
  for (const std::string& coop :
       {survivors[0], survivors[1], std::string("coop-d"), std::string("exp-x")}) {
    EXPECT_EQ(net.node(coop).stop(), 0);
  }
}

}  // namespace
}  // namespace coopchain::testing

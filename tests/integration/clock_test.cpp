// Clocks that are off: a validator refuses to start with a clock a majority disagrees with or
// that its own certificate rules out, saying why; a leader whose clock runs ahead is replaced
// and logged; status shows every peer's clock offset and warns. The clock shim is
// tests/support/clock_shim.cpp.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

std::string farm(const std::string& id) {
  return R"({"registerFarm": {"farmId": ")" + id + R"(", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})";
}

TEST(ClockTest, AValidatorWhoseClockAMajorityDisagreesWithRefusesToStart) {
  Cluster cluster(3);
  cluster.daemon(2).stop();
  cluster.daemon(2).set_environment(clock_shifted(600));
  // Its client port may answer before the clock check ends it.
  if (cluster.daemon(2).start(std::chrono::seconds(15), false)) {
    EXPECT_EQ(cluster.daemon(2).wait_exit(std::chrono::seconds(15)), std::optional<int>(1));
  }
  const std::string log = cluster.daemon(2).log();
  EXPECT_NE(log.find("this node's clock disagrees with a majority of the validators"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("coop-1 reads -"), std::string::npos) << log;
}

// A fresh network on a node whose clock is behind once logged only "certificate verify failed".
TEST(ClockTest, AValidatorWhoseClockIsBeforeItsCertificateSaysItsClockIsBehind) {
  Cluster cluster(3);
  cluster.daemon(2).stop();
  cluster.daemon(2).set_environment(clock_shifted(-600));
  if (cluster.daemon(2).start(std::chrono::seconds(15), false)) {
    EXPECT_EQ(cluster.daemon(2).wait_exit(std::chrono::seconds(15)), std::optional<int>(1));
  }
  const std::string log = cluster.daemon(2).log();
  EXPECT_NE(log.find("this node's clock is at least"), std::string::npos) << log;
  EXPECT_NE(log.find("s behind"), std::string::npos) << log;
}

// A leader 10 minutes ahead once stalled the chain silently: followers refused its blocks
// without a word and still counted it alive. The leader's clock jumps 10 minutes ahead while it
// runs; the others refuse its blocks, say so, stop counting it alive and elect one of
// themselves; the chain commits; status warns about its clock.
TEST(ClockTest, ALeaderWhoseClockJumpsAheadIsReplacedAndTheChainCommits) {
  TempDir shifts;
  auto shift_file = [&](int node) { return (shifts.path() / std::to_string(node)).string(); };
  Cluster cluster(3, {}, [&](int node) { return clock_shift_file(shift_file(node)); });
  const int fast = cluster.wait_for_leader(std::chrono::seconds(30));
  ASSERT_GE(fast, 0);
  std::ofstream(shift_file(fast)) << 600;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the shim reads it within 0.1 s
  // An idle leader only sends heartbeats; a transaction makes it propose a block.
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  const auto tx = sign_event(coop, cluster.chain_id(), farm("F-CLOCK"));
  {
    v1::SubmitResponse response;
    (void)submit_and_wait(*cluster.ledger(fast), tx, &response, std::chrono::seconds(2));
  }

  int leader = fast;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((leader == fast || leader < 0) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    leader = cluster.wait_for_leader(std::chrono::seconds(5));
  }
  ASSERT_GE(leader, 0);
  ASSERT_NE(leader, fast) << "the node whose clock jumped ahead still leads";
  const std::string fast_id = cluster.node_id(fast);
  std::string others;
  for (int i = 0; i < 3; ++i) {
    if (i != fast) others += cluster.daemon(i).log();
  }
  // Whichever notices first says why: the leader itself (by its clock, a majority went silent
  // 600 s ago: check-quorum), or its followers refusing its block from the future.
  const std::string own = cluster.daemon(fast).log();
  const bool stepped_down = own.find("stopped leading term") != std::string::npos &&
                            own.find("this node's clock jumped ahead") != std::string::npos;
  const bool refused = others.find("BLOCK_REFUSED from " + fast_id) != std::string::npos &&
                       others.find("is in the future") != std::string::npos;
  EXPECT_TRUE(stepped_down || refused) << own << others;

  // The transaction went down with the old leader's queue; submitted again, it commits.
  v1::SubmitResponse response;
  grpc::Status st =
      submit_and_wait(*cluster.ledger(leader), tx, &response, std::chrono::seconds(30));
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(response.state(), v1::COMMITTED);

  // Offsets are read every 5 s.
  const std::string warning = "WARNING: " + fast_id + "'s clock reads +";
  std::string status;
  for (int i = 0; i < 80 && status.find(warning) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    status = cluster.cli(leader, {"status"}).out;
  }
  EXPECT_NE(status.find(warning), std::string::npos) << status;
  EXPECT_NE(status.find("blocks are refused"), std::string::npos) << status;
}

}  // namespace
}  // namespace coopchain::testing

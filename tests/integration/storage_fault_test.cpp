// Storage faults fail safe: a full disk stops a node cleanly and loses nothing; damage found on
// a read stops the node instead of serving a guess; `verify-db` finds every kind of damage.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "chain_fixture.h"
#include "coopchain/core/codec.h"
#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

std::string farm_json(int k) {
  return R"({"registerFarm": {"farmId": "F-)" + std::to_string(k) +
         R"(", "farmerRef": "a farmer whose name makes the record longer", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})";
}

// A stopped single-node network holding a few committed blocks.
struct StoppedChain {
  SingleNodeNetwork net;
  std::string data;
  uint64_t head = 0;

  StoppedChain() {
    for (int k = 0; k < 4; ++k) {
      CommandResult r = net.submit(farm_json(k), "coop-1");
      if (r.exit_code != 0) throw std::runtime_error(r.err);
    }
    if (net.daemon().stop() != 0) throw std::runtime_error(net.daemon().log());
    data = (net.dir() / "node1" / "data").string();
    RawStore raw(data);
    const std::string record = raw.get("default", "head");
    Reader reader(record);
    head = reader.u64();
  }
  std::string config() const { return (net.dir() / "node1" / "config.yaml").string(); }
};

// A certificate lost below the head (a rotten sector, a filter block that lies) once made the
// node serve that block with no votes, so that an audit reported forgery. Now the node stops
// on the read, naming the damage, and `verify-db` finds it while the node is down.
TEST(StorageFaultTest, ACertificateMissingBelowTheHeadStopsTheNodeInsteadOfServingNoVotes) {
  StoppedChain chain;
  ASSERT_GE(chain.head, 3u);
  ASSERT_LE(chain.head, 10u);
  const uint64_t lost = chain.head - 1;
  RawStore(chain.data).erase("qc", RawStore::height_key(lost));
  EXPECT_THROW(RawStore(chain.data).get("qc", RawStore::height_key(lost)), std::runtime_error);

  CommandResult check = run_command({cli_binary(), "verify-db", "--data-dir", chain.data});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.err.find("quorum certificate at height " + std::to_string(lost)),
            std::string::npos)
      << check.out << check.err;

  // The start-up check looks at the head only; the damage shows on the first read of it.
  ASSERT_TRUE(chain.net.daemon().start());
  CommandResult get = chain.net.cli({"block", "get", std::to_string(lost)});
  EXPECT_NE(get.exit_code, 0) << "a block was served without its certificate: " << get.out;
  EXPECT_TRUE(chain.net.daemon().wait_exit(std::chrono::seconds(10)).has_value())
      << "the node went on serving a damaged database";
  EXPECT_NE(chain.net.daemon().log().find("is damaged: the quorum certificate at height " +
                                          std::to_string(lost) + " is missing below the head"),
            std::string::npos)
      << chain.net.daemon().log();
}

// A flipped byte in a table file: `verify-db` and `coopchaind --verify-db` name the checksum.
TEST(StorageFaultTest, VerifyDbFindsAFlippedByteInATableFile) {
  StoppedChain chain;
  RawStore(chain.data).flush();
  CommandResult clean = run_command({cli_binary(), "verify-db", "--data-dir", chain.data});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("database verified"), std::string::npos) << clean.out;

  size_t flipped = 0;
  for (const auto& entry : std::filesystem::directory_iterator(chain.data)) {
    if (entry.path().extension() != ".sst" || entry.file_size() < 64) continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(10);
    char c = 0;
    f.get(c);
    f.seekp(10);
    f.put(static_cast<char>(c ^ 0x40));
    ++flipped;
  }
  ASSERT_GT(flipped, 0u);
  CommandResult bad = run_command({cli_binary(), "verify-db", "--data-dir", chain.data});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("hecksum"), std::string::npos) << bad.out << bad.err;

  CommandResult start = run_command({daemon_binary(), "--config", chain.config(), "--verify-db"},
                                    std::chrono::seconds(30));
  EXPECT_EQ(start.exit_code, 1) << start.out << start.err;
  EXPECT_NE((start.out + start.err + chain.net.daemon().log()).find("the database is damaged"),
            std::string::npos);
}

// A tmpfs of a few megabytes mounted over a directory; unmounted on destruction.
class SmallDisk {
 public:
  explicit SmallDisk(const std::filesystem::path& dir) : dir_(dir) {
    std::filesystem::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=8m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};

// Disk full on a follower once aborted it on a RocksDB assertion (a sync after a failed write).
// Now it stops with exit status 3 and a clear line, the others go on, and once space is back it
// starts again and catches up with nothing lost.
TEST(StorageFaultTest, DiskFullStopsAFollowerCleanlyAndItCatchesUpOnceSpaceIsBack) {
  TempDir mount_point;
  const auto small = mount_point.path() / "disk";
  SmallDisk disk(small);
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs CAP_SYS_ADMIN";
  Cluster cluster(3, [&](int node, std::string& yaml) {
    if (node != 2) return;
    const auto at = yaml.find("data_dir:");
    const auto end = yaml.find('\n', at);
    yaml.replace(at, end - at, "data_dir: " + (small / "data").string());
    // A follower: its long timeouts let the others win every election.
    yaml += "election_timeout_min_ms: 20000\nelection_timeout_max_ms: 25000\n";
  });
  ASSERT_TRUE(cluster.wait_for_equal_heads(std::chrono::seconds(30)));
  // Leave the follower a little room, then fill it.
  const auto filler = small / "filler";
  {
    std::ofstream out(filler, std::ios::binary);
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 8 * 16 && out; ++i) out << chunk;
  }
  std::filesystem::resize_file(filler, std::filesystem::file_size(filler) - 256 * 1024);

  const PrivateKey coop = load_key(cluster.key("coop-1"));
  int committed = 0;
  std::optional<int> exit_status;
  for (int k = 0; k < 3000 && !exit_status; ++k) {
    int leader = cluster.wait_for_leader(std::chrono::seconds(10), {2});
    ASSERT_GE(leader, 0);
    v1::SubmitResponse response;
    auto tx = sign_event(coop, cluster.chain_id(), farm_json(k));
    if (submit_and_wait(*cluster.ledger(leader), tx, &response).ok() &&
        response.state() == v1::COMMITTED) {
      ++committed;
    }
    exit_status = cluster.daemon(2).wait_exit(std::chrono::milliseconds(0));
  }
  const std::string log = cluster.daemon(2).log();
  ASSERT_TRUE(exit_status.has_value()) << "the follower never ran out of space";
  EXPECT_EQ(*exit_status, 3) << log;
  EXPECT_NE(log.find("No space left on device"), std::string::npos) << log;
  EXPECT_NE(log.find("stopped because storage failed"), std::string::npos) << log;
  EXPECT_EQ(log.find("Assertion"), std::string::npos) << log;
  EXPECT_GT(committed, 0);

  // The other two go on committing.
  int leader = cluster.wait_for_leader(std::chrono::seconds(10), {2});
  ASSERT_GE(leader, 0);
  v1::SubmitResponse response;
  ASSERT_TRUE(submit_and_wait(*cluster.ledger(leader),
                              sign_event(coop, cluster.chain_id(), farm_json(100'000)), &response)
                  .ok());
  EXPECT_EQ(response.state(), v1::COMMITTED);

  // Space back: it starts, catches up, and its database holds together.
  std::filesystem::remove(filler);
  ASSERT_TRUE(cluster.daemon(2).start(std::chrono::seconds(30), false)) << cluster.daemon(2).log();
  EXPECT_TRUE(cluster.wait_for_equal_heads(std::chrono::seconds(60)));
  EXPECT_EQ(cluster.daemon(2).stop(), 0);
  CommandResult check =
      run_command({cli_binary(), "verify-db", "--data-dir", (small / "data").string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace coopchain::testing

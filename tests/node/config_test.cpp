#include "coopchain/node/config.h"

#include "coopchain/consensus/replica.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include "temp_dir.h"

namespace coopchain {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  Result<NodeConfig> load(const std::string& yaml) {
    const auto path = dir_ / "config.yaml";
    std::ofstream(path) << yaml;
    return load_config(path.string());
  }

  testing::TempDir tmp_;
  std::filesystem::path dir_ = tmp_.path();
};

// The simulator checks the replica's default timeouts on a slow link; the node must default to
// the same ones.
TEST(ConfigDefaults, ConsensusTimingMatchesTheReplicasDefaults) {
  const NodeConfig config;
  const consensus::ReplicaOptions replica;
  EXPECT_EQ(int64_t{config.election_timeout_min_ms}, replica.election_timeout_min_ms);
  EXPECT_EQ(int64_t{config.election_timeout_max_ms}, replica.election_timeout_max_ms);
  EXPECT_EQ(int64_t{config.heartbeat_ms}, replica.heartbeat_ms);
  EXPECT_EQ(config.max_pipeline_blocks, replica.max_uncommitted_blocks);
  EXPECT_EQ(config.max_block_txs, replica.max_block_txs);
}

TEST_F(ConfigTest, ReadsKeysAndResolvesRelativePaths) {
  auto c = load(
      "node_id: coop-1\ngenesis_file: genesis.json\nvalidator_key_file: v.pem\n"
      "data_dir: data\nbatch_delay_ms: 7\npeers:\n  - {id: coop-2, address: 127.0.0.1:7711}\n");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->batch_delay_ms, 7u);
  EXPECT_EQ(c->genesis_file, (dir_ / "genesis.json").string());
  EXPECT_EQ(c->data_dir, (dir_ / "data").string());
  ASSERT_EQ(c->peers.size(), 1u);
  EXPECT_EQ(c->peers[0].address, "127.0.0.1:7711");
  EXPECT_EQ(c->client_listen, "127.0.0.1:7700");
}

TEST_F(ConfigTest, RefusesUnknownKeysMissingKeysAndBadValues) {
  EXPECT_FALSE(load("node_id: a\ngenesis_file: g\nvalidator_key_file: v\nbatch_dely_ms: 5\n").ok());
  EXPECT_FALSE(load("node_id: a\nvalidator_key_file: v\n").ok());
  EXPECT_FALSE(
      load("node_id: a\ngenesis_file: g\nvalidator_key_file: v\nmax_block_txs: lots\n").ok());
  EXPECT_FALSE(load("node_id: a\ngenesis_file: g\nvalidator_key_file: v\nmax_block_txs: 0\n").ok());
  EXPECT_FALSE(load("[not, a, map]").ok());
  // Too short for a handshake's four round trips over any real link.
  const auto too_short =
      load("node_id: a\ngenesis_file: g\nvalidator_key_file: v\npeer_connect_timeout_ms: 100\n");
  ASSERT_FALSE(too_short.ok());
  EXPECT_NE(too_short.status().message().find("peer_connect_timeout_ms"), std::string::npos);
  EXPECT_TRUE(
      load("node_id: a\ngenesis_file: g\nvalidator_key_file: v\npeer_connect_timeout_ms: 30000\n")
          .ok());
  EXPECT_FALSE(load_config((dir_ / "missing.yaml").string()).ok());
}

}  // namespace
// Plaintext on the client port is warned about unless it listens on loopback.
TEST(Config, LoopbackListenAddresses) {
  EXPECT_TRUE(is_loopback_listen("127.0.0.1:7700"));
  EXPECT_TRUE(is_loopback_listen("127.1.2.3:7700"));
  EXPECT_TRUE(is_loopback_listen("localhost:7700"));
  EXPECT_TRUE(is_loopback_listen("[::1]:7700"));
  EXPECT_FALSE(is_loopback_listen("0.0.0.0:7700"));
  EXPECT_FALSE(is_loopback_listen("192.168.1.20:7700"));
  EXPECT_FALSE(is_loopback_listen("[::]:7700"));
}

}  // namespace coopchain

// write_devnet and load_devnet: the files a devnet consists of, their modes, and what they say.
#include "coopchain/devnet/devnet.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/x509.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain::devnet {
namespace {
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t file_mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

// A fresh temporary directory, removed with everything in it at the end of the test.
class DevnetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("coopchain-devnet-test-" + std::to_string(rd()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  DevnetLayout write_three() {
    DevnetOptions options;
    options.dir = (dir_ / "net").string();
    options.nodes = 3;
    options.base_port = 7900;
    options.chain_id = "test-chain";
    options.genesis_time_ms = 1'790'000'000'000;
    auto layout = write_devnet(options);
    EXPECT_TRUE(layout.ok()) << layout.status().to_string();
    return layout.ok() ? *layout : DevnetLayout{};
  }

  fs::path dir_;
};

TEST_F(DevnetTest, GenesisListsTheDemoOrganizationsAndOneValidatorPerNode) {
  DevnetLayout layout = write_three();
  auto genesis = wire::genesis_from_json(read_file(dir_ / "net" / "genesis.json"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
  EXPECT_EQ(genesis->chain_id, "test-chain");
  EXPECT_EQ(genesis->genesis_time, 1'790'000'000'000);

  std::vector<std::pair<std::string, OrgKind>> expected = {
      {"coop-1", OrgKind::kCooperative}, {"coop-2", OrgKind::kCooperative},
      {"coop-3", OrgKind::kCooperative}, {"mill-1", OrgKind::kProcessor},
      {"cert-1", OrgKind::kCertifier},   {"exp-1", OrgKind::kExporter},
      {"audit-1", OrgKind::kAuditor}};
  ASSERT_EQ(genesis->organizations.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Organization& org = genesis->organizations[i];
    EXPECT_EQ(org.id, expected[i].first);
    EXPECT_EQ(org.kind, expected[i].second) << org.id;
    EXPECT_EQ(org.accredited, org.id == "cert-1") << org.id;
    ASSERT_EQ(org.public_keys.size(), 1u) << org.id;
  }
  ASSERT_EQ(genesis->validators.size(), 3u);
  EXPECT_EQ(genesis->validators[0].id, "coop-1");
  EXPECT_EQ(genesis->validators[2].id, "coop-3");
  EXPECT_EQ(genesis->params.coffee_yield_cap_g_per_ha,
            RuleParams::defaults().coffee_yield_cap_g_per_ha);
  EXPECT_EQ(genesis->params.conversion_caps.size(), RuleParams::defaults().conversion_caps.size());
  EXPECT_EQ(layout.organizations.size(), expected.size());
}

TEST_F(DevnetTest, EveryKeyFileLoadsAndMatchesItsPublicKeyInGenesis) {
  write_three();
  auto genesis = wire::genesis_from_json(read_file(dir_ / "net" / "genesis.json"));
  ASSERT_TRUE(genesis.ok());
  for (const auto& org : genesis->organizations) {
    auto key = PrivateKey::from_pem(read_file(dir_ / "net" / "keys" / (org.id + ".pem")));
    ASSERT_TRUE(key.ok()) << org.id << ": " << key.status().to_string();
    EXPECT_EQ(key->public_key(), org.public_keys[0]) << org.id;
  }
  for (int i = 1; i <= 3; ++i) {
    auto key = PrivateKey::from_pem(
        read_file(dir_ / "net" / ("node" + std::to_string(i)) / "validator.pem"));
    ASSERT_TRUE(key.ok()) << "node" << i;
    EXPECT_EQ(key->public_key(), genesis->validators[static_cast<size_t>(i - 1)].public_key);
  }
}

TEST_F(DevnetTest, PrivateKeysAreReadableOnlyByTheOwner) {
  write_three();
  for (const auto& entry : fs::directory_iterator(dir_ / "net" / "keys")) {
    EXPECT_EQ(file_mode(entry.path()), 0600u) << entry.path();
  }
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(file_mode(dir_ / "net" / ("node" + std::to_string(i)) / "validator.pem"), 0600u);
  }
}

TEST_F(DevnetTest, NodeConfigsUseAbsolutePathsSpacedPortsAndListTheOtherNodesAsPeers) {
  write_three();
  const fs::path net = fs::absolute(dir_ / "net");
  YAML::Node c = YAML::LoadFile((net / "node2" / "config.yaml").string());
  EXPECT_EQ(c["node_id"].as<std::string>(), "coop-2");
  EXPECT_EQ(c["data_dir"].as<std::string>(), (net / "node2" / "data").string());
  EXPECT_EQ(c["genesis_file"].as<std::string>(), (net / "genesis.json").string());
  EXPECT_EQ(c["validator_key_file"].as<std::string>(), (net / "node2" / "validator.pem").string());
  EXPECT_EQ(c["client_listen"].as<std::string>(), "127.0.0.1:7910");
  EXPECT_EQ(c["peer_listen"].as<std::string>(), "127.0.0.1:7911");
  EXPECT_EQ(c["metrics_listen"].as<std::string>(), "127.0.0.1:7912");
  ASSERT_EQ(c["peers"].size(), 2u);
  EXPECT_EQ(c["peers"][0]["id"].as<std::string>(), "coop-1");
  EXPECT_EQ(c["peers"][0]["address"].as<std::string>(), "127.0.0.1:7901");
  EXPECT_EQ(c["peers"][1]["id"].as<std::string>(), "coop-3");
  EXPECT_EQ(c["peers"][1]["address"].as<std::string>(), "127.0.0.1:7921");
  // Tuning is left to the node's defaults, which live in one place.
  EXPECT_FALSE(c["max_block_txs"]);
  EXPECT_FALSE(c["batch_delay_ms"]);
  EXPECT_EQ(c["log_level"].as<std::string>(), "info");
  EXPECT_EQ(c["log_file"].as<std::string>(), "");
  EXPECT_TRUE(fs::exists(net / "README.txt"));
}

TEST_F(DevnetTest, ASingleNodeHasNoPeers) {
  DevnetOptions options;
  options.dir = (dir_ / "one").string();
  auto layout = write_devnet(options);
  ASSERT_TRUE(layout.ok()) << layout.status().to_string();
  YAML::Node c = YAML::LoadFile(layout->nodes[0].config_file);
  EXPECT_TRUE(c["peers"].IsSequence());
  EXPECT_EQ(c["peers"].size(), 0u);
  EXPECT_EQ(c["client_listen"].as<std::string>(), "127.0.0.1:7700");
  EXPECT_EQ(layout->chain_id.rfind("coopchain-devnet-", 0), 0u);
  EXPECT_EQ(layout->chain_id.size(), std::string("coopchain-devnet-").size() + 8);
}

TEST_F(DevnetTest, RefusesADirectoryThatAlreadyHoldsAGenesis) {
  write_three();
  const fs::path genesis = dir_ / "net" / "genesis.json";
  const std::string before = read_file(genesis);
  const std::string key_before = read_file(dir_ / "net" / "keys" / "coop-1.pem");
  DevnetOptions options;
  options.dir = (dir_ / "net").string();
  options.nodes = 1;
  auto again = write_devnet(options);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  EXPECT_EQ(read_file(genesis), before);
  EXPECT_EQ(read_file(dir_ / "net" / "keys" / "coop-1.pem"), key_before);
}

TEST_F(DevnetTest, RefusesBadOptionsWithoutWritingAnything) {
  DevnetOptions options;
  options.dir = (dir_ / "bad").string();
  options.nodes = 0;
  EXPECT_FALSE(write_devnet(options).ok());
  options.nodes = 3;
  options.base_port = 65530;  // node 3's metrics port would be 65552
  EXPECT_FALSE(write_devnet(options).ok());
  EXPECT_FALSE(fs::exists(dir_ / "bad"));
}

TEST_F(DevnetTest, LoadReadsBackTheNodesAndTheirAddresses) {
  write_three();
  auto layout = load_devnet((dir_ / "net").string());
  ASSERT_TRUE(layout.ok()) << layout.status().to_string();
  EXPECT_EQ(layout->chain_id, "test-chain");
  ASSERT_EQ(layout->nodes.size(), 3u);
  EXPECT_EQ(layout->nodes[2].id, "coop-3");
  EXPECT_EQ(layout->nodes[2].client_address, "127.0.0.1:7920");
  EXPECT_EQ(layout->nodes[2].pid_file,
            (fs::absolute(dir_ / "net" / "node3") / "coopchaind.pid").string());
}

TEST_F(DevnetTest, LoadRefusesADirectoryThatIsNotADevnet) {
  fs::create_directories(dir_ / "empty");
  EXPECT_FALSE(load_devnet((dir_ / "empty").string()).ok());
}

}  // namespace
}  // namespace coopchain::devnet

namespace coopchain::devnet {
namespace {

// A devnet is founded the way a real network is: no certificate authority; the genesis pins each
// node's self-signed key, assembled from cards that hold only public parts.
TEST(DevnetTls, EveryNodeHasASelfSignedCertificateWhoseKeyTheGenesisPins) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("coopchain-devnet-tls-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto layout = write_devnet({dir.string(), 3, 7700, "", 0});
  ASSERT_TRUE(layout.ok()) << layout.status().to_string();
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto genesis = wire::genesis_from_json(read(layout->genesis_file));
  ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
  ASSERT_EQ(genesis->validators.size(), 3u);
  for (size_t i = 0; i < layout->nodes.size(); ++i) {
    const auto& node = layout->nodes[i];
    const std::string cert = read(node.tls_cert_file);
    EXPECT_EQ(certificate_common_name(cert).value(), node.id);
    EXPECT_EQ(certificate_public_key_pin(cert).value(), genesis->validators[i].tls_pin) << node.id;
    EXPECT_EQ(
        std::filesystem::status(node.tls_key_file).permissions() & std::filesystem::perms::all,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    YAML::Node config = YAML::LoadFile(node.config_file);
    EXPECT_EQ(config["tls_cert_file"].as<std::string>(), node.tls_cert_file);
    EXPECT_FALSE(config["tls_ca_file"]) << "no network CA";
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "tls"));
  // The cards hold public parts only, and assemble into the same genesis.
  std::vector<v1::MemberCard> cards;
  for (const auto& org : layout->organizations) {
    const std::string text = read((std::filesystem::path(layout->cards_dir) / (org + ".json")));
    EXPECT_EQ(text.find("PRIVATE"), std::string::npos) << org;
    auto card = wire::member_card_from_json(text);
    ASSERT_TRUE(card.ok()) << org << ": " << card.status().to_string();
    cards.push_back(std::move(card).value());
  }
  auto assembled = wire::genesis_from_cards(genesis->chain_id, genesis->genesis_time, cards,
                                            R"({"defaultCountry": "PE"})");
  ASSERT_TRUE(assembled.ok()) << assembled.status().to_string();
  EXPECT_EQ(wire::genesis_to_json(*assembled), wire::genesis_to_json(*genesis));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coopchain::devnet

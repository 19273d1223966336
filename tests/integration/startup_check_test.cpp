// A node refuses to serve when its stored chain does not hold together, and says why.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "chain_fixture.h"
#include "coopchain/core/codec.h"
#include "harness.h"

namespace coopchain::testing {
namespace {

// A single-node network with one committed block, stopped; `tamper` edits its database; then
// the node is started again and must refuse, naming `why`.
void expect_refusal_after(const std::function<void(RawStore&, uint64_t head)>& tamper,
                          const std::string& why) {
  SingleNodeNetwork net;
  CommandResult farm = net.submit(R"({"registerFarm": {"farmId": "F-1", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})",
                                  "coop-1");
  ASSERT_EQ(farm.exit_code, 0) << farm.err;
  ASSERT_EQ(net.daemon().stop(), 0) << net.daemon().log();
  const std::string data = (net.dir() / "node1" / "data").string();
  {
    RawStore raw(data);
    const std::string head = raw.get("default", "head");
    Reader reader(head);
    tamper(raw, reader.u64());
  }
  CommandResult r =
      run_command({daemon_binary(), "--config", (net.dir() / "node1" / "config.yaml").string()},
                  std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  const std::string log = net.daemon().log() + r.out + r.err;
  EXPECT_NE(log.find("refusing to serve"), std::string::npos) << log;
  EXPECT_NE(log.find(why), std::string::npos) << log;
}

TEST(StartupCheckTest, RefusesToServeWhenTheHeadRecordDisagreesWithTheHeadBlock) {
  expect_refusal_after(
      [](RawStore& raw, uint64_t) {
        std::string head = raw.get("default", "head");
        head[8 + 32] ^= 0x01;  // the stored state root
        raw.put("default", "head", head);
      },
      "state root");
}

TEST(StartupCheckTest, RefusesToServeWhenTheHeadBlockWasAltered) {
  expect_refusal_after(
      [](RawStore& raw, uint64_t height) {
        std::string block = raw.get("blocks", RawStore::height_key(height));
        block[108 + 7] ^= 0x01;  // the header's time
        raw.put("blocks", RawStore::height_key(height), block);
      },
      "head block hash");
}

TEST(StartupCheckTest, RefusesToServeWhenTheHeadCertificateDoesNotHold) {
  expect_refusal_after(
      [](RawStore& raw, uint64_t height) {
        std::string qc = raw.get("qc", RawStore::height_key(height));
        qc.back() ^= 0x01;  // the vote's signature
        raw.put("qc", RawStore::height_key(height), qc);
      },
      "bad signature");
}

TEST(StartupCheckTest, RefusesAnotherNetworksGenesis) {
  SingleNodeNetwork net;
  ASSERT_EQ(net.daemon().stop(), 0) << net.daemon().log();
  TempDir other;
  CommandResult init =
      run_command({cli_binary(), "devnet", "init", "--dir", other.path().string(), "--nodes", "1"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  // The node's own config, pointed at the other network's genesis and validator key.
  const auto config = net.dir() / "node1" / "other.yaml";
  std::ofstream(config) << "node_id: coop-1\n"
                        << "data_dir: " << (net.dir() / "node1" / "data").string() << "\n"
                        << "genesis_file: " << (other.path() / "genesis.json").string() << "\n"
                        << "validator_key_file: "
                        << (other.path() / "node1" / "validator.pem").string() << "\n"
                        << "client_listen: 127.0.0.1:" << net.base_port() << "\n"
                        << "metrics_listen: 127.0.0.1:" << net.base_port() + 2 << "\n";
  CommandResult r =
      run_command({daemon_binary(), "--config", config.string()}, std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE((r.out + r.err).find("another network"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace coopchain::testing

// A node refuses to serve when its stored chain does not hold together, and says why.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <fstream>

#include "coopchain/storage/block_store.h"
#include "harness.h"

namespace coopchain::testing {
namespace {

TEST(StartupCheckTest, RefusesToServeWhenTheHeadRecordDisagreesWithTheHeadBlock) {
  SingleNodeNetwork net;
  ASSERT_EQ(net.daemon().stop(), 0) << net.daemon().log();
  const std::string data = (net.dir() / "node1" / "data").string();
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : kColumnFamilies) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), data, cfs, &handles, &db).ok());
    std::string head;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), handles[0], "head", &head).ok());
    head[8 + 32] ^= 0x01;  // the stored state root
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[0], "head", head).ok());
    for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  CommandResult r =
      run_command({daemon_binary(), "--config", (net.dir() / "node1" / "config.yaml").string()},
                  std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  const std::string log = net.daemon().log() + r.out + r.err;
  EXPECT_NE(log.find("refusing to serve"), std::string::npos) << log;
  EXPECT_NE(log.find("state root"), std::string::npos) << log;
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

// The auditor's commands against a real 3-node network: `coopchain audit` over a running node,
// `chain export` to an archive and the audit of it, the audit of every stopped node's database,
// and the failures an auditor must see — a tampered archive, a tampered database, another
// network's genesis — each with exit status 1 and the bad height.
#include <gtest/gtest.h>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>

#include "chain_fixture.h"
#include "event_json.h"
#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

constexpr int kHarvests = 40;

CommandResult coopchain(std::vector<std::string> args) {
  args.insert(args.begin(), cli_binary());
  return run_command(args);
}

google::protobuf::Struct parse_json(const std::string& text) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &s).ok()) << text;
  return s;
}

double number(const google::protobuf::Struct& s, const std::string& key) {
  return s.fields().at(key).number_value();
}

class AuditCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new Cluster(3);
    const PrivateKey coop = load_key(cluster_->key("coop-1"));
    const PrivateKey certifier = load_key(cluster_->key("cert-1"));
    const std::string& chain = cluster_->chain_id();
    std::vector<v1::SignedTransaction> txs;
    txs.push_back(sign_event(coop, chain, R"({"registerFarm": {"farmId": "F-A", "plots": [
        {"plotId": "P-1", "areaM2": 50000, "crop": "COFFEE",
         "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})"));
    txs.push_back(sign_event(certifier, chain,
                             certificate_json("C-A", "coop-1", days_ago(100), days_ahead(100))));
    txs.push_back(sign_event(coop, chain, member_json("C-A", "F-A", "PROPOSED", days_ago(10))));
    txs.push_back(
        sign_event(certifier, chain, member_json("C-A", "F-A", "APPROVED", days_ago(10))));
    for (int i = 0; i < kHarvests; ++i) {
      txs.push_back(
          sign_event(coop, chain,
                     harvest_json("L-" + std::to_string(i), "F-A", 5000, days_ago(2), R"("C-A")")));
    }
    for (size_t i = 0; i < txs.size(); ++i) {
      v1::SubmitResponse response;
      grpc::Status st =
          submit_and_wait(*cluster_->ledger(static_cast<int>(i % 3)), txs[i], &response);
      ASSERT_TRUE(st.ok() && response.state() == v1::COMMITTED)
          << "submission " << i << ": " << st.error_message();
    }
    ASSERT_TRUE(cluster_->wait_for_equal_heads(std::chrono::seconds(30)));
    genesis_ = (cluster_->dir() / "genesis.json").string();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  static std::string data_dir(int i) {
    return (cluster_->dir() / ("node" + std::to_string(i + 1)) / "data").string();
  }

  static Cluster* cluster_;
  static std::string genesis_;
  TempDir work_;
};

Cluster* AuditCliTest::cluster_ = nullptr;
std::string AuditCliTest::genesis_;

TEST_F(AuditCliTest, AuditOverARunningNodePassesWithAReport) {
  CommandResult r = coopchain(
      {"audit", "--genesis", genesis_, "--node", cluster_->address(1), "--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto report = parse_json(r.out);
  EXPECT_TRUE(report.fields().at("ok").bool_value());
  EXPECT_GE(number(report, "transactions"), 2 + kHarvests);
  EXPECT_EQ(number(report, "rejections"), 0);
  EXPECT_GE(number(report.fields().at("eventsByType").struct_value(), "harvest"), kHarvests);
  EXPECT_GE(report.fields().at("lots").list_value().values_size(), kHarvests);
  bool certificate_listed = false;
  for (const auto& c : report.fields().at("certificates").list_value().values()) {
    const auto& fields = c.struct_value().fields();
    if (fields.at("certificateId").string_value() == "C-A") {
      certificate_listed = fields.at("lots").list_value().values_size() == kHarvests;
    }
  }
  EXPECT_TRUE(certificate_listed) << r.out;
  // Every lot balances: 5 kg in, nothing out, 5 kg held.
  for (const auto& lot : report.fields().at("lots").list_value().values()) {
    EXPECT_TRUE(lot.struct_value().fields().at("balanced").bool_value());
  }

  r = coopchain({"audit", "--genesis", genesis_, "--node", cluster_->address(2)});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("audit passed"), std::string::npos) << r.out;
}

TEST_F(AuditCliTest, ExportedArchivePassesAndATamperedCopyFailsAtItsHeight) {
  const std::string archive = work_.sub("chain.cca");
  CommandResult r = coopchain(
      {"chain", "export", "--out", archive, "--node", cluster_->address(0), "--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const double blocks = number(parse_json(r.out), "blocks");
  ASSERT_GE(blocks, 2);

  r = coopchain({"audit", "--genesis", genesis_, "--archive", archive});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // Cut the file in the middle: the audit names the height of the record it ends in.
  std::ifstream in(archive, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string cut = work_.sub("cut.cca");
  std::ofstream(cut, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  r = coopchain({"audit", "--genesis", genesis_, "--archive", cut, "--output", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto report = parse_json(r.out);
  EXPECT_FALSE(report.fields().at("ok").bool_value());
  const auto& failure = report.fields().at("failure").struct_value();
  EXPECT_NE(failure.fields().at("what").string_value().find("ends in the middle"),
            std::string::npos);
  EXPECT_EQ(number(failure, "height"), number(report, "blocks"));
  EXPECT_NE(r.err.find("audit failed at height"), std::string::npos) << r.err;
}

// An auditor ties block 0 to a genesis.json without the nodes' code: `genesis hash` (the
// encoding is documented byte by byte) equals block 0's previous hash and what nodes report.
TEST_F(AuditCliTest, GenesisHashOfTheFileIsBlockZerosPreviousHash) {
  CommandResult r = coopchain({"genesis", "hash", genesis_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string hash = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(hash.size(), 64u);
  v1::GetBlockRequest request;
  request.set_height(0);
  v1::BlockInfo block0;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster_->ledger(0)->GetBlock(&context, request, &block0).ok());
  EXPECT_EQ(block0.prev_hash(), hash);
  EXPECT_EQ(cluster_->status(1)->genesis_hash(), hash);

  CommandResult json = coopchain({"genesis", "hash", genesis_, "--output", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(parse_json(json.out).fields().at("genesisHash").string_value(), hash);
  EXPECT_EQ(coopchain({"genesis", "hash", (work_.path() / "none.json").string()}).exit_code, 1);
}

TEST_F(AuditCliTest, AnotherNetworksGenesisFailsAtHeightZero) {
  CommandResult init = coopchain({"devnet", "init", "--dir", work_.sub("other"), "--nodes", "3"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  CommandResult r = coopchain(
      {"audit", "--genesis", work_.sub("other") + "/genesis.json", "--node", cluster_->address(0)});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("audit failed at height 0"), std::string::npos) << r.err;
}

TEST_F(AuditCliTest, BadUsageIsExitTwo) {
  EXPECT_EQ(coopchain({"audit", "--genesis", genesis_}).exit_code, 2);
  EXPECT_EQ(coopchain({"audit", "--node", cluster_->address(0)}).exit_code, 2);
  EXPECT_EQ(coopchain({"audit", "--genesis", genesis_, "--node", cluster_->address(0), "--data-dir",
                       data_dir(0)})
                .exit_code,
            2);
  EXPECT_EQ(
      coopchain({"audit", "--genesis", genesis_, "--archive", "x", "--threads", "0"}).exit_code, 2);
  CommandResult r = coopchain({"audit", "--genesis", genesis_, "--archive", work_.sub("none")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

// Last: stops the network.
TEST_F(AuditCliTest, ZStoppedNodesDatabasesPassAndATamperedOneFails) {
  // The leader last: stopped first, it would leave the others to elect a new leader, whose
  // first block of its term would put them one block ahead of it.
  const int leader = cluster_->wait_for_leader(std::chrono::seconds(30));
  ASSERT_GE(leader, 0);
  for (int i = 0; i < cluster_->size(); ++i) {
    if (i == leader) continue;
    ASSERT_EQ(cluster_->daemon(i).stop(), 0);
  }
  ASSERT_EQ(cluster_->daemon(leader).stop(), 0);
  std::string head;
  for (int i = 0; i < cluster_->size(); ++i) {
    CommandResult r =
        coopchain({"audit", "--genesis", genesis_, "--data-dir", data_dir(i), "--output", "json"});
    ASSERT_EQ(r.exit_code, 0) << "node " << i << ": " << r.out << r.err;
    const auto report = parse_json(r.out);
    EXPECT_TRUE(report.fields().at("databaseChecked").bool_value());
    const std::string hash =
        report.fields().at("head").struct_value().fields().at("hash").string_value();
    if (i == 0) head = hash;
    EXPECT_EQ(hash, head) << "node " << i << " holds another chain";
  }

  CommandResult r =
      coopchain({"chain", "export", "--out", work_.sub("from-dir.cca"), "--data-dir", data_dir(2)});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(
      coopchain({"audit", "--genesis", genesis_, "--archive", work_.sub("from-dir.cca")}).exit_code,
      0);

  {
    RawStore raw(data_dir(1));
    std::string lot = raw.get("state", "lot/L-7");
    lot[lot.size() / 2] ^= 0x01;
    raw.put("state", "lot/L-7", lot);
  }
  r = coopchain({"audit", "--genesis", genesis_, "--data-dir", data_dir(1)});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("lot/L-7"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace coopchain::testing

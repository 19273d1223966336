// A node whose strand is stalled still answers every query, at once and right, and a client
// that gives up on a submission while the strand is stalled leaves nothing behind that the strand
// could touch once it resumes. Before reads moved off the strand, each query queued a closure
// holding references into its gRPC call onto the strand and waited for it; a query that gave up
// first left the closure to write into a call already gone (a use-after-free). This runs the
// real node and API server in one process, so that the sanitizer build checks it.
#include <gtest/gtest.h>

#include <grpcpp/create_channel.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "coopchain/api/services.h"
#include "coopchain/core/civil_time.h"
#include "coopchain/core/files.h"
#include "coopchain/devnet/devnet.h"
#include "coopchain/node/node.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "coopchain/wire/event_codec.h"
#include "node_impl.h"
#include "temp_dir.h"
#include "test_keys.h"

namespace coopchain {
namespace {

constexpr auto kQueryDeadline = std::chrono::seconds(2);

std::string an_hour_ago() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return format_rfc3339(now.count() - 3'600'000);
}

// Blocks the strand until released (or for 20 s at most).
class StrandStall {
 public:
  void hold(Node& node) {
    NodeTestAccess::post_to_strand(node, [this] {
      std::unique_lock lock(mu_);
      held_ = true;
      cv_.notify_all();
      cv_.wait_for(lock, std::chrono::seconds(20), [this] { return released_; });
    });
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return held_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  bool released_ = false;
};

class StalledStrandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto layout = devnet::write_devnet({dir_.sub("net"), 1, 7700, "stall-test", 0});
    ASSERT_TRUE(layout.ok()) << layout.status().to_string();
    auto config = load_config(layout->nodes[0].config_file);
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    auto node = Node::open(*config);
    ASSERT_TRUE(node.ok()) << node.status().to_string();
    node_ = std::move(node).value();
    api::ApiOptions options;
    options.listen = "127.0.0.1:0";
    auto api = api::ClientApiServer::start(node_->reader(), node_->submitter(), options);
    ASSERT_TRUE(api.ok()) << api.status().to_string();
    api_ = std::move(api).value();
    ASSERT_TRUE(node_->start().ok());
    strand_ = std::thread([this] { node_->run(); });
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(api_->port()),
                                       grpc::InsecureChannelCredentials());
    ledger_ = v1::Ledger::NewStub(channel);
    trace_ = v1::Trace::NewStub(channel);
    node_service_ = v1::Node::NewStub(channel);
    auto pem = read_file(layout->keys_dir + "/coop-1.pem");
    ASSERT_TRUE(pem.ok());
    coop_ = std::make_unique<PrivateKey>(std::move(PrivateKey::from_pem(*pem)).value());
    for (int i = 0; i < 100 && node_->reader().status().role != "LEADER"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(node_->reader().status().role, "LEADER");
  }

  void TearDown() override {
    stall_.release();
    if (node_) node_->stop();
    if (strand_.joinable()) strand_.join();
    if (api_) api_->shutdown();
  }

  v1::SignedTransaction sign(const std::string& event_json) {
    return wire::to_proto(testing::sign_event_json(*coop_, "stall-test", event_json, ++nonce_));
  }

  // Submits and waits for the commit; the transaction id.
  std::string commit(const std::string& event_json) {
    v1::SubmitRequest request;
    *request.mutable_transaction() = sign(event_json);
    request.set_wait(true);
    v1::SubmitResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status st = ledger_->Submit(&context, request, &response);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(response.state(), v1::COMMITTED);
    return response.tx_id();
  }

  static void with_deadline(grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() + kQueryDeadline);
  }

  testing::TempDir dir_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<api::ClientApiServer> api_;
  std::thread strand_;
  StrandStall stall_;
  std::unique_ptr<v1::Ledger::Stub> ledger_;
  std::unique_ptr<v1::Trace::Stub> trace_;
  std::unique_ptr<v1::Node::Stub> node_service_;
  std::unique_ptr<PrivateKey> coop_;
  uint64_t nonce_ = 0;
};

TEST_F(StalledStrandTest, QueriesAreAnsweredWhileTheStrandIsStalled) {
  commit(R"({"registerFarm": {"farmId": "F-1", "plots": [{"plotId": "P-1", "areaM2": 100000,
      "crop": "COFFEE"}]}})");
  const std::string harvest = commit(R"({"harvest": {"lotId": "H-1", "farmId": "F-1",
      "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY", "massG": 100000,
      "harvestedAt": ")" + an_hour_ago() +
                                     R"("}})");

  stall_.hold(*node_);
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 8; ++r) {
    readers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto check = [&](const grpc::Status& st) { (st.ok() ? answered : failed)++; };
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::GetLotRequest req;
          req.set_lot_id("H-1");
          v1::Lot lot;
          check(trace_->GetLot(&c, req, &lot));
          if (lot.mass_g() != 100000) failed++;
        }
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::TraceLotRequest req;
          req.set_lot_id("H-1");
          v1::TraceLotResponse trace;
          check(trace_->TraceLot(&c, req, &trace));
        }
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::ListLotsByFarmRequest req;
          req.set_farm_id("F-1");
          v1::ListLotsByFarmResponse lots;
          check(trace_->ListLotsByFarm(&c, req, &lots));
        }
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::GetTransactionRequest req;
          req.set_tx_id(harvest);
          v1::TransactionInfo info;
          check(ledger_->GetTransaction(&c, req, &info));
          if (info.state() != v1::COMMITTED) failed++;
        }
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::GetHeadRequest req;
          v1::BlockInfo head;
          check(ledger_->GetHead(&c, req, &head));
        }
        {
          grpc::ClientContext c;
          with_deadline(c);
          v1::GetStatusRequest req;
          v1::NodeStatus status;
          check(node_service_->GetStatus(&c, req, &status));
          if (status.height() < 2) failed++;
        }
      }
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(answered.load(), 8 * 10 * 6);
}

TEST_F(StalledStrandTest, ASubmitterThatGivesUpWhileTheStrandIsStalledLeavesNothingBehind) {
  commit(R"({"registerFarm": {"farmId": "F-1", "plots": [{"plotId": "P-1", "areaM2": 100000,
      "crop": "COFFEE"}]}})");
  stall_.hold(*node_);
  // Each is posted onto the stalled strand; each client gives up first.
  std::vector<std::thread> submitters;
  for (int i = 0; i < 8; ++i) {
    v1::SubmitRequest request;
    *request.mutable_transaction() = sign(R"({"harvest": {"lotId": "H-)" + std::to_string(i) +
                                          R"(", "farmId": "F-1", "plotId": "P-1",
        "crop": "COFFEE", "form": "CHERRY", "massG": 1000, "harvestedAt": ")" +
                                          an_hour_ago() + R"("}})");
    request.set_wait(true);
    submitters.emplace_back([this, request] {
      v1::SubmitResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
      grpc::Status st = ledger_->Submit(&context, request, &response);
      EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    });
  }
  for (auto& t : submitters) t.join();
  // The strand resumes and admits them, answering calls that are long gone; then commits.
  stall_.release();
  for (int i = 0; i < 100 && node_->reader().committed()->head().height < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(node_->reader().committed()->head().height, 2u);
}

}  // namespace
}  // namespace coopchain

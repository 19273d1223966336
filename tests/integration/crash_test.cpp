// Transactions acknowledged as committed survive kill -9 of the node at random moments under a
// stream of submissions; after each restart the node is at a block boundary (it starts, which
// means head, state root and certificate agree) and every acknowledged transaction is there.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "coopchain/core/hash.h"
#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

constexpr int kRounds = 5;
constexpr int kClients = 4;

TEST(CrashTest, AcknowledgedTransactionsSurviveKillNine) {
  SingleNodeNetwork net;
  const PrivateKey coop = load_key(net.key("coop-1"));
  const std::string chain_id = chain_id_of(*net.node());
  {
    v1::SubmitResponse response;
    auto farm = sign_event(coop, chain_id, R"({"registerFarm": {"farmId": "F-BIG", "plots": [
        {"plotId": "P-1", "areaM2": 1000000000, "crop": "COFFEE"}]}})");
    ASSERT_TRUE(submit_and_wait(*net.ledger(), farm, &response).ok());
  }
  const std::string harvested_at = days_ago(1);
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> acknowledged;
  std::mutex mu;
  std::atomic<int> next_lot{0};

  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> go{true};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&] {
        auto ledger = net.ledger();
        while (go) {
          const int n = next_lot++;
          auto tx = sign_event(coop, chain_id,
                               R"({"harvest": {"lotId": "L-)" + std::to_string(n) +
                                   R"(", "farmId": "F-BIG", "plotId": "P-1", "crop": "COFFEE",
                                   "form": "CHERRY", "massG": 1000, "harvestedAt": ")" +
                                   harvested_at + R"("}})");
          v1::SubmitResponse response;
          grpc::Status st = submit_and_wait(*ledger, tx, &response, std::chrono::seconds(5));
          if (st.ok() && response.state() == v1::COMMITTED) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.insert(response.tx_id());
          } else if (!st.ok()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 1500));
    net.daemon().kill9();
    go = false;
    for (auto& t : clients) t.join();
    ASSERT_TRUE(net.daemon().start())
        << "the node did not restart after kill -9 in round " << round << ":\n"
        << net.daemon().log();
  }

  ASSERT_GT(acknowledged.size(), 0u) << "no submission was acknowledged; the test proved nothing";
  auto ledger = net.ledger();
  for (const auto& id : acknowledged) {
    grpc::ClientContext ctx;
    v1::GetTransactionRequest request;
    request.set_tx_id(id);
    v1::TransactionInfo info;
    grpc::Status st = ledger->GetTransaction(&ctx, request, &info);
    ASSERT_TRUE(st.ok()) << "acknowledged tx " << id << " is lost: " << st.error_message();
    EXPECT_EQ(info.state(), v1::COMMITTED) << id;
  }
  std::printf("crash test: %zu acknowledged transactions survived %d kill -9 rounds\n",
              acknowledged.size(), kRounds);
  EXPECT_EQ(net.daemon().stop(), 0) << net.daemon().log();
}

}  // namespace
}  // namespace coopchain::testing

// A read storm does not cost the leader its term: ten clients trace a lot with 20,000 ancestors
// against the leader of a 3-node network, over and over for a minute, while a load commits.
// Before queries moved off the consensus strand, ten traces of a 12,000-lot lineage cost the
// leader its term within 40 s.
#include <gtest/gtest.h>

#include <grpcpp/create_channel.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "coopchain/core/civil_time.h"
#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

constexpr int kLineage = 20'000;  // lots in the trace: a harvest and 19,999 splits
constexpr int kTracers = 10;
constexpr auto kStorm = std::chrono::seconds(60);
constexpr auto kWindow = std::chrono::seconds(10);

// A channel that takes the trace's response (several MiB).
std::shared_ptr<grpc::Channel> big_channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

TEST(TraceStorm, TheLeaderKeepsItsTermAndCommitsWhileTenClientsTraceTwentyThousandLots) {
  Cluster cluster(3);
  const int leader = cluster.wait_for_leader(std::chrono::seconds(30));
  ASSERT_GE(leader, 0);
  const PrivateKey coop = load_key(cluster.key("coop-1"));
  auto ledger = cluster.ledger(leader);
  uint64_t nonce = 0;
  auto submit = [&](const std::string& json, bool wait) {
    v1::SubmitRequest request;
    *request.mutable_transaction() = sign_event(coop, cluster.chain_id(), json, ++nonce);
    request.set_wait(wait);
    v1::SubmitResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status st = ledger->Submit(&context, request, &response);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return response;
  };

  // The lineage: each split takes the whole previous lot, a second later than the one before.
  const TimeMs start =
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch() - std::chrono::hours(12))
          .count() *
      1000;
  auto at = [&](int s) { return format_rfc3339(start + int64_t{s} * 1000); };
  submit(R"({"registerFarm": {"farmId": "F-T", "plots": [{"plotId": "P-1",
      "areaM2": 1000000000, "crop": "COFFEE"}]}})",
         true);
  submit(R"({"harvest": {"lotId": "T-0", "farmId": "F-T", "plotId": "P-1", "crop": "COFFEE",
      "form": "CHERRY", "massG": 1000000, "harvestedAt": ")" +
             at(0) + R"("}})",
         false);
  std::string last;
  for (int i = 1; i < kLineage; ++i) {
    last = submit(R"({"processing": {"outputLotId": "T-)" + std::to_string(i) +
                      R"(", "inputs": [{"lotId": "T-)" + std::to_string(i - 1) +
                      R"(", "massG": 1000000}], "step": "SPLIT", "outputForm": "CHERRY",
                      "outputMassG": 1000000, "processedAt": ")" +
                      at(i) + R"("}})",
                  /*wait=*/i == kLineage - 1)
               .tx_id();
  }
  const std::string deepest = "T-" + std::to_string(kLineage - 1);
  const uint64_t term = cluster.status(leader)->term();

  std::atomic<bool> go{true};
  std::atomic<int> traces{0}, short_traces{0}, trace_errors{0};
  std::vector<std::thread> tracers;
  for (int t = 0; t < kTracers; ++t) {
    tracers.emplace_back([&] {
      auto trace = v1::Trace::NewStub(big_channel(cluster.address(leader)));
      while (go) {
        v1::TraceLotRequest request;
        request.set_lot_id(deepest);
        request.set_max_lots(kLineage);
        v1::TraceLotResponse response;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        grpc::Status st = trace->TraceLot(&context, request, &response);
        if (!st.ok()) {
          if (st.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) ++trace_errors;
        } else if (response.lots_size() == kLineage) {
          ++traces;
        } else {
          ++short_traces;
        }
      }
    });
  }
  // The load: harvests with wait, to the leader, counted per window.
  std::mutex mu;
  std::vector<int> committed_per_window(kStorm / kWindow, 0);
  const auto storm_start = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto writer = cluster.ledger(leader);
      for (int n = 0; go; ++n) {
        v1::SubmitRequest request;
        *request.mutable_transaction() = sign_event(
            coop, cluster.chain_id(),
            R"({"harvest": {"lotId": "W-)" + std::to_string(w) + "-" + std::to_string(n) +
                R"(", "farmId": "F-T", "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY",
                "massG": 1000, "harvestedAt": ")" +
                at(0) + R"("}})");
        request.set_wait(true);
        v1::SubmitResponse response;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        if (writer->Submit(&context, request, &response).ok() &&
            response.state() == v1::COMMITTED) {
          const auto window =
              static_cast<size_t>((std::chrono::steady_clock::now() - storm_start) / kWindow);
          std::lock_guard lock(mu);
          if (window < committed_per_window.size()) ++committed_per_window[window];
        }
      }
    });
  }
  // Every node's view of the term and the leader, twice a second.
  std::set<uint64_t> terms;
  std::set<std::string> leaders;
  while (std::chrono::steady_clock::now() - storm_start < kStorm) {
    for (int i = 0; i < cluster.size(); ++i) {
      if (auto st = cluster.status(i)) {
        terms.insert(st->term());
        if (!st->leader().empty()) leaders.insert(st->leader());
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  go = false;
  for (auto& t : tracers) t.join();
  for (auto& t : writers) t.join();

  EXPECT_EQ(terms, std::set<uint64_t>{term}) << "the term changed during the storm";
  EXPECT_EQ(leaders, std::set<std::string>{cluster.node_id(leader)});
  EXPECT_GT(traces.load(), kTracers) << "the storm traced too little to prove anything";
  EXPECT_EQ(short_traces.load(), 0);
  EXPECT_EQ(trace_errors.load(), 0);
  for (size_t w = 0; w < committed_per_window.size(); ++w) {
    EXPECT_GT(committed_per_window[w], 0) << "nothing committed in window " << w;
  }
  std::cout << "traces " << traces << ", committed per 10 s:";
  for (int c : committed_per_window) std::cout << " " << c;
  std::cout << "\n";
}

}  // namespace
}  // namespace coopchain::testing

// submit_bench: committed events per second and submit-to-commit latency (Submit with wait)
// against running nodes. N client threads submit distinct harvests to one farm until
// `--events` have been answered, then print the figures. With several nodes (--node A,B,C)
// client i talks to node i mod n: followers forward to the leader. Bounded: it stops by itself
// after
// --events submissions or --max-seconds.
#include <grpcpp/create_channel.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "coopchain/wire/event_codec.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = coopchain::v1;

struct Options {
  std::string node = "127.0.0.1:7700";
  std::string key;
  int clients = 32;
  int events = 5000;
  int max_seconds = 120;
};

int usage() {
  std::cerr
      << "usage: submit_bench --key COOP_KEY.pem [--node HOST:PORT[,HOST:PORT...]] [--clients N]"
         " [--events N] [--max-seconds S]\n";
  return 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

v1::SignedTransaction sign(const coopchain::PrivateKey& key, const std::string& chain_id,
                           const std::string& json) {
  auto events = coopchain::wire::events_from_json(json);
  if (!events.ok()) {
    std::cerr << "submit_bench: " << events.status().to_string() << "\n";
    std::exit(1);
  }
  const std::string payload =
      coopchain::wire::encode_payload(chain_id, key.public_key(), 0, events->front());
  v1::SignedTransaction tx;
  tx.set_payload(payload);
  tx.set_signature(key.sign(payload));
  return tx;
}

grpc::Status submit(v1::Ledger::Stub& ledger, const v1::SignedTransaction& tx,
                    v1::SubmitResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubmitRequest request;
  *request.mutable_transaction() = tx;
  request.set_wait(true);
  return ledger.Submit(&ctx, request, response);
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    if (a == "--node")
      o.node = argv[++i];
    else if (a == "--key")
      o.key = argv[++i];
    else if (a == "--clients")
      o.clients = std::stoi(argv[++i]);
    else if (a == "--events")
      o.events = std::stoi(argv[++i]);
    else if (a == "--max-seconds")
      o.max_seconds = std::stoi(argv[++i]);
    else
      return usage();
  }
  if (o.key.empty() || o.clients < 1 || o.events < 1) return usage();
  auto key = coopchain::PrivateKey::from_pem(read_file(o.key));
  if (!key.ok()) {
    std::cerr << "submit_bench: " << o.key << ": " << key.status().to_string() << "\n";
    return 1;
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (size_t from = 0; from <= o.node.size();) {
    const size_t comma = std::min(o.node.find(',', from), o.node.size());
    channels.push_back(
        grpc::CreateChannel(o.node.substr(from, comma - from), grpc::InsecureChannelCredentials()));
    from = comma + 1;
  }
  auto channel = channels.front();
  auto node = v1::Node::NewStub(channel);
  v1::NodeStatus status;
  {
    grpc::ClientContext ctx;
    auto st = node->GetStatus(&ctx, v1::GetStatusRequest(), &status);
    if (!st.ok()) {
      std::cerr << "submit_bench: node " << o.node << " unavailable: " << st.error_message()
                << "\n";
      return 1;
    }
  }
  const std::string chain_id = status.chain_id();
  // A unique farm per run, large enough that no harvest trips the yield cap.
  const std::string farm =
      "BENCH-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  {
    auto ledger = v1::Ledger::NewStub(channel);
    v1::SubmitResponse response;
    auto st = submit(*ledger,
                     sign(*key, chain_id,
                          R"({"registerFarm": {"farmId": ")" + farm +
                              R"(", "farmerRef": "bench", "plots": [
        {"plotId": "P-1", "areaM2": 1000000000, "crop": "COFFEE"}]}})"),
                     &response);
    if (!st.ok()) {
      std::cerr << "submit_bench: cannot register the bench farm: " << st.error_message() << "\n";
      return 1;
    }
  }
  const std::string harvested_at =
      coopchain::format_rfc3339((std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()) -
                                 std::chrono::hours(24))
                                    .count() /
                                1000 * 1000);

  // Sign everything up front so that the measurement is of the node, not of the client.
  std::vector<v1::SignedTransaction> txs;
  txs.reserve(static_cast<size_t>(o.events));
  for (int i = 0; i < o.events; ++i) {
    txs.push_back(sign(*key, chain_id,
                       R"({"harvest": {"lotId": ")" + farm + "-L" + std::to_string(i) +
                           R"(", "farmId": ")" + farm +
                           R"(", "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY",)"
                           R"( "massG": 1000, "harvestedAt": ")" +
                           harvested_at + R"("}})"));
  }
  std::atomic<int> next{0};
  std::atomic<int> committed{0};
  std::atomic<int> failed{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(o.max_seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back([&, c] {
      auto ledger = v1::Ledger::NewStub(channels[static_cast<size_t>(c) % channels.size()]);
      std::vector<double> mine;
      while (Clock::now() < deadline) {
        const int i = next++;
        if (i >= o.events) break;
        const auto t0 = Clock::now();
        v1::SubmitResponse response;
        auto st = submit(*ledger, txs[static_cast<size_t>(i)], &response);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (st.ok() && response.state() == v1::COMMITTED) {
          ++committed;
          mine.push_back(ms);
        } else {
          ++failed;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::printf("clients %d, events %d, committed %d, failed %d, %.2f s\n", o.clients, o.events,
              committed.load(), failed.load(), seconds);
  std::printf("committed events/s: %.0f\n", committed.load() / seconds);
  std::printf("submit-to-commit latency ms: p50 %.1f  p99 %.1f  max %.1f\n",
              percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.99),
              latencies_ms.empty() ? 0.0 : latencies_ms.back());
  return failed.load() == 0 ? 0 : 1;
}

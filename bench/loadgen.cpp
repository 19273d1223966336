// loadgen: committed writes per second and submit-to-commit latency against a running cluster,
// either coopchain or etcd, with the same client model for both: N client threads, each with its
// own connection to node (i mod n), each sending one write at a time and waiting for it to be
// committed; only acknowledged commits count.
//
//   coopchain: signed harvests (payloads of about 256 bytes, every one a new lot) submitted with
//              Ledger.Submit(wait) — acknowledged when the answer is COMMITTED;
//   etcd:      KV.Put of 256-byte values under distinct keys — acknowledged when the Put returns
//              (etcd answers a put once a majority has it in its log and it is applied).
//
// With --pids it also reports the CPU seconds the node processes used during the run (from
// /proc/PID/stat) and each one's peak resident memory (VmHWM). Bounded: it stops after --writes
// answers or --max-seconds. The last line is machine-readable for scripts:
//   RESULT target=... committed=... seconds=... per_second=... p50_ms=... p99_ms=... p999_ms=...
//          cpu_s=... peak_rss_mib=A,B,C
#include <grpcpp/create_channel.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/rpc_runtime/rpc_runtime.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "coopchain/wire/event_codec.h"
#include "etcdserverpb/kv.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = coopchain::v1;

constexpr size_t kEtcdValueBytes = 256;

struct Options {
  std::string target = "coopchain";
  std::vector<std::string> endpoints = {"127.0.0.1:7700"};
  std::string key;  // coopchain: the signing key of a cooperative
  int clients = 32;
  int writes = 5000;
  int max_seconds = 120;
  std::vector<int> pids;
};

int usage() {
  std::cerr << "usage: loadgen [--target coopchain|etcd] [--node HOST:PORT[,HOST:PORT...]]\n"
               "               [--key COOP_KEY.pem] [--clients N] [--events N] [--max-seconds S]\n"
               "               [--pids PID[,PID...]]\n"
               "  --key is required for coopchain; --events is the number of writes.\n";
  return 2;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- What the nodes used ---------------------------------------------------------------------

// utime + stime of a process in seconds; -1 when it cannot be read.
double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  // The command name (field 2) may hold spaces; the fields after it follow its ')'.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Peak resident set size in MiB; -1 when it cannot be read.
double peak_rss_mib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

// ---- The two targets -------------------------------------------------------------------------

// One client's way of making one write and waiting for its commit.
class Writer {
 public:
  virtual ~Writer() = default;
  // Empty when the write was acknowledged as committed; else why not.
  virtual std::string write(size_t index) = 0;
};

class CoopchainWriter final : public Writer {
 public:
  CoopchainWriter(std::shared_ptr<grpc::Channel> channel,
                  const std::vector<v1::SignedTransaction>& txs)
      : ledger_(v1::Ledger::NewStub(std::move(channel))), txs_(txs) {}

  std::string write(size_t index) override {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.set_wait_for_ready(true);
    v1::SubmitRequest request;
    *request.mutable_transaction() = txs_[index];
    request.set_wait(true);
    v1::SubmitResponse response;
    const grpc::Status st = ledger_->Submit(&ctx, request, &response);
    if (!st.ok()) return st.error_message();
    if (response.state() != v1::COMMITTED) return "answered " + v1::TxState_Name(response.state());
    return {};
  }

 private:
  std::unique_ptr<v1::Ledger::Stub> ledger_;
  const std::vector<v1::SignedTransaction>& txs_;
};

class EtcdWriter final : public Writer {
 public:
  EtcdWriter(std::shared_ptr<grpc::Channel> channel, std::string prefix)
      : kv_(etcdserverpb::KV::NewStub(std::move(channel))), prefix_(std::move(prefix)) {}

  std::string write(size_t index) override {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.set_wait_for_ready(true);
    etcdserverpb::PutRequest request;
    request.set_key(prefix_ + std::to_string(index));
    std::string value(kEtcdValueBytes, 'v');
    const std::string tag = std::to_string(index);
    value.replace(0, tag.size(), tag);
    request.set_value(std::move(value));
    etcdserverpb::PutResponse response;
    const grpc::Status st = kv_->Put(&ctx, request, &response);
    return st.ok() ? std::string()
                   : "gRPC code " + std::to_string(st.error_code()) + ": " + st.error_message();
  }

 private:
  std::unique_ptr<etcdserverpb::KV::Stub> kv_;
  std::string prefix_;
};

// Registers a farm and signs `count` harvests on it, each a new lot, padded so that a payload
// is about 256 bytes. Signed before the run so that the measurement is of the nodes.
bool prepare_coopchain(const Options& o, const std::shared_ptr<grpc::Channel>& channel,
                       std::vector<v1::SignedTransaction>* txs, size_t* payload_bytes) {
  auto key = coopchain::PrivateKey::from_pem(read_file(o.key));
  if (!key.ok()) {
    std::cerr << "loadgen: " << o.key << ": " << key.status().to_string() << "\n";
    return false;
  }
  auto node = v1::Node::NewStub(channel);
  v1::NodeStatus status;
  grpc::ClientContext status_ctx;
  if (auto st = node->GetStatus(&status_ctx, v1::GetStatusRequest(), &status); !st.ok()) {
    std::cerr << "loadgen: node " << o.endpoints.front() << " unavailable: " << st.error_message()
              << "\n";
    return false;
  }
  auto sign = [&](const std::string& json) {
    auto events = coopchain::wire::events_from_json(json);
    if (!events.ok()) {
      std::cerr << "loadgen: " << events.status().to_string() << "\n";
      std::exit(1);
    }
    const std::string payload =
        coopchain::wire::encode_payload(status.chain_id(), key->public_key(), 0, events->front());
    v1::SignedTransaction tx;
    tx.set_payload(payload);
    tx.set_signature(key->sign(payload));
    return tx;
  };
  // A farm per run, large enough that no harvest trips the yield cap.
  const std::string farm =
      "LOADGEN-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::SubmitRequest request;
    *request.mutable_transaction() =
        sign(R"({"registerFarm": {"farmId": ")" + farm + R"(", "farmerRef": "loadgen", "plots": [
        {"plotId": "plot-01-north-slope-block-a", "areaM2": 1000000000, "crop": "COFFEE"}]}})");
    request.set_wait(true);
    v1::SubmitResponse response;
    auto st = v1::Ledger::NewStub(channel)->Submit(&ctx, request, &response);
    if (!st.ok() || response.state() != v1::COMMITTED) {
      std::cerr << "loadgen: cannot register the farm: " << st.error_message() << "\n";
      return false;
    }
  }
  const std::string harvested_at =
      coopchain::format_rfc3339((std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()) -
                                 std::chrono::hours(24))
                                    .count() /
                                1000 * 1000);
  txs->reserve(static_cast<size_t>(o.writes));
  size_t bytes = 0;
  for (int i = 0; i < o.writes; ++i) {
    txs->push_back(sign(R"({"harvest": {"lotId": ")" + farm +
                        "-harvest-2026-main-crop-cherry-picked-by-hand-at-first-light-sorted-lot-" +
                        std::to_string(i) + R"(", "farmId": ")" + farm +
                        R"(", "plotId": "plot-01-north-slope-block-a", "crop": "COFFEE",)"
                        R"( "form": "CHERRY",)"
                        R"( "massG": 1000, "harvestedAt": ")" +
                        harvested_at + R"("}})"));
    bytes += txs->back().payload().size();
  }
  *payload_bytes = o.writes > 0 ? bytes / static_cast<size_t>(o.writes) : 0;
  return true;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  coopchain::rpc_runtime::configure();
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    if (a == "--target") {
      o.target = v;
    } else if (a == "--node") {
      o.endpoints = split(v);
    } else if (a == "--key") {
      o.key = v;
    } else if (a == "--clients") {
      o.clients = std::stoi(v);
    } else if (a == "--events") {
      o.writes = std::stoi(v);
    } else if (a == "--max-seconds") {
      o.max_seconds = std::stoi(v);
    } else if (a == "--pids") {
      for (const auto& p : split(v)) o.pids.push_back(std::stoi(p));
    } else {
      return usage();
    }
  }
  const bool etcd = o.target == "etcd";
  if ((!etcd && o.target != "coopchain") || (!etcd && o.key.empty()) || o.clients < 1 ||
      o.writes < 1 || o.endpoints.empty()) {
    return usage();
  }

  // One connection per client, so that no client waits behind another's stream. Writes wait for
  // their connection to be ready (wait_for_ready): a connect that fails once while a hundred
  // start at the same moment is retried instead of failing every write that follows it.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < o.clients; ++c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(
        grpc::CreateCustomChannel(o.endpoints[static_cast<size_t>(c) % o.endpoints.size()],
                                  grpc::InsecureChannelCredentials(), args));
  }
  std::vector<v1::SignedTransaction> txs;
  size_t payload_bytes = kEtcdValueBytes;
  if (!etcd && !prepare_coopchain(o, channels.front(), &txs, &payload_bytes)) return 1;
  const std::string etcd_prefix =
      "loadgen/" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
      "/";

  std::vector<double> cpu_before;
  for (int pid : o.pids) cpu_before.push_back(cpu_seconds(pid));
  std::atomic<int> next{0};
  std::atomic<int> committed{0};
  std::atomic<int> failed{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  // The same latencies by the node each client talks to: a leader answers its own clients a
  // round trip sooner than a follower can, so the tails of the two differ.
  std::vector<std::vector<double>> latencies_by_node(o.endpoints.size());
  std::string first_failure;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(o.max_seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back([&, c] {
      std::unique_ptr<Writer> writer;
      if (etcd) {
        writer = std::make_unique<EtcdWriter>(channels[static_cast<size_t>(c)], etcd_prefix);
      } else {
        writer = std::make_unique<CoopchainWriter>(channels[static_cast<size_t>(c)], txs);
      }
      std::vector<double> mine;
      while (Clock::now() < deadline) {
        const int i = next++;
        if (i >= o.writes) break;
        const auto t0 = Clock::now();
        const std::string failure = writer->write(static_cast<size_t>(i));
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (failure.empty()) {
          ++committed;
          mine.push_back(ms);
        } else if (++failed == 1) {
          std::lock_guard<std::mutex> lock(mu);
          first_failure = failure;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      auto& by_node = latencies_by_node[static_cast<size_t>(c) % o.endpoints.size()];
      by_node.insert(by_node.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = 0;
  std::string rss;
  for (size_t i = 0; i < o.pids.size(); ++i) {
    cpu += cpu_seconds(o.pids[i]) - cpu_before[i];
    char one[32];
    std::snprintf(one, sizeof one, "%s%.0f", i == 0 ? "" : ",", peak_rss_mib(o.pids[i]));
    rss += one;
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double per_second = committed.load() / seconds;
  const double p50 = percentile(latencies_ms, 0.50);
  const double p99 = percentile(latencies_ms, 0.99);
  const double p999 = percentile(latencies_ms, 0.999);
  std::printf(
      "target %s: clients %d, writes %d (about %zu bytes each), committed %d, failed %d, "
      "%.2f s\n",
      o.target.c_str(), o.clients, o.writes, payload_bytes, committed.load(), failed.load(),
      seconds);
  if (!first_failure.empty()) std::printf("first failure: %s\n", first_failure.c_str());
  std::printf("committed writes/s: %.0f\n", per_second);
  std::printf("submit-to-commit latency ms: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n", p50, p99,
              p999, latencies_ms.empty() ? 0.0 : latencies_ms.back());
  if (o.endpoints.size() > 1) {
    for (size_t n = 0; n < o.endpoints.size(); ++n) {
      auto& sorted = latencies_by_node[n];
      std::sort(sorted.begin(), sorted.end());
      std::printf("  clients of %s: %zu writes, p50 %.1f  p99 %.1f  p99.9 %.1f ms\n",
                  o.endpoints[n].c_str(), sorted.size(), percentile(sorted, 0.50),
                  percentile(sorted, 0.99), percentile(sorted, 0.999));
    }
  }
  if (!o.pids.empty()) {
    std::printf("node CPU seconds: %.1f (%.2f ms per committed write); peak RSS MiB: %s\n", cpu,
                committed.load() > 0 ? cpu * 1000 / committed.load() : 0.0, rss.c_str());
  }
  std::printf(
      "RESULT target=%s committed=%d seconds=%.2f per_second=%.0f p50_ms=%.1f "
      "p99_ms=%.1f p999_ms=%.1f cpu_s=%.1f peak_rss_mib=%s\n",
      o.target.c_str(), committed.load(), seconds, per_second, p50, p99, p999, cpu,
      rss.empty() ? "-" : rss.c_str());
  return failed.load() == 0 ? 0 : 1;
}

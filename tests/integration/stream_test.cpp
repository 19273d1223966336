// Ledger.StreamBlocks holds no thread per stream, caps how many run at once, and wakes the
// streams waiting at the head when a block commits.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "harness.h"

namespace coopchain::testing {
namespace {

// A line of /proc/PID/status ("Threads", "VmRSS"), as a number.
uint64_t proc_status(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
  }
  return 0;
}

// 2,000 streams waiting at the head once cost 2,023 threads and 170 MiB never returned.
TEST(StreamTest, StreamsAtTheHeadHoldNoThreadAndPastTheCapAreRefused) {
  SingleNodeNetwork net;
  const pid_t pid = net.daemon().pid();
  const uint64_t threads_before = proc_status(pid, "Threads");
  const uint64_t head = std::stoull(net.head().substr(0, net.head().find(' ')));

  constexpr int kStreams = 300;  // the default cap is 256
  auto stub =
      v1::Ledger::NewStub(grpc::CreateChannel(net.address(), grpc::InsecureChannelCredentials()));
  grpc::CompletionQueue cq;
  struct Call {
    grpc::ClientContext context;
    v1::BlockInfo block;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncReader<v1::BlockInfo>> reader;
    int pending = 0;  // operations started and not yet returned by the queue
  };
  std::vector<std::unique_ptr<Call>> calls;
  enum Op : intptr_t { kStart = 0, kRead = 1, kFinish = 2 };
  auto tag = [](int i, Op op) {
    return reinterpret_cast<void*>(static_cast<intptr_t>(i) * 4 + op);
  };
  v1::StreamBlocksRequest request;
  request.set_from_height(head + 1);
  for (int i = 0; i < kStreams; ++i) {
    calls.push_back(std::make_unique<Call>());
    Call& c = *calls.back();
    c.reader = stub->AsyncStreamBlocks(&c.context, request, &cq, tag(i, kStart));
    c.pending = 1;
  }
  int refused = 0, started = 0, blocks = 0, finished = 0;
  // Drains the queue until `done` holds or the deadline passes, reading again after each block
  // and finishing each stream whose read fails.
  auto drain = [&](const std::function<bool()>& done, std::chrono::seconds within) {
    const auto deadline = std::chrono::system_clock::now() + within;
    void* got = nullptr;
    bool ok = false;
    while (!done()) {
      if (cq.AsyncNext(&got, &ok, deadline) != grpc::CompletionQueue::GOT_EVENT) return;
      const auto n = reinterpret_cast<intptr_t>(got);
      Call& c = *calls[static_cast<size_t>(n / 4)];
      --c.pending;
      switch (static_cast<Op>(n % 4)) {
        case kStart:
          ++started;
          [[fallthrough]];
        case kRead:
          if (ok && n % 4 == kRead) ++blocks;
          if (ok) {
            c.reader->Read(&c.block, tag(static_cast<int>(n / 4), kRead));
          } else {
            c.reader->Finish(&c.status, tag(static_cast<int>(n / 4), kFinish));
          }
          ++c.pending;
          break;
        case kFinish:
          ++finished;
          if (c.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++refused;
          break;
      }
    }
  };
  drain([&] { return refused >= kStreams - 256; }, std::chrono::seconds(20));
  EXPECT_EQ(refused, kStreams - 256);
  const uint64_t threads_waiting = proc_status(pid, "Threads");
  std::cout << "node threads: " << threads_before << " before, " << threads_waiting
            << " with 256 streams waiting; VmRSS " << proc_status(pid, "VmRSS") << " kB\n";
  EXPECT_LT(threads_waiting, threads_before + 32) << "a thread per stream";

  // A commit wakes every waiting stream.
  CommandResult farm = net.submit(R"({"registerFarm": {"farmId": "F-S", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})",
                                  "coop-1");
  ASSERT_EQ(farm.exit_code, 0) << farm.err;
  drain([&] { return blocks >= 256; }, std::chrono::seconds(20));
  EXPECT_EQ(blocks, 256);

  for (auto& c : calls) c->context.TryCancel();
  drain([&] { return finished == kStreams; }, std::chrono::seconds(20));
  EXPECT_EQ(finished, kStreams);
  cq.Shutdown();
  void* got = nullptr;
  bool ok = false;
  while (cq.Next(&got, &ok)) {
  }
  EXPECT_EQ(net.daemon().stop(), 0) << net.daemon().log();
}

}  // namespace
}  // namespace coopchain::testing

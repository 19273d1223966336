// crypto_bench: how many Ed25519 verifications, signatures and SHA-256 hashes of a typical
// transaction payload (300 bytes) this machine does per second, on one thread and on every core.
// The verification rate bounds what any node or audit can do per core.
// Usage: crypto_bench [--seconds S]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"

namespace {

using Clock = std::chrono::steady_clock;

// Runs `op` on `threads` threads for `seconds` and returns operations per second.
template <typename Op>
double rate(unsigned threads, double seconds, Op op) {
  std::atomic<bool> go{true};
  std::atomic<uint64_t> total{0};
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      uint64_t n = 0;
      while (go.load(std::memory_order_relaxed)) {
        op();
        ++n;
      }
      total += n;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  go = false;
  for (auto& w : workers) w.join();
  return static_cast<double>(total) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
  }
  auto key = coopchain::PrivateKey::generate();
  if (!key.ok()) return 1;
  const std::string message(300, 'm');
  const std::string signature = key->sign(message);
  const std::string public_key = key->public_key();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  volatile bool sink = true;

  auto verify = [&] { sink = coopchain::verify_signature(public_key, message, signature); };
  auto sign = [&] { sink = !key->sign(message).empty(); };
  auto hash = [&] { sink = coopchain::sha256(message)[0] != 1; };
  std::printf("machine: %u cores\n", cores);
  std::printf("ed25519 verify  1 thread: %8.0f /s   %u threads: %8.0f /s\n",
              rate(1, seconds, verify), cores, rate(cores, seconds, verify));
  std::printf("ed25519 sign    1 thread: %8.0f /s\n", rate(1, seconds, sign));
  std::printf("sha256 (300 B)  1 thread: %8.0f /s\n", rate(1, seconds, hash));
  return sink ? 0 : 0;
}

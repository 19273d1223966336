#include "read_limits.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

namespace coopchain::api {
namespace {

// Nice values weigh CPU shares about 1.25x per step: at 10 a query thread gets about a tenth of
// what the strand gets when both want the CPU, and all of it when the strand is idle.
constexpr int kQueryNice = 10;

}  // namespace

void run_at_query_priority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  // Per thread on Linux: the "process" of PRIO_PROCESS is a thread id. Raising one's own nice
  // value needs no privilege; failing to is harmless.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kQueryNice);
}

std::optional<HeavyQueryGate::Ticket> HeavyQueryGate::enter(
    std::chrono::system_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (!freed_.wait_until(lock, deadline, [this] { return free_ > 0; })) return std::nullopt;
  --free_;
  return Ticket(*this);
}

void HeavyQueryGate::leave() {
  {
    std::lock_guard lock(mu_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace coopchain::api

// A clock shim for the clock fault tests, loaded with LD_PRELOAD into a coopchaind: the wall
// clock (CLOCK_REALTIME, gettimeofday, time) runs some seconds off (negative: behind), from
// COOPCHAIN_CLOCK_SHIFT_S, or from the number in the file COOPCHAIN_CLOCK_SHIFT_FILE names (read
// again every 100 ms, so a test can make a running node's clock jump; no file: no shift).
// Monotonic clocks are left alone. It calls the kernel directly and allocates nothing, so it
// works under any allocator (libfaketime deadlocks in jemalloc's start-up).
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <ctime>

namespace {

std::atomic<long> file_shift{0};
std::atomic<long> file_read_at_ms{-1'000'000};

long monotonic_ms() {
  timespec ts{};
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1'000'000;
}

long read_shift_file(const char* path) {
  char text[32] = {};
  const int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
  if (fd < 0) return 0;
  const long n = syscall(SYS_read, fd, text, sizeof text - 1);
  syscall(SYS_close, fd);
  return n > 0 ? std::strtol(text, nullptr, 10) : 0;
}

long shift_seconds() {
  if (const char* path = std::getenv("COOPCHAIN_CLOCK_SHIFT_FILE")) {
    const long now = monotonic_ms();
    if (now - file_read_at_ms.load(std::memory_order_relaxed) >= 100) {
      file_shift.store(read_shift_file(path), std::memory_order_relaxed);
      file_read_at_ms.store(now, std::memory_order_relaxed);
    }
    return file_shift.load(std::memory_order_relaxed);
  }
  const char* value = std::getenv("COOPCHAIN_CLOCK_SHIFT_S");
  return value != nullptr ? std::strtol(value, nullptr, 10) : 0;
}

bool is_wall_clock(clockid_t clock) {
  return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
}

}  // namespace

extern "C" {

int clock_gettime(clockid_t clock, timespec* ts) noexcept {
  const int rc = static_cast<int>(syscall(SYS_clock_gettime, clock, ts));
  if (rc == 0 && ts != nullptr && is_wall_clock(clock)) ts->tv_sec += shift_seconds();
  return rc;
}

int gettimeofday(timeval* tv, void*) noexcept {
  timespec ts{};
  const int rc = clock_gettime(CLOCK_REALTIME, &ts);
  if (rc == 0 && tv != nullptr) {
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
  }
  return rc;
}

time_t time(time_t* out) noexcept {
  timespec ts{};
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return static_cast<time_t>(-1);
  if (out != nullptr) *out = ts.tv_sec;
  return ts.tv_sec;
}

}  // extern "C"

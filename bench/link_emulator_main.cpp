// link_emulator: a long, unreliable link between two loopback ports, as a process for the
// benchmarks that run real nodes (tests/support/link_emulator.h says what it does to TCP).
//   link_emulator --port P --target-port Q --rtt-ms R [--jitter-ms J] [--bytes-per-s B]
//                 [--flap DOWN/PERIOD]
// relays 127.0.0.1:P to 127.0.0.1:Q with round trip R; --flap 10/30 takes the link down for 10 s
// of every 30. SIGUSR1 takes it down, SIGUSR2 brings it back. Runs until SIGTERM or SIGINT.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "link_emulator.h"

namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_cut = 0;      // SIGUSR1 asked for the link to go down
volatile sig_atomic_t g_restore = 0;  // SIGUSR2 asked for it back

void on_signal(int signal) {
  if (signal == SIGUSR1) {
    g_cut = 1;
  } else if (signal == SIGUSR2) {
    g_restore = 1;
  } else {
    g_stop = 1;
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: link_emulator --port P --target-port Q --rtt-ms R [--jitter-ms J] "
               "[--bytes-per-s B] [--flap DOWN_S/PERIOD_S]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, target = 0;
  coopchain::testing::LinkShape shape;
  int flap_down = 0, flap_period = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") {
      port = std::atoi(value);
    } else if (flag == "--target-port") {
      target = std::atoi(value);
    } else if (flag == "--rtt-ms") {
      shape.round_trip = std::chrono::milliseconds(std::atoi(value));
    } else if (flag == "--jitter-ms") {
      shape.jitter = std::chrono::milliseconds(std::atoi(value));
    } else if (flag == "--bytes-per-s") {
      shape.bytes_per_second = std::strtoull(value, nullptr, 10);
    } else if (flag == "--flap") {
      if (std::sscanf(value, "%d/%d", &flap_down, &flap_period) != 2 || flap_down <= 0 ||
          flap_period <= flap_down) {
        return usage();
      }
    } else {
      return usage();
    }
  }
  if (port <= 0 || target <= 0 || argc % 2 == 0) return usage();
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGUSR1, on_signal);
  signal(SIGUSR2, on_signal);
  coopchain::testing::LinkEmulator link(target, shape, port);
  const auto start = std::chrono::steady_clock::now();
  bool down = false;
  while (!g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (g_cut) {
      g_cut = 0;
      link.cut();
    }
    if (g_restore) {
      g_restore = 0;
      link.restore();
    }
    if (flap_period == 0) continue;
    const auto s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    // Up for the first PERIOD - DOWN seconds of each period, then down.
    const bool should_be_down = s % flap_period >= flap_period - flap_down;
    if (should_be_down != down) {
      down = should_be_down;
      down ? link.cut() : link.restore();
    }
  }
  return 0;
}

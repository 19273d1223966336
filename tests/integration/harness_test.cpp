// The harness's own promises, on which every multi-process test leans.
#include "harness.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <set>

namespace coopchain::testing {
namespace {

// The ten-port slots of the n nodes based at `base`.
std::set<uint16_t> slots(uint16_t base, int nodes) {
  std::set<uint16_t> out;
  for (int i = 0; i < nodes; ++i) out.insert(static_cast<uint16_t>(base + 10 * i));
  return out;
}

TEST(Harness, PortsGivenToOneNetworkAreGivenToNoOther) {
  // A hundred six-node networks in about 1,200 slots: drawn at random without the claim, two of
  // them would share a slot almost surely.
  std::set<uint16_t> given;
  for (int n = 0; n < 100; ++n) {
    const uint16_t base = free_base_port(6);
    ASSERT_NE(base, 0) << "after " << n << " networks";
    EXPECT_LT(base + 52, 32768) << "below the kernel's ephemeral ports";
    for (uint16_t slot : slots(base, 6)) EXPECT_TRUE(given.insert(slot).second) << slot;
  }

  // Another test process is never given them either.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    for (int n = 0; n < 50; ++n) {
      const uint16_t base = free_base_port(6);
      if (::write(pipe_fds[1], &base, sizeof base) != sizeof base) ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  uint16_t base = 0;
  int received = 0;
  while (::read(pipe_fds[0], &base, sizeof base) == sizeof base) {
    ++received;
    ASSERT_NE(base, 0);
    for (uint16_t slot : slots(base, 6)) EXPECT_EQ(given.count(slot), 0u) << slot;
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(received, 50);
}

}  // namespace
}  // namespace coopchain::testing

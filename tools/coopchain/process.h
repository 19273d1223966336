// Starting and stopping coopchaind processes for `devnet up` / `devnet down`: locating the
// daemon binary, spawning it detached with its output in a log file, and pid-file bookkeeping.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "coopchain/core/status.h"

namespace coopchain::cli {

// The coopchaind to run: `explicit_path` when given; else one next to this executable, then
// ../../src/daemon/coopchaind relative to it (the build tree), then the first on PATH.
Result<std::string> find_coopchaind(const std::string& explicit_path);

// Starts `daemon --config config_file` in its own session, stdin from /dev/null, stdout and
// stderr appended to log_file. Returns its pid.
Result<pid_t> spawn_daemon(const std::string& daemon, const std::string& config_file,
                           const std::string& log_file);

// True while `pid` names a live coopchaind process (not a zombie, not a reused pid).
bool is_coopchaind_running(pid_t pid);

// If `pid` is our own child that has exited, reaps it and returns true.
bool reap_if_exited(pid_t pid);

std::optional<pid_t> read_pid_file(const std::string& path);
Status write_pid_file(const std::string& path, pid_t pid);

// True once the process has ended (reaping it when it is our own child).
bool process_gone(pid_t pid);
// Polls until the process has ended or `deadline` passes; true when it ended.
bool wait_until_gone(pid_t pid, std::chrono::steady_clock::time_point deadline);

}  // namespace coopchain::cli

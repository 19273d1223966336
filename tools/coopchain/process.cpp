// Process control for the devnet verbs. Linux only: it reads /proc.
#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace coopchain::cli {
namespace fs = std::filesystem;

namespace {

bool is_executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// The process state letter from /proc/<pid>/stat ('R', 'S', 'Z', ...), or '\0' when gone.
char process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return '\0';
  // The command name is in parentheses and may hold spaces; the state follows the last ')'.
  auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return '\0';
  return stat[close + 2];
}

std::string process_command_line(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Result<std::string> find_coopchaind(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (is_executable(explicit_path)) return fs::absolute(explicit_path).string();
    return Status::NotFound(explicit_path + " is not an executable file");
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path dir = self.parent_path();
    for (const fs::path& candidate :
         {dir / "coopchaind", dir / ".." / ".." / "src" / "daemon" / "coopchaind"}) {
      if (is_executable(candidate)) return candidate.lexically_normal().string();
    }
  }
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string d;
    while (std::getline(dirs, d, ':')) {
      if (d.empty()) continue;
      fs::path candidate = fs::path(d) / "coopchaind";
      if (is_executable(candidate)) return candidate.string();
    }
  }
  return Status::NotFound(
      "cannot find coopchaind next to coopchain, in ../../src/daemon, or on PATH; "
      "pass --coopchaind PATH");
}

Result<pid_t> spawn_daemon(const std::string& daemon, const std::string& config_file,
                           const std::string& log_file) {
  int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::IOError("cannot open " + log_file + ": " + std::strerror(errno));
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(log_fd);
    return Status::IOError(std::string("cannot open /dev/null: ") + std::strerror(errno));
  }
  std::vector<std::string> argv_strings = {daemon, "--config", config_file};
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    ::close(null_fd);
    return Status::IOError(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec. Its own session, so that a Ctrl-C in the
    // terminal that ran `devnet up` does not reach the nodes.
    ::setsid();
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    static const char kMsg[] = "coopchain devnet up: exec of coopchaind failed\n";
    (void)!::write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  return pid;
}

bool is_coopchaind_running(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  char state = process_state(pid);
  if (state == '\0' || state == 'Z' || state == 'X') return false;
  return process_command_line(pid).find("coopchaind") != std::string::npos;
}

bool reap_if_exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

std::optional<pid_t> read_pid_file(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

Status write_pid_file(const std::string& path, pid_t pid) {
  std::ofstream out(path, std::ios::trunc);
  out << pid << "\n";
  out.close();
  if (!out) return Status::IOError("cannot write " + path);
  return Status::Ok();
}

bool process_gone(pid_t pid) {
  reap_if_exited(pid);
  char state = process_state(pid);
  return state == '\0' || state == 'Z' || state == 'X';
}

bool wait_until_gone(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  while (!process_gone(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

}  // namespace coopchain::cli

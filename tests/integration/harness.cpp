#include "harness.h"

#include "signer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "coopchain/core/civil_time.h"

namespace coopchain::testing {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Whether nothing listens on the port: it can be bound.
bool port_free(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr = loopback(port);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Claims a slot of ten ports: an exclusive flock on a file named for it, seen by every test
// process on the machine and released by the kernel when the descriptor (returned; -1 when
// another process holds the slot) is closed or the process ends. A port found free can be taken
// by another test before a node binds it; a claimed slot is skipped by every other test.
int claim_port_slot(uint16_t first_port) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / "coopchain-test-ports";
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    std::filesystem::permissions(d, std::filesystem::perms::all, ec);
    return d;
  }();
  const std::string path = (dir / (std::to_string(first_port) + ".lock")).string();
  // Read-only: a lock file another user made (0644 under the usual umask) still opens.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Whether something listens on the port: a connection is accepted.
bool port_accepts(uint16_t port) {
  const int fd = connect_loopback(port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

}  // namespace

int connect_loopback(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string daemon_binary() {
  return COOPCHAIND_PATH;
}
std::string cli_binary() {
  return COOPCHAIN_CLI_PATH;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  static std::atomic<int> counter{0};
  const auto base =
      std::filesystem::temp_directory_path() /
      ("coopchain-cmd-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string out_path = base.string() + ".out";
  const std::string err_path = base.string() + ".err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.err = "timed out\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.out = read_all(out_path);
  result.err += read_all(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return result;
}

uint16_t free_base_port(int nodes) {
  std::mt19937 rng(
      static_cast<uint32_t>(::getpid()) * 7919u +
      static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  // Below the kernel's ephemeral range (32768 up): a port an outgoing connection or a port-0
  // listener holds never lands in a test network's ports.
  constexpr int kSlots = (32768 - 21000) / 10;
  // Every place a network fits, from a random one on: a run of free slots is found wherever
  // other processes' claims have left it.
  const int places = kSlots - nodes + 1;
  const int start = static_cast<int>(rng() % static_cast<uint32_t>(places));
  for (int attempt = 0; attempt < places; ++attempt) {
    const int first = (start + attempt) % places;
    const uint16_t base = static_cast<uint16_t>(21000 + first * 10);
    std::vector<int> claims;
    bool free = true;
    for (int i = 0; i < nodes && free; ++i) {
      const int claim = claim_port_slot(static_cast<uint16_t>(base + 10 * i));
      free = claim >= 0;
      if (free) claims.push_back(claim);
      for (int k = 0; k < 3 && free; ++k)
        free = port_free(static_cast<uint16_t>(base + 10 * i + k));
    }
    // The claims of the ports returned stay held until the process exits.
    if (free) return base;
    for (int claim : claims) ::close(claim);
  }
  return 0;
}

DaemonProcess::DaemonProcess(std::string config_file, std::string log_file,
                             std::string client_address)
    : config_file_(std::move(config_file)),
      log_file_(std::move(log_file)),
      client_address_(std::move(client_address)) {}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) kill9();
}

namespace {

// The chain id of the genesis a node's config names (a relative path is the config's
// directory's): what tells this node from another network's that holds the same port, since a
// port found free can be taken by another test before this node binds it.
std::string config_chain_id(const std::string& config_file) {
  std::smatch m;
  const std::string config = read_all(config_file);
  if (!std::regex_search(config, m, std::regex(R"re(genesis_file:\s*"?([^"\s]+))re"))) return "";
  std::filesystem::path genesis = m[1].str();
  if (genesis.is_relative()) genesis = std::filesystem::path(config_file).parent_path() / genesis;
  const std::string json = read_all(genesis);
  if (!std::regex_search(json, m, std::regex(R"re("chainId":\s*"([^"]+)")re"))) return "";
  return m[1].str();
}

}  // namespace

bool DaemonProcess::start(std::chrono::seconds timeout, bool need_leader) {
  const std::string chain_id = config_chain_id(config_file_);
  pid_ = ::fork();
  if (pid_ == 0) {
    int log = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    for (const auto& [name, value] : environment_) ::setenv(name.c_str(), value.c_str(), 1);
    const std::string bin = daemon_binary();
    ::execl(bin.c_str(), bin.c_str(), "--config", config_file_.c_str(), nullptr);
    ::_exit(127);
  }
  // Wait for the port with plain connects first: a gRPC channel that fails to connect backs off
  // for a second or more, which would dominate every test's start-up.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const uint16_t port =
      static_cast<uint16_t>(std::stoi(client_address_.substr(client_address_.rfind(':') + 1)));
  while (!port_accepts(port)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!client_ca_pem_.empty()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = client_ca_pem_;
    credentials = grpc::SslCredentials(tls);
  }
  auto stub = v1::Node::NewStub(grpc::CreateChannel(client_address_, credentials));
  while (std::chrono::steady_clock::now() < deadline) {
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    v1::NodeStatus st;
    if (stub->GetStatus(&ctx, v1::GetStatusRequest(), &st).ok()) {
      if (!chain_id.empty() && st.chain_id() != chain_id) {
        ADD_FAILURE() << "another network's node (chain " << st.chain_id() << ") answers on "
                      << client_address_ << ", where this one (chain " << chain_id
                      << ") was to listen: the port was taken after it was found free";
        kill9();
        return false;
      }
      if (!need_leader || !st.leader().empty()) return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int DaemonProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 300; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill9();
  return -1;
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void DaemonProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string DaemonProcess::log() const {
  return read_all(log_file_);
}

SingleNodeNetwork::SingleNodeNetwork() {
  base_port_ = free_base_port();
  address_ = "127.0.0.1:" + std::to_string(base_port_);
  CommandResult init = run_command({cli_binary(), "devnet", "init", "--dir", dir().string(),
                                    "--nodes", "1", "--base-port", std::to_string(base_port_)});
  if (init.exit_code != 0) {
    throw std::runtime_error("devnet init failed: " + init.out + init.err);
  }
  daemon_ = std::make_unique<DaemonProcess>((dir() / "node1" / "config.yaml").string(),
                                            (dir() / "node1" / "test-node.log").string(), address_);
  if (!daemon_->start()) {
    throw std::runtime_error("coopchaind did not start: " + daemon_->log());
  }
}

std::string SingleNodeNetwork::key(const std::string& org) const {
  return (dir() / "keys" / (org + ".pem")).string();
}

std::unique_ptr<v1::Ledger::Stub> SingleNodeNetwork::ledger() const {
  return v1::Ledger::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}
std::unique_ptr<v1::Trace::Stub> SingleNodeNetwork::trace() const {
  return v1::Trace::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}
std::unique_ptr<v1::Node::Stub> SingleNodeNetwork::node() const {
  return v1::Node::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

CommandResult SingleNodeNetwork::cli(std::vector<std::string> args) const {
  args.insert(args.begin(), cli_binary());
  args.push_back("--node");
  args.push_back(address_);
  return run_command(args);
}

CommandResult SingleNodeNetwork::submit(const std::string& json, const std::string& org) const {
  static std::atomic<int> counter{0};
  const auto file = dir() / ("event-" + std::to_string(counter++) + ".json");
  std::ofstream(file) << json;
  return cli({"submit", file.string(), "--key", key(org), "--wait"});
}

std::string SingleNodeNetwork::head() const {
  auto stub = node();
  grpc::ClientContext ctx;
  v1::NodeStatus st;
  auto status = stub->GetStatus(&ctx, v1::GetStatusRequest(), &st);
  if (!status.ok()) return "unavailable: " + status.error_message();
  return std::to_string(st.height()) + " " + st.head_hash();
}

Cluster::Cluster(int nodes, const ConfigEdit& edit_config, const NodeEnvironment& environment) {
  base_port_ = free_base_port(nodes);
  CommandResult init =
      run_command({cli_binary(), "devnet", "init", "--dir", dir().string(), "--nodes",
                   std::to_string(nodes), "--base-port", std::to_string(base_port_)});
  if (init.exit_code != 0) {
    throw std::runtime_error("devnet init failed: " + init.out + init.err);
  }
  for (int i = 0; i < nodes; ++i) {
    const auto node_dir = dir() / ("node" + std::to_string(i + 1));
    if (edit_config) {
      std::string yaml = read_all((node_dir / "config.yaml").string());
      edit_config(i, yaml);
      std::ofstream(node_dir / "config.yaml", std::ios::trunc) << yaml;
    }
    daemons_.push_back(std::make_unique<DaemonProcess>(
        (node_dir / "config.yaml").string(), (node_dir / "test-node.log").string(),
        "127.0.0.1:" + std::to_string(base_port_ + 10 * i)));
    if (environment) daemons_.back()->set_environment(environment(i));
  }
  for (int i = 0; i < nodes; ++i) {
    if (!daemons_[i]->start(std::chrono::seconds(30), /*need_leader=*/false)) {
      throw std::runtime_error("coopchaind " + node_id(i) +
                               " did not start: " + daemons_[i]->log());
    }
  }
  if (wait_for_leader(std::chrono::seconds(30)) < 0) {
    throw std::runtime_error("no leader elected: " + daemons_[0]->log());
  }
  chain_id_ = status(0)->chain_id();
}

std::string Cluster::key(const std::string& org) const {
  return (dir() / "keys" / (org + ".pem")).string();
}

std::unique_ptr<v1::Ledger::Stub> Cluster::ledger(int i) const {
  return v1::Ledger::NewStub(grpc::CreateChannel(address(i), grpc::InsecureChannelCredentials()));
}

std::unique_ptr<v1::Node::Stub> Cluster::node(int i) const {
  return v1::Node::NewStub(grpc::CreateChannel(address(i), grpc::InsecureChannelCredentials()));
}

std::optional<v1::NodeStatus> Cluster::status(int i) const {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  v1::NodeStatus st;
  if (!node(i)->GetStatus(&ctx, v1::GetStatusRequest(), &st).ok()) return std::nullopt;
  return st;
}

int Cluster::wait_for_leader(std::chrono::seconds timeout, const std::vector<int>& down) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto is_down = [&](int i) { return std::find(down.begin(), down.end(), i) != down.end(); };
  while (std::chrono::steady_clock::now() < deadline) {
    std::map<std::string, int> named;
    for (int i = 0; i < size(); ++i) {
      if (is_down(i)) continue;
      auto st = status(i);
      if (st && !st->leader().empty()) ++named[st->leader()];
    }
    for (const auto& [leader, count] : named) {
      for (int i = 0; i < size(); ++i) {
        if (node_id(i) == leader && !is_down(i) && count > size() / 2) return i;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

bool Cluster::wait_for_equal_heads(std::chrono::seconds timeout,
                                   const std::vector<int>& down) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::set<std::string> heads;
    bool all = true;
    for (int i = 0; i < size(); ++i) {
      if (std::find(down.begin(), down.end(), i) != down.end()) continue;
      auto st = status(i);
      if (!st) {
        all = false;
        break;
      }
      heads.insert(std::to_string(st->height()) + " " + st->head_hash());
    }
    if (all && heads.size() == 1) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

CommandResult Cluster::cli(int i, std::vector<std::string> args) const {
  args.insert(args.begin(), cli_binary());
  args.push_back("--node");
  args.push_back(address(i));
  return run_command(args);
}

v1::SignedTransaction Cluster::sign(const std::string& org, const std::string& event_json,
                                    uint64_t nonce) const {
  return sign_event(load_key(key(org)), chain_id_, event_json, nonce);
}

std::string time_from_now(std::chrono::milliseconds offset) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()) +
                   offset;
  // Whole seconds keep the JSON readable.
  return format_rfc3339(now.count() / 1000 * 1000);
}

std::string http_get(uint16_t port, const std::string& path) {
  const int fd = connect_loopback(port);
  if (fd < 0) return "connect failed";
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  (void)::write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return response;
}

std::vector<std::pair<std::string, std::string>> clock_shift_file(const std::string& file) {
  return {{"LD_PRELOAD", COOPCHAIN_CLOCK_SHIM_PATH}, {"COOPCHAIN_CLOCK_SHIFT_FILE", file}};
}

std::vector<std::pair<std::string, std::string>> clock_shifted(int64_t seconds) {
  return {{"LD_PRELOAD", COOPCHAIN_CLOCK_SHIM_PATH},
          {"COOPCHAIN_CLOCK_SHIFT_S", std::to_string(seconds)}};
}

}  // namespace coopchain::testing

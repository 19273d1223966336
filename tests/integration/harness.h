// Test harness for integration tests: real coopchaind processes on loopback ports, driven by
// the real coopchain CLI and by gRPC. Every process a test starts, the harness stops.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/v1/api.grpc.pb.h"
#include "temp_dir.h"

namespace coopchain::testing {

// Paths to the built binaries (set by CMake as compile definitions).
std::string daemon_binary();
std::string cli_binary();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion (argv[0] is the binary), capturing stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::seconds timeout = std::chrono::seconds(90));

// A base port P such that the ports of an n-node devnet (P+10(i-1) .. +2) are all free and
// claimed by this process until it exits: no other test process is given them. 0 if none found.
uint16_t free_base_port(int nodes = 1);
// A whole file; empty when it cannot be read.
std::string read_all(const std::filesystem::path& p);

// The clock shim: environment variables that run a coopchaind with its wall clock `seconds`
// off (negative: behind), its monotonic clock left alone (tests/support/clock_shim.cpp).
std::vector<std::pair<std::string, std::string>> clock_shifted(int64_t seconds);
// The same, the shift read from `file` (seconds as text; absent: none), so that a test can
// make a running node's clock jump by writing it.
std::vector<std::pair<std::string, std::string>> clock_shift_file(const std::string& file);

// A TCP connection to 127.0.0.1:port: its descriptor, or -1.
int connect_loopback(uint16_t port);

// One HTTP/1.0 GET on loopback: the whole response (status line, headers, body), or
// "connect failed".
std::string http_get(uint16_t port, const std::string& path);

// A coopchaind started from a config file, killed (SIGKILL) on destruction if still running.
class DaemonProcess {
 public:
  DaemonProcess(std::string config_file, std::string log_file, std::string client_address);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Starts the process and waits until Node.GetStatus answers and, with `need_leader`, names a
  // leader; false on timeout or early exit.
  bool start(std::chrono::seconds timeout = std::chrono::seconds(30), bool need_leader = true);
  // Environment variables the process starts with, besides this one's.
  void set_environment(std::vector<std::pair<std::string, std::string>> variables) {
    environment_ = std::move(variables);
  }
  // The CA of the node's client-port TLS certificate, when it serves clients over TLS.
  void set_client_ca(std::string ca_pem) { client_ca_pem_ = std::move(ca_pem); }
  // SIGTERM and wait; returns the exit status (0 for a clean stop).
  int stop();
  void kill9();
  bool running() const { return pid_ > 0; }
  // Waits up to `timeout` for the process to exit by itself; its exit status (128 + signal
  // when killed), or nullopt while it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }
  std::string log() const;

  const std::string& address() const { return client_address_; }

 private:
  std::string config_file_;
  std::string log_file_;
  std::string client_address_;
  std::vector<std::pair<std::string, std::string>> environment_;
  std::string client_ca_pem_;
  pid_t pid_ = -1;
};

// A one-node devnet written by `coopchain devnet init` in a temporary directory.
class SingleNodeNetwork {
 public:
  SingleNodeNetwork();
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string key(const std::string& org) const;  // DIR/keys/<org>.pem
  DaemonProcess& daemon() { return *daemon_; }
  const std::string& address() const { return address_; }
  uint16_t base_port() const { return base_port_; }

  std::unique_ptr<v1::Ledger::Stub> ledger() const;
  std::unique_ptr<v1::Trace::Stub> trace() const;
  std::unique_ptr<v1::Node::Stub> node() const;

  // `coopchain <args...> --node <address>`.
  CommandResult cli(std::vector<std::string> args) const;
  // Writes `json` to a file in the network dir and submits it with `--wait` signed by `org`.
  CommandResult submit(const std::string& json, const std::string& org) const;
  // "height hash" of the head, from Node.GetStatus.
  std::string head() const;

 private:
  TempDir dir_;
  uint16_t base_port_ = 0;
  std::string address_;
  std::unique_ptr<DaemonProcess> daemon_;
};

// An n-node devnet written by `coopchain devnet init` in a temporary directory, every node
// started; the constructor returns once a leader is known to all of them.
class Cluster {
 public:
  // `edit_config(i, yaml)` may change node i's config before it starts.
  using ConfigEdit = std::function<void(int node, std::string& yaml)>;
  // Node i's extra environment variables (a clock shim, say).
  using NodeEnvironment = std::function<std::vector<std::pair<std::string, std::string>>(int node)>;
  explicit Cluster(int nodes, const ConfigEdit& edit_config = {},
                   const NodeEnvironment& environment = {});
  int size() const { return static_cast<int>(daemons_.size()); }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string key(const std::string& org) const;
  const std::string& chain_id() const { return chain_id_; }
  DaemonProcess& daemon(int i) { return *daemons_.at(i); }
  const std::string& address(int i) const { return daemons_.at(i)->address(); }
  std::string node_id(int i) const { return "coop-" + std::to_string(i + 1); }
  uint16_t peer_port(int i) const { return static_cast<uint16_t>(base_port_ + 10 * i + 1); }
  uint16_t metrics_port(int i) const { return static_cast<uint16_t>(base_port_ + 10 * i + 2); }

  std::unique_ptr<v1::Ledger::Stub> ledger(int i) const;
  std::unique_ptr<v1::Node::Stub> node(int i) const;
  // Node.GetStatus of node i; nullopt when it does not answer.
  std::optional<v1::NodeStatus> status(int i) const;
  // The index of the node that the running nodes (all but `down`) name as leader, once a
  // majority of them agree and it is itself running; -1 on timeout.
  int wait_for_leader(std::chrono::seconds timeout, const std::vector<int>& down = {}) const;
  // Whether every running node reports the same head (height and hash) within the timeout.
  bool wait_for_equal_heads(std::chrono::seconds timeout, const std::vector<int>& down = {}) const;
  // `coopchain <args...> --node <address of node i>`.
  CommandResult cli(int i, std::vector<std::string> args) const;
  // Signs `event_json` as `org`; `nonce` keeps equal events apart.
  v1::SignedTransaction sign(const std::string& org, const std::string& event_json,
                             uint64_t nonce) const;

 private:
  TempDir dir_;
  uint16_t base_port_ = 0;
  std::string chain_id_;
  std::vector<std::unique_ptr<DaemonProcess>> daemons_;
};

// RFC 3339 for now + offset.
std::string time_from_now(std::chrono::milliseconds offset);
inline std::string days_ago(int days) {
  return time_from_now(-std::chrono::hours(24 * days));
}
inline std::string days_ahead(int days) {
  return time_from_now(std::chrono::hours(24 * days));
}

}  // namespace coopchain::testing

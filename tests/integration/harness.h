// Test harness for integration tests: real coopchaind processes on loopback ports, driven by
// the real coopchain CLI and by gRPC. Every process a test starts, the harness stops.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/v1/api.grpc.pb.h"

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

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Three consecutive free loopback ports (client, peer, metrics), base first.
uint16_t free_base_port();

// A coopchaind started from a config file, killed (SIGKILL) on destruction if still running.
class DaemonProcess {
 public:
  DaemonProcess(std::string config_file, std::string log_file, std::string client_address);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Starts the process and waits until Node.GetStatus answers; false on timeout or early exit.
  bool start(std::chrono::seconds timeout = std::chrono::seconds(30));
  // SIGTERM and wait; returns the exit status (0 for a clean stop).
  int stop();
  void kill9();
  bool running() const { return pid_ > 0; }
  std::string log() const;

  const std::string& address() const { return client_address_; }

 private:
  std::string config_file_;
  std::string log_file_;
  std::string client_address_;
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

// RFC 3339 for now + offset.
std::string time_from_now(std::chrono::milliseconds offset);
inline std::string days_ago(int days) {
  return time_from_now(-std::chrono::hours(24 * days));
}
inline std::string days_ahead(int days) {
  return time_from_now(std::chrono::hours(24 * days));
}

}  // namespace coopchain::testing

// coopchaind: the coopchain node daemon. `--config FILE` runs a node from its YAML config;
// `--dev` runs the embedded default, a single-node network whose genesis, keys and demo
// organizations are generated on first start under the data dir.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <sys/resource.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "coopchain/api/health_http.h"
#include "coopchain/api/services.h"
#include "coopchain/audit/verify_db.h"
#include "coopchain/core/files.h"
#include "coopchain/devnet/devnet.h"
#include "coopchain/node/config.h"
#include "coopchain/node/node.h"
#include "coopchain/rpc_runtime/rpc_runtime.h"
#include "coopchain/version.h"

namespace {

constexpr const char* kUsage =
    "usage: coopchaind --config FILE\n"
    "       coopchaind --dev [--data-dir DIR]\n"
    "       coopchaind --help | --version\n"
    "\n"
    "  --config FILE    run a node from its YAML config (keys: config/README.md)\n"
    "  --dev            run a single-node development network on 127.0.0.1:7700; on first\n"
    "                   start it writes a genesis, demo organizations and their keys to the\n"
    "                   data dir (default ./data)\n"
    "  --data-dir DIR   with --dev: where the network's files and database live\n"
    "  --verify-db      before starting, check the database end to end (every checksum,\n"
    "                   block, certificate, state entry and index; as `coopchain verify-db`)\n"
    "\n"
    "SIGTERM or SIGINT stops the node cleanly; SIGHUP reopens the log file.\n"
    "Exit status: 0 clean stop, 1 could not start or failed, 2 bad usage, 3 stopped because\n"
    "storage failed (disk full, I/O error; see docs/operations.md).\n";

constexpr int kExitStorageFailed = 3;

struct Args {
  std::string config;
  bool dev = false;
  bool verify_db = false;
  std::string data_dir = "./data";
};

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

int usage_error(const std::string& why) {
  std::cerr << "coopchaind: " << why << "\n" << kUsage;
  return 2;
}

// Every client, peer and metrics connection is a descriptor; systemd's default soft limit of
// 1,024 is reached by a modest flood. The hard limit is the operator's to set; use all of it.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot read the descriptor limit: {}", std::strerror(errno));
    return;
  }
  const rlim_t soft = limit.rlim_cur;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("cannot raise the descriptor limit from {} to {}: {}", soft, limit.rlim_max,
                   std::strerror(errno));
      return;
    }
  }
  spdlog::info("descriptor limit {} (was {}; raise the hard limit, e.g. LimitNOFILE=, for more)",
               limit.rlim_cur, soft);
}

void configure_logging(const coopchain::NodeConfig& config) {
  std::shared_ptr<spdlog::logger> logger;
  if (config.log_file.empty()) {
    logger = spdlog::stderr_color_mt("coopchaind");
  } else {
    logger = spdlog::basic_logger_mt("coopchaind", config.log_file);
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(config.log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void reopen_log(const coopchain::NodeConfig& config) {
  if (config.log_file.empty()) return;
  auto level = spdlog::default_logger()->level();
  spdlog::drop("coopchaind");
  auto logger = spdlog::basic_logger_mt("coopchaind", config.log_file);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  spdlog::info("log reopened");
}

// The --dev network lives in DIR: DIR/genesis.json, DIR/keys, DIR/node1/{config.yaml,data}.
coopchain::Result<std::string> prepare_dev_network(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(fs::path(dir) / "genesis.json")) {
    auto layout =
        coopchain::devnet::write_devnet({dir, 1, coopchain::devnet::kDefaultBasePort, "", 0});
    if (!layout.ok()) return layout.status();
  }
  return (fs::absolute(dir) / "node1" / "config.yaml").string();
}

void print_dev_banner(const std::string& dir, const coopchain::NodeConfig& config) {
  const std::string keys = (std::filesystem::absolute(dir) / "keys").lexically_normal().string();
  std::cout << "coopchaind " << coopchain::kVersion << " running a single-node dev network\n"
            << "  client API   " << config.client_listen << " (gRPC, reflection on)\n"
            << "  metrics      http://" << config.metrics_listen << "/metrics\n"
            << "  keys         " << keys << "/{coop-1,mill-1,cert-1,exp-1,audit-1}.pem\n"
            << "try:\n"
            << "  coopchain status\n"
            << "  coopchain submit event.json --key " << keys << "/coop-1.pem --wait\n"
            << "stop with Ctrl-C\n"
            << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask and only the signal
  // thread takes them.
  const sigset_t signals = handled_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  coopchain::rpc_runtime::configure();
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      std::cout << "coopchaind " << coopchain::kVersion << "\n";
      return 0;
    } else if (a == "--dev") {
      args.dev = true;
    } else if (a == "--verify-db") {
      args.verify_db = true;
    } else if (a == "--config" && i + 1 < argc) {
      args.config = argv[++i];
    } else if (a == "--data-dir" && i + 1 < argc) {
      args.data_dir = argv[++i];
    } else {
      return usage_error("unknown or incomplete argument \"" + a + "\"");
    }
  }
  if (args.dev == !args.config.empty()) return usage_error("give exactly one of --config or --dev");

  std::string config_path = args.config;
  if (args.dev) {
    auto path = prepare_dev_network(args.data_dir);
    if (!path.ok()) {
      std::cerr << "coopchaind: " << path.status().to_string() << "\n";
      return 1;
    }
    config_path = *path;
  }
  auto config = coopchain::load_config(config_path);
  if (!config.ok()) {
    std::cerr << "coopchaind: " << config.status().to_string() << "\n";
    return 1;
  }
  configure_logging(*config);
  raise_descriptor_limit();
  if (args.verify_db && std::filesystem::exists(config->data_dir)) {
    spdlog::info("verifying the database at {} before starting", config->data_dir);
    const auto check = coopchain::audit::verify_database(config->data_dir, {});
    if (!check.ok()) {
      spdlog::critical("the database is damaged: {}; not starting (see docs/operations.md)",
                       check.failure);
      return 1;
    }
    spdlog::info("database verified: {} blocks, {} transactions", check.replay.blocks,
                 check.replay.transactions);
  }

  auto node = coopchain::Node::open(*config);
  if (!node.ok()) {
    spdlog::critical("cannot start: {}", node.status().to_string());
    return 1;
  }
  coopchain::api::ApiOptions api_options;
  api_options.listen = config->client_listen;
  api_options.max_request_bytes = config->max_request_bytes;
  api_options.submit_wait_timeout_ms = config->submit_wait_timeout_ms;
  api_options.max_block_streams = config->max_block_streams;
  if (!config->client_tls_cert_file.empty()) {
    auto cert = coopchain::read_file(config->client_tls_cert_file);
    auto key = coopchain::read_file(config->client_tls_key_file);
    if (!cert.ok() || !key.ok()) {
      spdlog::critical("cannot start: {}", (!cert.ok() ? cert.status() : key.status()).to_string());
      return 1;
    }
    api_options.tls_cert_pem = std::move(cert).value();
    api_options.tls_key_pem = std::move(key).value();
  } else if (!coopchain::is_loopback_listen(config->client_listen)) {
    spdlog::warn(
        "serving clients in plaintext on {}: anyone on the way can read and alter what clients "
        "and this node say to each other; set client_tls_cert_file and client_tls_key_file "
        "(config/README.md), or listen on 127.0.0.1",
        config->client_listen);
  }
  auto api =
      coopchain::api::ClientApiServer::start((*node)->reader(), (*node)->submitter(), api_options);
  if (!api.ok()) {
    spdlog::critical("cannot start: {}", api.status().to_string());
    return 1;
  }
  auto health = coopchain::api::HealthHttpServer::start(config->metrics_listen, (*node)->reader(),
                                                        (*node)->metrics());
  if (!health.ok()) {
    spdlog::critical("cannot start: {}", health.status().to_string());
    return 1;
  }

  // Signals are blocked in every thread (see main's start) and taken here, one at a time.
  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const sigset_t signals = handled_signals();
    const timespec poll{0, 200'000'000};
    while (!done) {
      const int signal = sigtimedwait(&signals, nullptr, &poll);
      if (signal == SIGHUP) {
        reopen_log(*config);
      } else if (signal == SIGINT || signal == SIGTERM) {
        spdlog::info("signal {}: stopping", signal);
        (*health)->close();
        (*node)->stop();
        return;
      }
    }
  });

  spdlog::info("coopchaind {} node {} serving clients on {}", coopchain::kVersion, config->node_id,
               config->client_listen);
  if (args.dev) print_dev_banner(args.data_dir, *config);
  if (coopchain::Status started = (*node)->start(); !started.ok()) {
    spdlog::critical("cannot start: {}", started.to_string());
    done = true;
    signal_thread.join();
    (*api)->shutdown();
    return 1;
  }
  (*node)->run();  // this thread is the node's strand until stop()
  done = true;
  signal_thread.join();

  // gRPC handlers find the node stopping and answer UNAVAILABLE, so the server drains quickly.
  (*api)->shutdown();
  (*health)->close();
  if ((*node)->failed()) {
    if ((*node)->storage_failed()) {
      spdlog::critical(
          "stopped because storage failed; nothing was acknowledged that is not on disk. Free "
          "space or fix the disk, then start the node again: it catches up from its peers");
      return kExitStorageFailed;
    }
    spdlog::critical("stopped after a failure; see the messages above");
    return 1;
  }
  spdlog::info("stopped cleanly");
  return 0;
}

// coopchain devnet init | up | down: write a local network, start every node of it in the
// background and wait for a leader, stop them again.
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "client.h"
#include "coopchain/devnet/devnet.h"
#include "output.h"
#include "process.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStopGrace{15};
constexpr std::chrono::seconds kKillWait{5};
constexpr std::chrono::milliseconds kPollInterval{250};

int run_init(const Args& args) {
  auto nodes = parse_uint(args.value("nodes"), 1, devnet::kMaxNodes);
  if (!nodes) {
    return usage_error(*args.verb, "--nodes must be a whole number from 1 to " +
                                       std::to_string(devnet::kMaxNodes));
  }
  auto base_port = parse_uint(args.value("base-port"), 1, 65535);
  if (!base_port) return usage_error(*args.verb, "--base-port must be a port number");

  devnet::DevnetOptions options;
  options.dir = args.value("dir");
  options.nodes = static_cast<int>(*nodes);
  options.base_port = static_cast<uint16_t>(*base_port);
  auto layout = devnet::write_devnet(options);
  if (!layout.ok()) return fail(layout.status().message());

  if (output_format(args) == OutputFormat::kJson) {
    JsonObject out;
    out.set("dir", layout->dir)
        .set("chainId", layout->chain_id)
        .set("genesisFile", layout->genesis_file)
        .set("cardsDir", layout->cards_dir);
    JsonObject keys;
    for (const auto& org : layout->organizations) {
      keys.set(org, (std::filesystem::path(layout->keys_dir) / (org + ".pem")).string());
    }
    out.set("keys", keys);
    std::vector<JsonObject> nodes_json;
    for (const auto& n : layout->nodes) {
      nodes_json.push_back(JsonObject()
                               .set("id", n.id)
                               .set("config", n.config_file)
                               .set("dataDir", n.data_dir)
                               .set("clientAddress", n.client_address)
                               .set("peerAddress", n.peer_address)
                               .set("metricsAddress", n.metrics_address));
    }
    out.set("nodes", nodes_json);
    std::cout << out.to_string() << "\n";
    return kExitOk;
  }

  std::string orgs;
  for (const auto& org : layout->organizations) orgs += (orgs.empty() ? "" : ", ") + org;
  std::cout << "devnet written to " << layout->dir << "\n\n";
  Fields()
      .add("chain id", layout->chain_id)
      .add("genesis", layout->genesis_file)
      .add("signing keys", layout->keys_dir + "/<org>.pem")
      .add("member cards", layout->cards_dir + "/<org>.json (the genesis pins their nodes' keys)")
      .add("organizations", orgs)
      .print(std::cout);
  std::cout << "\n";
  for (const auto& n : layout->nodes) {
    std::cout << "node" << n.index << " (" << n.id << ")\n";
    Fields(2)
        .add("config", n.config_file)
        .add("client", n.client_address)
        .add("peer", n.peer_address)
        .add("metrics", n.metrics_address)
        .print(std::cout);
  }
  std::cout << "\nstart it with:  coopchain devnet up --dir " << layout->dir << "\n";
  return kExitOk;
}

std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// The leader a node reports, or "" while it knows none or does not answer.
std::string leader_of(NodeClient& client, uint64_t* term) {
  auto context = make_context(std::chrono::seconds(1));
  v1::NodeStatus status;
  grpc::Status s = client.node().GetStatus(context.get(), v1::GetStatusRequest(), &status);
  if (!s.ok()) return "";
  *term = status.term();
  return status.leader();
}

struct Running {
  const devnet::DevnetNode* node;
  pid_t pid;
};

// Sends SIGTERM to every process at once, gives them a shared grace period, then SIGKILLs the
// ones still there. Removes the pid files of those that ended; returns how many did not.
int stop_all(const std::vector<Running>& running) {
  for (const auto& r : running) ::kill(r.pid, SIGTERM);
  const auto grace_end = Clock::now() + kStopGrace;
  int still_running = 0;
  for (const auto& r : running) {
    bool gone = wait_until_gone(r.pid, grace_end);
    if (!gone) {
      std::cout << "node" << r.node->index << " (" << r.node->id << ") ignored SIGTERM for "
                << kStopGrace.count() << " s; sending SIGKILL\n";
      ::kill(r.pid, SIGKILL);
      gone = wait_until_gone(r.pid, Clock::now() + kKillWait);
    }
    if (!gone) {
      ++still_running;
      continue;
    }
    std::remove(r.node->pid_file.c_str());
    std::cout << "node" << r.node->index << " (" << r.node->id << ") stopped (pid " << r.pid
              << ")\n";
  }
  return still_running;
}

int run_up(const Args& args) {
  auto timeout = parse_uint(args.value("timeout"), 1, 3600);
  if (!timeout) return usage_error(*args.verb, "--timeout must be a number of seconds");
  auto layout = devnet::load_devnet(args.value("dir"));
  if (!layout.ok()) return fail(layout.status().message());
  auto daemon = find_coopchaind(args.value("coopchaind"));
  if (!daemon.ok()) return fail(daemon.status().message());

  // Fork every daemon before the first gRPC channel exists. On any failure below, the nodes
  // this run started are stopped again, so that a failed `up` leaves nothing behind.
  std::vector<pid_t> started(layout->nodes.size(), 0);
  auto fail_and_stop = [&](const std::string& why) {
    std::vector<Running> to_stop;
    for (size_t i = 0; i < started.size(); ++i) {
      if (started[i] != 0) to_stop.push_back({&layout->nodes[i], started[i]});
    }
    if (!to_stop.empty()) {
      std::cout << "stopping the nodes this run started\n";
      (void)stop_all(to_stop);
    }
    return fail(why);
  };
  for (size_t i = 0; i < layout->nodes.size(); ++i) {
    const auto& node = layout->nodes[i];
    if (auto pid = read_pid_file(node.pid_file); pid && is_coopchaind_running(*pid)) {
      std::cout << "node" << node.index << " (" << node.id << ") already running, pid " << *pid
                << "\n";
      continue;
    }
    auto pid = spawn_daemon(*daemon, node.config_file, node.log_file);
    if (!pid.ok()) return fail_and_stop(pid.status().message());
    started[i] = *pid;
    if (Status s = write_pid_file(node.pid_file, *pid); !s.ok()) return fail_and_stop(s.message());
    std::cout << "node" << node.index << " (" << node.id << ") started, pid " << *pid << ", log "
              << node.log_file << "\n";
  }

  std::vector<std::unique_ptr<NodeClient>> clients;
  for (const auto& node : layout->nodes) {
    clients.push_back(std::make_unique<NodeClient>(node.client_address));
  }
  std::vector<bool> ready(layout->nodes.size(), false);
  std::string leader;
  uint64_t term = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(*timeout);
  while (true) {
    bool all_ready = true;
    for (size_t i = 0; i < layout->nodes.size(); ++i) {
      if (ready[i]) continue;
      const auto& node = layout->nodes[i];
      if (started[i] != 0 && reap_if_exited(started[i])) {
        std::remove(node.pid_file.c_str());
        started[i] = 0;
        std::string last = last_line_of(node.log_file);
        return fail_and_stop("node" + std::to_string(node.index) + " (" + node.id +
                             ") exited during start-up; see " + node.log_file +
                             (last.empty() ? "" : " (last line: " + last + ")"));
      }
      std::string l = leader_of(*clients[i], &term);
      if (l.empty()) {
        all_ready = false;
      } else {
        ready[i] = true;
        leader = l;
      }
    }
    if (all_ready) break;
    if (Clock::now() >= deadline) {
      std::string waiting;
      for (size_t i = 0; i < ready.size(); ++i) {
        if (!ready[i]) waiting += (waiting.empty() ? "" : ", ") + layout->nodes[i].id;
      }
      return fail_and_stop("no leader known to " + waiting + " after " + std::to_string(*timeout) +
                           " s; see the node.log files under " + layout->dir);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  std::cout << "devnet " << layout->chain_id << " is up: " << layout->nodes.size() << " node"
            << (layout->nodes.size() == 1 ? "" : "s") << ", leader " << leader << " (term " << term
            << "), clients on " << layout->nodes.front().client_address
            << (layout->nodes.size() > 1 ? " …" : "") << "\n";
  return kExitOk;
}

int run_down(const Args& args) {
  auto layout = devnet::load_devnet(args.value("dir"));
  if (!layout.ok()) return fail(layout.status().message());
  std::vector<Running> running;
  for (const auto& node : layout->nodes) {
    auto pid = read_pid_file(node.pid_file);
    if (!pid || !is_coopchaind_running(*pid)) {
      std::remove(node.pid_file.c_str());
      std::cout << "node" << node.index << " (" << node.id << ") is not running\n";
      continue;
    }
    running.push_back({&node, *pid});
  }
  if (int left = stop_all(running); left > 0) {
    return fail(std::to_string(left) + " node(s) could not be stopped; their pid files are under " +
                layout->dir);
  }
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> devnet_verbs() {
  FlagSpec dir{
      .name = "dir", .value_name = "DIR", .help = "the devnet's directory", .required = true};
  VerbSpec init{
      .words = {"devnet", "init"},
      .brief = "write a complete local network: genesis, keys, node configs",
      .operands = {},
      .summary =
          "Writes a complete local network into DIR: genesis.json, a signing key per\n"
          "organization (keys/<org>.pem: coop-1…coop-N, mill-1, cert-1, exp-1, audit-1),\n"
          "and for node i a vote key and config (node<i>/config.yaml). Node i listens for\n"
          "clients on P+10·(i−1), for peers on the next port and for metrics on the one\n"
          "after. Refuses a DIR that already holds a genesis.json.",
      .flags = {dir,
                {.name = "nodes",
                 .value_name = "N",
                 .help = "number of validator nodes",
                 .required = true},
                {.name = "base-port",
                 .value_name = "P",
                 .help = "node 1's client port",
                 .default_value = "7700"},
                output_flag()},
      .run = run_init,
  };
  VerbSpec up{
      .words = {"devnet", "up"},
      .brief = "start every node of a devnet and wait for a leader",
      .operands = {},
      .summary =
          "Starts `coopchaind --config DIR/node<i>/config.yaml` for every node in the\n"
          "background (output in DIR/node<i>/node.log, pid in DIR/node<i>/coopchaind.pid)\n"
          "and waits until every node knows a leader. Nodes already running are left alone.",
      .flags = {dir,
                {.name = "coopchaind",
                 .value_name = "PATH",
                 .help = "the daemon to run (default: next to coopchain, then PATH)"},
                {.name = "timeout",
                 .value_name = "SECONDS",
                 .help = "how long to wait for a leader",
                 .default_value = "30"}},
      .run = run_up,
  };
  VerbSpec down{
      .words = {"devnet", "down"},
      .brief = "stop every node of a devnet",
      .operands = {},
      .summary = "Stops every node started by `devnet up`: SIGTERM, then SIGKILL after 15 s.",
      .flags = {dir},
      .run = run_down,
  };
  return {init, up, down};
}

}  // namespace coopchain::cli

#include "founded_network.h"

#include <algorithm>
#include <thread>

namespace coopchain::testing {

FoundedNetwork::FoundedNetwork(std::vector<std::string> founders, int capacity)
    : base_(free_base_port(capacity)), coops_(std::move(founders)), founders_(coops_.size()) {
  std::vector<std::string> assemble = {"genesis", "assemble"};
  for (size_t i = 0; i < founders_; ++i) {
    CommandResult r = cli({"node", "init", "--dir", path(coops_[i]), "--org", coops_[i], "--name",
                           "Cooperative " + coops_[i], "--peer-address", address(i, 1),
                           "--client-address", address(i, 0), "--metrics-address", address(i, 2)});
    if (r.exit_code != 0) {
      setup_error_ = "node init " + coops_[i] + ": " + r.out + r.err;
      return;
    }
    assemble.push_back(path(coops_[i] + "/member-card.json"));
  }
  for (const std::string& w : {std::string("--chain-id"), std::string("andes-3"),
                               std::string("--out"), path("genesis.json")}) {
    assemble.push_back(w);
  }
  if (CommandResult r = cli(assemble); r.exit_code != 0) {
    setup_error_ = "genesis assemble: " + r.out + r.err;
    return;
  }
  for (size_t i = 0; i < founders_; ++i) {
    if (!configure(i)) return;
  }
}

CommandResult FoundedNetwork::init_newcomer(const std::string& org, const std::string& kind) {
  coops_.push_back(org);
  const size_t i = coops_.size() - 1;
  CommandResult r = cli({"node", "init", "--dir", path(org), "--org", org, "--name",
                         "Organization " + org, "--kind", kind, "--peer-address", address(i, 1),
                         "--client-address", address(i, 0), "--metrics-address", address(i, 2)});
  if (r.exit_code == 0 && !configure(i)) r = {1, "", setup_error_};
  return r;
}

bool FoundedNetwork::configure(size_t i) {
  // The founders are in the genesis without addresses: every node's config names them, from
  // their cards. A node added later is found at the address the chain records for it.
  const std::string& coop = coops_[i];
  std::vector<std::string> words = {"node",     "configure", "--dir",
                                    path(coop), "--genesis", path("genesis.json")};
  for (size_t j = 0; j < founders_; ++j) words.push_back(path(coops_[j] + "/member-card.json"));
  if (CommandResult r = cli(words); r.exit_code != 0) {
    setup_error_ = "node configure " + coop + ": " + r.out + r.err;
    return false;
  }
  nodes_.resize(std::max(nodes_.size(), i + 1));
  nodes_[i] = std::make_unique<DaemonProcess>(path(coop + "/node.yaml"), path(coop + "/node.log"),
                                              address(i, 0));
  return true;
}

bool FoundedNetwork::start(const std::string& coop, bool need_leader) {
  return node(coop).start(std::chrono::seconds(30), need_leader);
}

CommandResult FoundedNetwork::cli(std::vector<std::string> words) const {
  words.insert(words.begin(), cli_binary());
  return run_command(words);
}

CommandResult FoundedNetwork::gov(std::vector<std::string> words, const std::string& coop,
                                  const std::string& via) const {
  words.insert(words.begin(), "gov");
  for (const std::string& w : {std::string("--key"), key(coop), std::string("--wait"),
                               std::string("--node"), client(via)}) {
    words.push_back(w);
  }
  return cli(words);
}

CommandResult FoundedNetwork::submit(const std::string& file, const std::string& coop,
                                     const std::string& via) const {
  CommandResult r;
  for (int attempt = 0; attempt < 30; ++attempt) {
    r = cli({"submit", file, "--key", key(coop), "--wait", "--node", client(via)});
    if (r.exit_code == 0 || r.err.find("UNAVAILABLE") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return r;
}

size_t FoundedNetwork::index(const std::string& coop) const {
  return static_cast<size_t>(std::find(coops_.begin(), coops_.end(), coop) - coops_.begin());
}

std::string FoundedNetwork::address(size_t i, int which) const {
  return "127.0.0.1:" + std::to_string(base_ + 10 * i + static_cast<size_t>(which));
}

}  // namespace coopchain::testing

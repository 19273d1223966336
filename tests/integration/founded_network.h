// Cooperatives that found a network the way docs/governance.md says: each runs `coopchain node
// init` in its own directory, the cards make the genesis (`genesis assemble`), and each node runs
// from its own node.yaml on loopback ports. Newcomers run `node init` the same way and start from
// the same genesis. Every node a test starts here is stopped with the network.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace coopchain::testing {

class FoundedNetwork {
 public:
  // Up to `capacity` nodes get ports: the founders, then newcomers.
  FoundedNetwork(std::vector<std::string> founders, int capacity);

  // `node init` for a newcomer (an organization of `kind`), with a config that lists every
  // founder as a peer. Its node is not in the genesis: it learns the chain once the network
  // adds it.
  CommandResult init_newcomer(const std::string& org, const std::string& kind = "COOPERATIVE");
  // Starts coop's node; false (with the log in the test's output) if it does not answer.
  bool start(const std::string& coop, bool need_leader = false);
  DaemonProcess& node(const std::string& coop) { return *nodes_.at(index(coop)); }

  std::string path(const std::string& relative) const { return (dir_.path() / relative).string(); }
  // The client address of coop's node, and its peer address.
  std::string client(const std::string& coop) const { return address(index(coop), 0); }
  std::string peer(const std::string& coop) const { return address(index(coop), 1); }
  std::string key(const std::string& coop) const { return path(coop + "/keys/" + coop + ".pem"); }
  const std::string& setup_error() const { return setup_error_; }

  CommandResult cli(std::vector<std::string> words) const;
  // `gov WORDS --key <coop's key> --wait --node <node of `via`>`.
  CommandResult gov(std::vector<std::string> words, const std::string& coop,
                    const std::string& via) const;
  // Submits the event in `file` signed by coop through `via`'s node, retrying while no leader
  // is known (up to ~15 s).
  CommandResult submit(const std::string& file, const std::string& coop,
                       const std::string& via) const;

 private:
  size_t index(const std::string& coop) const;
  std::string address(size_t i, int which) const;
  // `node configure` for the i-th node: the genesis, and the founders as its peers.
  bool configure(size_t i);

  TempDir dir_;
  uint16_t base_ = 0;
  std::vector<std::string> coops_;
  size_t founders_ = 0;
  std::vector<std::unique_ptr<DaemonProcess>> nodes_;
  std::string setup_error_;
};

}  // namespace coopchain::testing

// The nodes a node admits as peers, by id, with the TLS key pin the chain records for each (empty
// in a network with a CA). Read by every handshake and every call; replaced whenever the chain's
// membership changes, so a node the network adds is admitted and one it removes is refused
// without a restart.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace coopchain::net {

class PeerBook {
 public:
  explicit PeerBook(std::map<std::string, std::string> pins) : pins_(std::move(pins)) {}

  void replace(std::map<std::string, std::string> pins) {
    std::lock_guard lock(mu_);
    pins_ = std::move(pins);
  }
  bool admits(const std::string& id) const {
    std::lock_guard lock(mu_);
    return pins_.count(id) != 0;
  }
  // The pin recorded for `id`; empty when it is not a member (or the network has a CA).
  std::string pin_of(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = pins_.find(id);
    return it == pins_.end() ? std::string() : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> pins_;
};

}  // namespace coopchain::net

// What the peer network tests share: a handler that records what arrives and answers forwarded
// submissions, and a fixture that starts networks with real certificates and links them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "coopchain/core/x509.h"
#include "coopchain/net/peer_network.h"

namespace coopchain::net {

inline constexpr int kDays = 1;

class RecordingHandler final : public PeerHandler {
 public:
  void deliver(consensus::Message message) override {
    std::lock_guard lock(mu_);
    messages_.push_back(std::move(message));
    cv_.notify_all();
  }
  // Answers COMMITTED at the height the payload names ("tx-42" → 42), or UNAVAILABLE for
  // "busy", and counts the calls and the transactions.
  void forwarded_submit(std::vector<SignedTransaction> txs, ForwardAnswer answer) override {
    // A leader takes a moment to check a batch; what arrives meanwhile waits for the next call.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::vector<Result<TxOutcome>> outcomes(txs.size(), Status::Unavailable("the mempool is full"));
    {
      std::lock_guard lock(mu_);
      ++forward_calls_;
      for (size_t i = 0; i < txs.size(); ++i) {
        const SignedTransaction& tx = txs[i];
        ++forwarded_;
        if (tx.payload == "busy") continue;
        TxOutcome outcome;
        outcome.id = tx.id();
        outcome.state = TxState::kCommitted;
        outcome.height = std::stoull(tx.payload.substr(3));
        outcomes[i] = std::move(outcome);
      }
    }
    answer(std::move(outcomes));
  }
  // Waits until `n` messages arrived (or 10 s passed); returns what arrived.
  std::vector<consensus::Message> wait_for(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return messages_.size() >= n; });
    return messages_;
  }
  int forwarded() {
    std::lock_guard lock(mu_);
    return forwarded_;
  }
  int forward_calls() {
    std::lock_guard lock(mu_);
    return forward_calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<consensus::Message> messages_;
  int forwarded_ = 0;
  int forward_calls_ = 0;
};

// The test network's members (coop-1 to coop-3), at the addresses `peers` gives (the others
// are not dialled), with their pins when `pins` has them.
inline std::vector<PeerMember> test_members(const std::vector<PeerEndpoint>& peers,
                                            const std::map<std::string, std::string>& pins = {}) {
  std::vector<PeerMember> members;
  for (const char* id : {"coop-1", "coop-2", "coop-3"}) {
    PeerMember& m = members.emplace_back(PeerMember{id, "", ""});
    for (const auto& p : peers) {
      if (p.id == id) m.address = p.address;
    }
    if (auto pin = pins.find(id); pin != pins.end()) m.pin = pin->second;
  }
  return members;
}

// Peer networks of a test network (coop-1 to coop-3) with real certificates.
class PeerNetworkFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::move(make_certificate_authority("test network", kDays)).value();
    foreign_ca_ = std::move(make_certificate_authority("another network", kDays)).value();
  }

  // A network for `id`, signed by `ca`, listening on `listen` (a fresh port by default), with
  // links to `peers`.
  std::unique_ptr<PeerNetwork> start(const std::string& id, const PemPair& ca,
                                     std::vector<PeerEndpoint> peers, PeerHandler& handler,
                                     const std::string& listen = "127.0.0.1:0") {
    auto cert = issue_node_certificate(ca, id, kDays);
    EXPECT_TRUE(cert.ok());
    PeerNetworkOptions options;
    options.self_id = id;
    options.listen = listen;
    options.members = test_members(peers);
    options.ca_pem = ca.certificate;
    options.cert_pem = cert->certificate;
    options.key_pem = cert->private_key;
    options.backoff_min = backoff_min_;
    options.backoff_max = backoff_max_;
    options.compress_from_bytes = compress_from_bytes_;
    auto network = PeerNetwork::start(std::move(options), handler);
    EXPECT_TRUE(network.ok()) << network.status().to_string();
    return std::move(network).value();
  }

  static std::string at(const PeerNetwork& network) {
    return "127.0.0.1:" + std::to_string(network.port());
  }

  // coop-1 with a link to coop-2 that has delivered one message, so it is up.
  struct LinkedPair {
    std::unique_ptr<PeerNetwork> b;
    std::unique_ptr<PeerNetwork> a;
    std::string b_address;
  };
  LinkedPair linked_pair(RecordingHandler& handler_b, RecordingHandler& handler_a) {
    LinkedPair pair;
    pair.b = start("coop-2", ca_, {}, handler_b);
    pair.b_address = at(*pair.b);
    pair.a = start("coop-1", ca_, {{"coop-2", pair.b_address}}, handler_a);
    // A message written while the link is still connecting may be lost (by design: the
    // protocol resends), so probe until one arrives; a single probe made the test depend on the
    // first handshake winning the race on a loaded machine.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (handler_b.wait_for(0).empty() && std::chrono::steady_clock::now() < give_up) {
      pair.a->send({"coop-1", "coop-2", consensus::VoteRequest{1, 0, 0}});
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_FALSE(handler_b.wait_for(1).empty())
        << "the link did not come up: " << pair.a->health().at(0).last_error;
    return pair;
  }

  PemPair ca_;
  PemPair foreign_ca_;
  // Short, so that tests on loopback do not wait out a production backoff.
  std::chrono::milliseconds backoff_min_{20};
  std::chrono::milliseconds backoff_max_{200};
  size_t compress_from_bytes_ = PeerNetworkOptions{}.compress_from_bytes;
};

}  // namespace coopchain::net

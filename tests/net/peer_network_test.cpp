// The peer transport over real gRPC and TLS on loopback: messages arrive with the sender named
// by its certificate, forwarded submissions reach the handler in shared calls and each gets its
// own answer, and a peer whose certificate comes from another CA, or names no validator, is
// refused.
#include "coopchain/net/peer_network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "peer_fixture.h"

namespace coopchain::net {
namespace {

class PeerNetworkTest : public PeerNetworkFixture {};

TEST_F(PeerNetworkTest, MessagesArriveNamedByTheSendersCertificate) {
  RecordingHandler handler_b, handler_a;
  // The link must be up first: until then it keeps only the newest message for the peer (the
  // test once sent both before, and failed whenever the first was replaced).
  auto [b, a, address] = linked_pair(handler_b, handler_a);
  ASSERT_FALSE(HasFailure());
  a->send({"coop-1", "coop-2", consensus::VoteRequest{5, 9, 4}});
  // A message whose `from` lies still arrives as from coop-1: the certificate decides.
  a->send({"coop-3", "coop-2", consensus::VoteResponse{5, true}});
  // Probes from setting the link up may come first: the two messages are found by content.
  const auto is_request = [](const consensus::Message& m) {
    const auto* request = std::get_if<consensus::VoteRequest>(&m.payload);
    return request != nullptr && request->term == 5;
  };
  const auto is_response = [](const consensus::Message& m) {
    return std::holds_alternative<consensus::VoteResponse>(m.payload);
  };
  std::vector<consensus::Message> got;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < give_up) {
    got = handler_b.wait_for(got.size() + 1);
    if (std::any_of(got.begin(), got.end(), is_response)) break;
  }
  const auto request = std::find_if(got.begin(), got.end(), is_request);
  const auto response = std::find_if(got.begin(), got.end(), is_response);
  ASSERT_NE(request, got.end());
  ASSERT_NE(response, got.end());
  EXPECT_LT(request, response) << "messages on one link arrive in the order they were sent";
  EXPECT_EQ(request->from, "coop-1");
  EXPECT_EQ(request->to, "coop-2");
  EXPECT_EQ(std::get<consensus::VoteRequest>(request->payload).last_height, 9u);
  EXPECT_EQ(response->from, "coop-1");

  auto forwarded = a->forward("coop-2", {"tx-42", "signature"});
  ASSERT_TRUE(forwarded.ok()) << forwarded.status().to_string();
  EXPECT_EQ(forwarded->state, TxState::kCommitted);
  EXPECT_EQ(forwarded->height, 42u);
  EXPECT_EQ(handler_b.forwarded(), 1);
  auto busy = a->forward("coop-2", {"busy", "signature"});
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(busy.status().message(), "the mempool is full");
}

TEST_F(PeerNetworkTest, AnUnreachablePeerGetsOnlyTheNewestMessageWhenItReturns) {
  RecordingHandler handler_b, handler_a;
  auto [b, a, address] = linked_pair(handler_b, handler_a);
  ASSERT_FALSE(HasFailure());
  b.reset();  // the peer goes away
  // Heartbeats pile up while it is gone: the link notices and keeps only the newest.
  for (uint64_t term = 2; term <= 200; ++term) {
    a->send({"coop-1", "coop-2", consensus::VoteRequest{term, 0, 0}});
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_GT(a->health().at(0).dropped, 150u);
  RecordingHandler handler_back;
  auto back = start("coop-2", ca_, {}, handler_back, address);
  // Heartbeats go on until one gets through (a write while the link is still down is lost).
  uint64_t term = 201;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (handler_back.wait_for(0).empty() && std::chrono::steady_clock::now() < give_up) {
    a->send({"coop-1", "coop-2", consensus::VoteRequest{term++, 0, 0}});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto got = handler_back.wait_for(1);
  ASSERT_FALSE(got.empty()) << "the link must reconnect: " << a->health().at(0).last_error;
  // At most the one message kept while the peer was away is older than the return.
  size_t stale = 0;
  for (const auto& m : got) stale += std::get<consensus::VoteRequest>(m.payload).term < 201;
  EXPECT_LE(stale, 1u) << "a backlog of stale messages reached the returning peer";
}

TEST_F(PeerNetworkTest, ConcurrentForwardsShareCallsAndEachGetsItsOwnAnswer) {
  RecordingHandler handler_b, handler_a;
  auto b = start("coop-2", ca_, {}, handler_b);
  auto a = start("coop-1", ca_, {{"coop-2", at(*b)}}, handler_a);
  ASSERT_TRUE(a->forward("coop-2", {"tx-0", "signature"}).ok());  // the link is up
  constexpr int kThreads = 16;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const uint64_t height = 1000 * (t + 1) + i;
        auto outcome = a->forward("coop-2", {"tx-" + std::to_string(height), "signature"});
        if (!outcome.ok() || outcome->height != height) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(handler_b.forwarded(), 1 + kThreads * kEach);
  // Submissions that arrive while a call is under way go together in the next one.
  EXPECT_LT(handler_b.forward_calls(), 1 + kThreads * kEach);
}

TEST_F(PeerNetworkTest, APeerWithAnotherNetworksCertificateIsRefused) {
  RecordingHandler handler_b, handler_intruder;
  auto b = start("coop-2", ca_, {}, handler_b);
  // Same validator name, certificate from another CA.
  auto intruder = start("coop-1", foreign_ca_, {{"coop-2", at(*b)}}, handler_intruder);
  for (int i = 0; i < 20; ++i) {
    intruder->send({"coop-1", "coop-2", consensus::VoteRequest{5, 9, 4}});
  }
  auto forwarded = intruder->forward("coop-2", {"tx-1", "signature"});
  EXPECT_FALSE(forwarded.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(handler_b.wait_for(0).empty());
  EXPECT_EQ(handler_b.forwarded(), 0);
  EXPECT_FALSE(intruder->health().at(0).connected);
}

TEST_F(PeerNetworkTest, APeerWhoseCertificateNamesNoValidatorIsRefused) {
  RecordingHandler handler_b, handler_stranger;
  auto b = start("coop-2", ca_, {}, handler_b);
  auto stranger = start("exporter-9", ca_, {{"coop-2", at(*b)}}, handler_stranger);
  stranger->send({"exporter-9", "coop-2", consensus::VoteRequest{5, 9, 4}});
  auto forwarded = stranger->forward("coop-2", {"tx-1", "signature"});
  ASSERT_FALSE(forwarded.ok());
  EXPECT_EQ(forwarded.status().code(), StatusCode::kPermissionDenied)
      << forwarded.status().to_string();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(handler_b.wait_for(0).empty());
  EXPECT_EQ(handler_b.forwarded(), 0);
}

// Peers known by the pins the chain records, with no CA: a node whose self-signed certificate
// has its pin is heard; one presenting another key under a validator's name is refused at the
// handshake, on both sides.
class PinnedPeerNetworkTest : public PeerNetworkFixture {
 protected:
  PinnedPeerNetworkTest() {
    for (const char* id : {"coop-1", "coop-2"}) {
      certs_[id] = std::move(make_self_signed_node_certificate(id, kDays)).value();
      pins_[id] = std::move(certificate_public_key_pin(certs_[id].certificate)).value();
    }
  }

  std::unique_ptr<PeerNetwork> start_pinned(const std::string& id, const PemPair& cert,
                                            std::vector<PeerEndpoint> peers, PeerHandler& handler) {
    PeerNetworkOptions options;
    options.self_id = id;
    options.listen = "127.0.0.1:0";
    options.members = test_members(peers, pins_);
    options.pinned = true;
    options.cert_pem = cert.certificate;
    options.key_pem = cert.private_key;
    options.backoff_min = backoff_min_;
    options.backoff_max = backoff_max_;
    auto network = PeerNetwork::start(std::move(options), handler);
    EXPECT_TRUE(network.ok()) << network.status().to_string();
    return std::move(network).value();
  }

  std::map<std::string, PemPair> certs_;
  std::map<std::string, std::string> pins_;
};

TEST_F(PinnedPeerNetworkTest, PeersWithThePinnedKeysTalk) {
  RecordingHandler handler_b, handler_a;
  auto b = start_pinned("coop-2", certs_["coop-2"], {}, handler_b);
  auto a = start_pinned("coop-1", certs_["coop-1"], {{"coop-2", at(*b)}}, handler_a);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (handler_b.wait_for(0).empty() && std::chrono::steady_clock::now() < give_up) {
    a->send({"coop-1", "coop-2", consensus::VoteRequest{1, 0, 0}});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto got = handler_b.wait_for(1);
  ASSERT_FALSE(got.empty()) << a->health().at(0).last_error;
  EXPECT_EQ(got.front().from, "coop-1");
}

TEST_F(PinnedPeerNetworkTest, APeerWhoseKeyIsNotThePinnedOneIsRefusedAtTheHandshake) {
  RecordingHandler handler_b, handler_impostor, handler_a;
  auto b = start_pinned("coop-2", certs_["coop-2"], {}, handler_b);
  // coop-1's name, another key: coop-2's server refuses it.
  const PemPair other = std::move(make_self_signed_node_certificate("coop-1", kDays)).value();
  auto impostor = start_pinned("coop-1", other, {{"coop-2", at(*b)}}, handler_impostor);
  for (int i = 0; i < 20; ++i)
    impostor->send({"coop-1", "coop-2", consensus::VoteRequest{5, 9, 4}});
  EXPECT_FALSE(impostor->forward("coop-2", {"tx-1", "signature"}).ok());
  // A server under coop-2's name with another key: the genuine coop-1 does not talk to it.
  const PemPair fake = std::move(make_self_signed_node_certificate("coop-2", kDays)).value();
  auto fake_b = start_pinned("coop-2", fake, {}, handler_b);
  auto a = start_pinned("coop-1", certs_["coop-1"], {{"coop-2", at(*fake_b)}}, handler_a);
  for (int i = 0; i < 20; ++i) a->send({"coop-1", "coop-2", consensus::VoteRequest{5, 9, 4}});
  EXPECT_FALSE(a->forward("coop-2", {"tx-1", "signature"}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(handler_b.wait_for(0).empty());
  EXPECT_EQ(handler_b.forwarded(), 0);
  EXPECT_FALSE(impostor->health().at(0).connected);
  EXPECT_FALSE(a->health().at(0).connected);
}

// Keeps sending from `from` to `to` until `handler` holds more than `already` messages, or
// `patience` passed; whether it got one.
bool reaches(PeerNetwork& from, const std::string& from_id, const std::string& to,
             RecordingHandler& handler, size_t already,
             std::chrono::milliseconds patience = std::chrono::seconds(10)) {
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (handler.wait_for(0).size() <= already && std::chrono::steady_clock::now() < give_up) {
    from.send({from_id, to, consensus::VoteRequest{1, 0, 0}});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return handler.wait_for(0).size() > already;
}

// The chain adds coop-4, then removes it: until it is added coop-2 refuses it at the handshake;
// once added each dials the other; once removed its open stream is cut and nothing more of it
// is heard. No restart.
TEST_F(PinnedPeerNetworkTest, MembersFollowTheChainWithoutARestart) {
  certs_["coop-4"] = std::move(make_self_signed_node_certificate("coop-4", kDays)).value();
  const std::string pin_4 = certificate_public_key_pin(certs_["coop-4"].certificate).value();
  RecordingHandler handler_b, handler_d;
  auto b = start_pinned("coop-2", certs_["coop-2"], {}, handler_b);
  // coop-4's chain is the genesis: it knows coop-2 by its pin.
  auto d = start_pinned("coop-4", certs_["coop-4"], {{"coop-2", at(*b)}}, handler_d);
  for (int i = 0; i < 20; ++i) d->send({"coop-4", "coop-2", consensus::VoteRequest{1, 0, 0}});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(handler_b.wait_for(0).empty()) << "a node not yet added was heard";

  b->set_members({{"coop-1", "", pins_["coop-1"]}, {"coop-4", at(*d), pin_4}});
  ASSERT_TRUE(reaches(*b, "coop-2", "coop-4", handler_d, 0)) << "coop-2 never reached coop-4";
  EXPECT_EQ(handler_d.wait_for(1).front().from, "coop-2");
  ASSERT_TRUE(reaches(*d, "coop-4", "coop-2", handler_b, 0)) << "coop-4 never reached coop-2";
  ASSERT_EQ(b->health().size(), 1u);
  EXPECT_EQ(b->health().front().id, "coop-4");

  b->set_members({{"coop-1", "", pins_["coop-1"]}});
  EXPECT_TRUE(b->health().empty());
  const size_t heard = handler_b.wait_for(0).size();
  EXPECT_FALSE(reaches(*d, "coop-4", "coop-2", handler_b, heard, std::chrono::seconds(2)))
      << "a removed node was heard";
}

TEST_F(PeerNetworkTest, ALinkReconnectsWhenThePeerComesBack) {
  RecordingHandler handler_b, handler_a;
  auto [b, a, address] = linked_pair(handler_b, handler_a);
  ASSERT_FALSE(HasFailure());
  b->stop();
  b.reset();
  for (int i = 0; i < 5; ++i) a->send({"coop-1", "coop-2", consensus::VoteRequest{2, 0, 0}});

  RecordingHandler handler_b2;
  auto b2 = start("coop-2", ca_, {}, handler_b2, address);
  ASSERT_TRUE(b2);
  // Keep sending until the link is back; messages sent while it was down may be lost.
  for (int i = 0; i < 200 && handler_b2.wait_for(0).empty(); ++i) {
    a->send({"coop-1", "coop-2", consensus::VoteRequest{3, 0, 0}});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(handler_b2.wait_for(1).empty()) << "the link did not come back";
}

}  // namespace
}  // namespace coopchain::net

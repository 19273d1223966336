// Peer links over emulated satellite and rural mobile links (round trips of 0.8, 2 and 3 s),
// with the production connect timeout and backoff: a link comes up from cold, and comes back
// after the link drops under it. A connect timeout shorter than a handshake's four round trips
// made the 2 s link never come up at all.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "coopchain/net/message_codec.h"
#include "link_emulator.h"
#include "peer_fixture.h"
#include "peer_link.h"

namespace coopchain::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kHeartbeat{200};

class RuralLinkTest : public PeerNetworkFixture, public ::testing::WithParamInterface<int> {
 protected:
  void SetUp() override {
    PeerNetworkFixture::SetUp();
    backoff_min_ = PeerNetworkOptions{}.backoff_min;
    backoff_max_ = PeerNetworkOptions{}.backoff_max;
  }

  // Sends a heartbeat with a rising term every kHeartbeat, as a leader does, until one sent from
  // now on arrives or `limit` passes; returns how long that took.
  std::optional<milliseconds> heartbeat_until_heard(PeerNetwork& a, RecordingHandler& b,
                                                    milliseconds limit) {
    const uint64_t first = next_term_;
    const auto start = steady_clock::now();
    while (steady_clock::now() - start < limit) {
      a.send({"coop-1", "coop-2", consensus::VoteRequest{next_term_++, 0, 0}});
      std::this_thread::sleep_for(kHeartbeat);
      for (const auto& m : b.wait_for(0)) {
        if (std::get<consensus::VoteRequest>(m.payload).term >= first) {
          return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
        }
      }
    }
    return std::nullopt;
  }

  uint64_t next_term_ = 1;
};

TEST_P(RuralLinkTest, ALinkComesUpAndComesBackAfterItDrops) {
  const milliseconds round_trip{GetParam()};
  // A connection is four round trips; the limits leave room for a backoff and a loaded machine.
  const milliseconds limit = 12 * round_trip + std::chrono::seconds(10);
  RecordingHandler handler_b, handler_a;
  auto b = start("coop-2", ca_, {}, handler_b);
  // Satellite links wander: each stretch of bytes up to an eighth of the round trip late.
  testing::LinkEmulator link(b->port(), {round_trip, 0, round_trip / 8});
  auto a =
      start("coop-1", ca_, {{"coop-2", "127.0.0.1:" + std::to_string(link.port())}}, handler_a);

  const auto cold = heartbeat_until_heard(*a, handler_b, limit);
  ASSERT_TRUE(cold) << "no message crossed a " << round_trip.count()
                    << " ms link from a cold start: " << a->health().at(0).last_error;

  link.cut();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  link.restore();
  const auto back = heartbeat_until_heard(*a, handler_b, limit);
  ASSERT_TRUE(back) << "the link did not come back within " << limit.count()
                    << " ms: " << a->health().at(0).last_error;
  std::printf(
      "round trip %lld ms: first message after %lld ms cold, %lld ms after the link "
      "returned; %llu connections\n",
      static_cast<long long>(round_trip.count()), static_cast<long long>(cold->count()),
      static_cast<long long>(back->count()), static_cast<unsigned long long>(link.connections()));
}

// A batch of blocks crosses the link gzip-compressed: a follower catching up over 1 Mbit/s gets
// it in a fraction of the time. With compression off, or over a link measured quick, the same
// batch costs its full size.
TEST_F(RuralLinkTest, ABatchOfBlocksCrossesTheLinkCompressed) {
  // Transactions as repetitive as real events (names, ids, numbers), each with its own
  // signature's worth of noise.
  consensus::AppendRequest append;
  append.term = 1;
  append.prev_height = 0;
  for (uint64_t h = 1; h <= 32; ++h) {
    Block block;
    block.header.height = h;
    block.header.term = 1;
    block.header.proposer = "coop-1";
    for (int t = 0; t < 20; ++t) {
      const std::string n = std::to_string(h * 100 + t);
      block.txs.push_back(
          {"harvest lot L-" + n + " farm F-0042 plot P-1 COFFEE CHERRY 1000 g", to_hex(sha256(n))});
    }
    block.header.tx_root = compute_tx_root(block.txs);
    append.blocks.push_back(std::move(block));
  }
  const size_t size = encode_message(append).size();

  // Compression on, on a link not measured yet; off; on, on a link measured quick (loopback).
  struct Case {
    size_t compress_from;
    bool quick;
  };
  for (const Case c : {Case{1024, false}, Case{0, false}, Case{1024, true}}) {
    const size_t compress_from = c.compress_from;
    compress_from_bytes_ = compress_from;
    RecordingHandler handler_b, handler_a;
    auto b = start("coop-2", ca_, {}, handler_b);
    testing::LinkEmulator link(b->port(), {});
    auto a =
        start("coop-1", ca_, {{"coop-2", "127.0.0.1:" + std::to_string(link.port())}}, handler_a);
    ASSERT_TRUE(heartbeat_until_heard(*a, handler_b, std::chrono::seconds(10)));
    if (c.quick) {
      // The last measurement decides; a loaded machine may make one slow.
      bool quick = false;
      for (int i = 0; i < 50 && !quick; ++i) {
        const auto clocks = a->measure_clocks(std::chrono::seconds(5));
        quick = !clocks.empty() && clocks[0].rtt_ms < PeerLink::kCompressFromRoundTrip.count();
      }
      ASSERT_TRUE(quick) << "no loopback round trip under 10 ms in 50 tries";
    }
    const uint64_t before = link.bytes_sent();
    a->send({"coop-1", "coop-2", append});
    const auto give_up = steady_clock::now() + std::chrono::seconds(10);
    const consensus::AppendRequest* got = nullptr;
    std::vector<consensus::Message> arrived;
    while (got == nullptr && steady_clock::now() < give_up) {
      arrived = handler_b.wait_for(arrived.size() + 1);
      for (const auto& m : arrived) {
        if ((got = std::get_if<consensus::AppendRequest>(&m.payload)) != nullptr) break;
      }
    }
    ASSERT_NE(got, nullptr) << "compress from " << compress_from;
    ASSERT_EQ(got->blocks.size(), append.blocks.size());
    EXPECT_EQ(got->blocks.back().txs, append.blocks.back().txs);
    const uint64_t sent = link.bytes_sent() - before;
    std::printf("compress from %zu bytes%s: a %zu-byte append took %llu bytes on the link\n",
                compress_from, c.quick ? ", quick link" : "", size,
                static_cast<unsigned long long>(sent));
    if (compress_from > 0 && !c.quick) {
      EXPECT_LT(sent, size / 2);
    } else {
      EXPECT_GE(sent, size);
    }
  }
}

// A link that dies without a word (no reset, no FIN: the packets just stop) is found dead by
// the keepalive, within its interval and timeout, and the connection attempts made while it
// stays down take it back once it returns.
TEST_F(RuralLinkTest, ALinkThatDiesSilentlyIsNoticedAndComesBackAfterALongCut) {
  const milliseconds round_trip{800};
  RecordingHandler handler_b, handler_a;
  auto b = start("coop-2", ca_, {}, handler_b);
  testing::LinkEmulator link(b->port(), {round_trip});
  auto a =
      start("coop-1", ca_, {{"coop-2", "127.0.0.1:" + std::to_string(link.port())}}, handler_a);
  ASSERT_TRUE(heartbeat_until_heard(*a, handler_b, std::chrono::seconds(30)));
  ASSERT_TRUE(a->health().at(0).connected);

  link.cut();
  const auto cut_at = steady_clock::now();
  // Followers send their leader nothing for long stretches: the keepalive alone must notice.
  while (a->health().at(0).connected && steady_clock::now() - cut_at < std::chrono::seconds(40)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto noticed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - cut_at);
  // Keepalive every 10 s, answered within half the 20 s connect timeout.
  EXPECT_LE(noticed, std::chrono::seconds(25)) << "a dead link went unnoticed";
  std::this_thread::sleep_for(std::chrono::seconds(10));  // attempts are made into the cut
  link.restore();
  const auto back = heartbeat_until_heard(*a, handler_b, std::chrono::seconds(40));
  ASSERT_TRUE(back) << "the link did not come back: " << a->health().at(0).last_error;
  std::printf(
      "a silent cut noticed after %lld ms; back %lld ms after the link returned; %llu "
      "connections\n",
      static_cast<long long>(noticed.count()), static_cast<long long>(back->count()),
      static_cast<unsigned long long>(link.connections()));
}

INSTANTIATE_TEST_SUITE_P(RoundTrips, RuralLinkTest, ::testing::Values(800, 2000, 3000),
                         [](const auto& info) { return std::to_string(info.param) + "ms"; });

}  // namespace
}  // namespace coopchain::net

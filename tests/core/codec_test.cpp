#include "coopchain/core/codec.h"

#include <gtest/gtest.h>

#include "coopchain/core/block.h"
#include "coopchain/core/civil_time.h"
#include "coopchain/core/genesis.h"

namespace coopchain {
namespace {

TEST(Codec, RoundTripsEveryKind) {
  Writer w;
  w.u8(7).u32(0xdeadbeef).u64(1ull << 60).i64(-5).bytes("hello").boolean(true);
  Reader r(w.data());
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.u64(), 1ull << 60);
  EXPECT_EQ(r.i64(), -5);
  EXPECT_EQ(r.bytes(), "hello");
  EXPECT_TRUE(r.boolean());
  EXPECT_TRUE(r.at_end_ok());
}

TEST(Codec, TruncatedInputFailsInsteadOfReadingPastTheEnd) {
  Writer w;
  w.bytes("hello world");
  std::string cut = w.data().substr(0, 8);
  Reader r(cut);
  EXPECT_EQ(r.bytes(), "");
  EXPECT_TRUE(r.failed());
}

TEST(Codec, ImpossibleListCountFails) {
  Writer w;
  w.count(1'000'000);
  Reader r(w.data());
  EXPECT_EQ(r.count(8), 0u);
  EXPECT_TRUE(r.failed());
}

TEST(Block, EncodesDecodesAndHashesTheHeaderOnly) {
  Block b;
  b.header.height = 3;
  b.header.time_ms = 1'700'000'000'000;
  b.header.proposer = "coop-1";
  b.txs.push_back({"payload", std::string(64, 's')});
  b.header.tx_root = compute_tx_root(b.txs);
  auto back = decode_block(encode_block(b));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header, b.header);
  EXPECT_EQ(back->txs, b.txs);
  EXPECT_EQ(back->hash(), b.hash());
  Block changed = b;
  changed.header.height = 4;
  EXPECT_NE(changed.hash(), b.hash());
  std::string bytes = encode_block(b);
  EXPECT_FALSE(decode_block(bytes.substr(0, bytes.size() - 1)).ok());
}

TEST(Block, VoteBytesNameTheChain) {
  Hash256 h = sha256("block");
  EXPECT_NE(vote_sign_bytes("net-a", 1, 1, h), vote_sign_bytes("net-b", 1, 1, h));
}

TEST(QuorumCertificate, RoundTrips) {
  QuorumCertificate qc{5, sha256("b"), {{"coop-1", 2, 5, sha256("b"), std::string(64, 'x')}}};
  auto back = decode_qc(encode_qc(qc));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->votes, qc.votes);
}

TEST(Genesis, HashCoversParameters) {
  Genesis g{"net", 0, {}, {}, RuleParams::defaults()};
  Genesis h = g;
  h.params.lateness_ms += 1;
  EXPECT_NE(genesis_hash(g), genesis_hash(h));
}

TEST(CivilTime, FormatsAndParsesRfc3339) {
  auto t = parse_rfc3339("2026-10-20T14:00:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, 1792504800000);
  EXPECT_EQ(format_rfc3339(*t), "2026-10-20T14:00:00Z");
  EXPECT_EQ(parse_rfc3339("2026-10-20T16:00:00.250+02:00"), *t + 250);
  EXPECT_FALSE(parse_rfc3339("2026-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("yesterday").has_value());
}

TEST(CivilTime, YearBoundaries) {
  EXPECT_EQ(utc_year_of(*parse_rfc3339("2026-12-31T23:59:59.999Z")), 2026);
  EXPECT_EQ(utc_year_of(*parse_rfc3339("2027-01-01T00:00:00Z")), 2027);
  EXPECT_EQ(utc_year_of(*parse_rfc3339("1969-12-31T23:59:59Z")), 1969);
}

TEST(CivilTime, MonthsLaterKeepTheDayAndTimeOrEndTheMonth) {
  auto later = [](const char* t, uint32_t months) {
    return format_rfc3339(add_utc_months(*parse_rfc3339(t), months));
  };
  EXPECT_EQ(later("2023-09-01T00:00:00Z", 36), "2026-09-01T00:00:00Z");
  EXPECT_EQ(later("2023-11-15T08:30:00.250Z", 2), "2024-01-15T08:30:00.250Z");
  EXPECT_EQ(later("2024-02-29T12:00:00Z", 12), "2025-02-28T12:00:00Z");
  EXPECT_EQ(later("2024-01-31T00:00:00Z", 1), "2024-02-29T00:00:00Z");
  EXPECT_EQ(later("2023-12-31T23:59:59Z", 0), "2023-12-31T23:59:59Z");
  EXPECT_EQ(later("1969-12-31T23:00:00Z", 1), "1970-01-31T23:00:00Z");
}

}  // namespace
}  // namespace coopchain

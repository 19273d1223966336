#include "coopchain/api/convert.h"

#include <gtest/gtest.h>

#include "coopchain/api/services.h"
#include "coopchain/core/civil_time.h"
#include "test_chain.h"

namespace coopchain::api {
namespace {

using testing::at;

// What a person tracing a lot sees per step: the member standing a harvest claimed its group
// certificate on, an inspection's outcome, holds, and a reception's loss and sample.
TEST(LotToProto, ShowsEachStepsStandingInspectionHoldAndReception) {
  testing::TestChain chain;
  chain.build_standard_world();
  const TimeMs nov10 = at("2026-11-10T00:00:00Z");
  chain.accept("cert-1",
               testing::set_member("C-COOP", "F-001", MemberStatus::kApproved,
                                   at("2026-09-01T00:00:00Z"), at("2021-05-01T00:00:00Z")));
  chain.accept("coop-1", testing::transfer("H-1", "mill-1", 1'200'000, nov10));
  chain.accept("mill-1",
               ReceiveLot{"H-1", 1'190'000, nov10, "wet sacks", Quality{"", 0, 600, 0, 0, 0, {}}});
  chain.accept("cert-1", testing::hold("H-1", "C-COOP", nov10));
  chain.accept("cert-1", testing::fail_inspection("H-1", "C-COOP", nov10));
  chain.accept("cert-1", testing::hold("H-4", "C-COOP", nov10));
  chain.commit();

  const v1::Lot lot = to_proto(chain.lot("H-1"), chain.block(), testing::kNow, true);
  ASSERT_GE(lot.history_size(), 5);
  const v1::LotEvent& harvested = lot.history(0);
  ASSERT_EQ(harvested.member_standings_size(), 1);
  EXPECT_EQ(harvested.member_standings(0).certificate_id(), "C-COOP");
  EXPECT_EQ(harvested.member_standings(0).status(), v1::APPROVED);
  EXPECT_EQ(harvested.member_standings(0).conversion_start().seconds(),
            at("2021-05-01T00:00:00Z") / 1000);
  EXPECT_NE(harvested.detail().find("C-COOP: APPROVED member"), std::string::npos)
      << harvested.detail();
  const v1::LotEvent& received = lot.history(2);
  EXPECT_EQ(received.kind(), "receiveLot");
  EXPECT_EQ(received.mass_delta_g(), -10'000);
  EXPECT_EQ(received.received_g(), 1'190'000u);
  EXPECT_EQ(received.quality().moisture_per_mille(), 600u);
  EXPECT_EQ(lot.history(3).kind(), "holdLot");
  const v1::LotEvent& failed = lot.history(4);
  EXPECT_EQ(failed.outcome(), v1::FAIL);
  EXPECT_TRUE(failed.claim_removed());
  ASSERT_EQ(failed.nonconformities_size(), 1);
  EXPECT_EQ(failed.nonconformities(0).code(), "RESIDUE_DETECTED");
  EXPECT_EQ(lot.claims_size(), 0);
  EXPECT_EQ(lot.holds_size(), 0) << "the failure ended the hold";
  EXPECT_EQ(lot.mass_g(), 1'190'000u);
  EXPECT_EQ(lot.in_transit_g(), 0u);

  const v1::Lot held = to_proto(chain.lot("H-4"), chain.block(), testing::kNow, true);
  ASSERT_EQ(held.holds_size(), 1);
  EXPECT_EQ(held.holds(0).held_by(), "cert-1");
  ASSERT_EQ(held.claims_size(), 1);
  EXPECT_FALSE(held.claims(0).holds());
  EXPECT_NE(held.claims(0).reason().find("LOT_ON_HOLD"), std::string::npos);
}

TEST(ToGrpc, RuleRefusalsCarryTheirCodeAndTheContractsStatus) {
  auto st = to_grpc(Status::Rejected(Verdict::reject(RuleCode::kMassBalanceExceeded, "too much")));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(), "MASS_BALANCE_EXCEEDED: too much");
  EXPECT_EQ(to_grpc(Status::Rejected(Verdict::reject(RuleCode::kMalformed, "x"))).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(to_grpc(Status::Rejected(Verdict::reject(RuleCode::kUnknownSigner, "x"))).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(to_grpc(Status::Unavailable("x")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(to_grpc(Status::NotFound("x")).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(to_grpc(Status::Ok()).ok());
}

TEST(ToTimestamp, KeepsMillisecondsAndTimesBeforeTheEpoch) {
  auto ts = to_timestamp(*parse_rfc3339("2026-10-20T14:00:00.250Z"));
  EXPECT_EQ(ts.seconds(), 1792504800);
  EXPECT_EQ(ts.nanos(), 250'000'000);
  auto before = to_timestamp(-1);
  EXPECT_EQ(before.seconds(), -1);
  EXPECT_EQ(before.nanos(), 999'000'000);
}

}  // namespace
}  // namespace coopchain::api

#include "coopchain/api/convert.h"

#include <gtest/gtest.h>

#include "coopchain/api/services.h"
#include "coopchain/core/civil_time.h"

namespace coopchain::api {
namespace {

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

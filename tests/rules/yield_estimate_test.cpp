// setYieldEstimate and approveYieldEstimate: a member farm's harvests claiming a group
// certificate stay within the season's approved estimate. Consensus-visible: these verdicts and
// the estimates kept in the member record.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");

Event estimate(uint64_t mass, std::string cert = "C-COOP", Form form = Form::kCherry,
               std::string farm = "F-001") {
  return SetYieldEstimate{std::move(cert), std::move(farm), 2026, form, mass, "ICS visit"};
}
Event approval(uint64_t mass, std::string cert = "C-COOP") {
  return ApproveYieldEstimate{std::move(cert), "F-001", 2026, Form::kCherry, mass, "inspection"};
}

YieldEstimate estimate_of(TestChain& chain, const std::string& cert) {
  const auto member = WorldView(chain.block()).certificate_member(cert, "F-001");
  const YieldEstimate* found = member ? member->find_estimate(2026, Form::kCherry) : nullptr;
  return found ? *found : YieldEstimate{};
}

// In the standard world F-001 has delivered 1,250 kg of cherry claiming C-COOP in 2026 (H-1 and
// H-4), before any estimate.
TEST(YieldEstimate, HarvestsClaimingTheCertificateStayWithinTheApprovedEstimate) {
  TestChain chain;
  chain.build_standard_world();
  EXPECT_EQ(estimate_of(chain, "C-COOP").harvested_g, 1'250'000u);
  chain.accept("coop-1", estimate(2'000'000));
  // Proposed but not approved: only the global cap (30 t on P-1's 2 ha) applies.
  chain.accept("coop-1", harvest("H-9", "F-001", "P-1", 100'000, kNov10, {"C-COOP"}));
  chain.accept("cert-1", approval(1'500'000));
  chain.commit();
  EXPECT_EQ(estimate_of(chain, "C-COOP"),
            (YieldEstimate{2026, Form::kCherry, 2'000'000, 1'500'000, 1'350'000}));

  chain.accept("coop-1", harvest("H-10", "F-001", "P-1", 150'000, kNov10, {"C-COOP"}));
  const Verdict beyond =
      chain.submit("coop-1", harvest("H-11", "F-001", "P-1", 1, kNov10, {"C-COOP"}));
  EXPECT_EQ(beyond.code, RuleCode::kYieldEstimateExceeded) << beyond.to_string();
  EXPECT_NE(beyond.message.find("above its approved estimate of 1500000 g"), std::string::npos)
      << beyond.message;
  // Sold without the claim, the same coffee is only held to the global cap; under another
  // certificate (Fairtrade, no estimate) it is counted there.
  chain.accept("coop-1", harvest("H-11", "F-001", "P-1", 1'000, kNov10));
  chain.accept("coop-1", harvest("H-12", "F-001", "P-1", 1'000, kNov10, {"C-FT"}));
  chain.commit();
  EXPECT_EQ(estimate_of(chain, "C-COOP").harvested_g, 1'500'000u);
  EXPECT_EQ(estimate_of(chain, "C-FT").harvested_g, 1'000u);
}

TEST(YieldEstimate, TheCooperativeEstimatesAndTheIssuerApproves) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("cert-1", issue("C-FARM", Scheme::kEuOrganic, "F-001"));
  chain.accept("coop-1", register_farm("F-009", {plot("P-1", 20'000, Crop::kCoffee, Geometry{})}));
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-404")).code, RuleCode::kCertUnknown);
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-FARM")).code, RuleCode::kCertHolderMismatch);
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-COCOA")).code, RuleCode::kCertScope);
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-COOP", Form::kCherry, "F-404")).code,
            RuleCode::kUnknownFarm);
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-COOP", Form::kCherry, "F-009")).code,
            RuleCode::kNotAMember)
      << "never proposed";
  EXPECT_EQ(chain.submit("coop-2", estimate(1)).code, RuleCode::kCertNotIssuer);
  EXPECT_EQ(chain.submit("coop-1", estimate(1, "C-COOP", Form::kGreen)).code, RuleCode::kMalformed);
  EXPECT_EQ(chain.submit("coop-1", approval(1)).code, RuleCode::kRoleNotAllowed);
  EXPECT_EQ(chain.submit("cert-2", approval(1)).code, RuleCode::kCertNotIssuer);
  EXPECT_EQ(chain.submit("coop-1", estimate(0)).code, RuleCode::kMalformed);
  EXPECT_TRUE(chain.block().changes().empty());
}

}  // namespace
}  // namespace coopchain::testing

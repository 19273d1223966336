// Accreditation per scheme: a certifier accredited for some schemes issues and backs
// certificates of those only (CERTIFIER_NOT_ACCREDITED names the scheme); `accredited` alone
// still means every scheme. And the 4C standard is a scheme like the others.
// Consensus-visible: the genesis carries the schemes, the rules decide by them.
#include <algorithm>

#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

void accredit_cert1_for(Genesis& g, std::vector<Scheme> schemes) {
  auto cert1 = std::find_if(g.organizations.begin(), g.organizations.end(),
                            [](const Organization& o) { return o.id == "cert-1"; });
  cert1->accredited_schemes = std::move(schemes);
}

TEST(Accreditation, ACertifierIssuesOnlyForTheSchemesItIsAccreditedFor) {
  TestChain chain([](Genesis& g) { accredit_cert1_for(g, {Scheme::kEuOrganic, Scheme::kFourC}); });
  chain.accept("cert-1", issue("C-ORG", Scheme::kEuOrganic, "coop-1"));
  chain.accept("cert-1", issue("C-4C", Scheme::kFourC, "coop-1"));
  Verdict v = chain.submit("cert-1", issue("C-FT", Scheme::kFairtrade, "coop-1"));
  EXPECT_EQ(v.code, RuleCode::kCertifierNotAccredited);
  EXPECT_NE(v.message.find("not accredited for FAIRTRADE"), std::string::npos) << v.message;
  const WorldView world(chain.block());
  EXPECT_TRUE(world.org("cert-1")->accredited_for(Scheme::kFourC));
  EXPECT_FALSE(world.org("cert-1")->accredited_for(Scheme::kRainforestAlliance));
}

TEST(Accreditation, AccreditedAloneStillMeansEveryScheme) {
  TestChain chain;  // cert-1 accredited, no list
  for (Scheme s : {Scheme::kEuOrganic, Scheme::kUsdaOrganic, Scheme::kFairtrade,
                   Scheme::kRainforestAlliance, Scheme::kFourC}) {
    chain.accept("cert-1", issue("C-" + std::string(name_of(s)), s, "coop-1"));
  }
  EXPECT_EQ(chain.submit("cert-2", issue("C-X", Scheme::kFourC, "coop-1")).code,
            RuleCode::kCertifierNotAccredited);
}

TEST(Accreditation, AFourCHarvestCarriesItsClaimToTheExport) {
  TestChain chain;
  chain.accept("cert-1", issue("C-4C", Scheme::kFourC, "coop-1"));
  chain.accept("coop-1", register_farm("F-1", {plot("P-1", 20'000, Crop::kCoffee, point())}));
  chain.accept("coop-1", set_member("C-4C", "F-1", MemberStatus::kProposed));
  chain.accept("cert-1", set_member("C-4C", "F-1", MemberStatus::kApproved));
  chain.accept("coop-1",
               harvest("H-1", "F-1", "P-1", 100'000, at("2026-11-01T00:00:00Z"), {"C-4C"}));
  chain.commit();
  const auto lot = WorldView(chain.block()).lot("H-1");
  ASSERT_TRUE(lot.has_value());
  ASSERT_NE(lot->find_claim(Scheme::kFourC), nullptr);
  chain.accept("coop-1",
               ship("E-1", {{"H-1", 100'000}}, "US", at("2026-11-10T00:00:00Z"), {Scheme::kFourC}));
}

}  // namespace
}  // namespace coopchain::testing

// assessPlot and the EUDR export checks it feeds: an accredited certifier's finding is stored
// with the geometry it assessed; the latest finding decides; NOT_FREE keeps a plot's produce out
// of the EU always; a chain with eudr_require_assessment wants DEFORESTATION_FREE for the
// plot's current geometry. Consensus-visible: these verdicts and records.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");

Event eu_export(std::string id, std::string lot, uint64_t grams) {
  return ship(std::move(id), {{std::move(lot), grams}}, "DE", kNov10);
}

TEST(AssessPlot, AnAccreditedCertifiersFindingIsStoredWithTheGeometryItAssessed) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kFree));
  chain.commit();
  const WorldView world(chain.block());
  const auto latest = world.latest_assessment("F-001", "P-1");
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->result, Deforestation::kFree);
  EXPECT_EQ(latest->assessor, "cert-1");
  EXPECT_EQ(latest->reference, "GFW-2026-0042");
  EXPECT_EQ(latest->geometry_revision, 0u);
  EXPECT_EQ(world.plot_assessment_count("F-001", "P-1"), 1u);
  EXPECT_FALSE(world.latest_assessment("F-001", "P-2").has_value());
}

TEST(AssessPlot, OnlyAnAccreditedCertifierAssessesAKnownPlotAtAPlausibleTime) {
  TestChain chain;
  chain.build_standard_world();
  chain.commit();
  EXPECT_EQ(chain.submit("cert-2", assess("F-001", "P-1", Deforestation::kFree)).code,
            RuleCode::kCertifierNotAccredited);
  EXPECT_EQ(chain.submit("coop-1", assess("F-001", "P-1", Deforestation::kFree)).code,
            RuleCode::kRoleNotAllowed);
  EXPECT_EQ(chain.submit("cert-1", assess("F-001", "P-9", Deforestation::kFree)).code,
            RuleCode::kUnknownPlot);
  EXPECT_EQ(chain.submit("cert-1", assess("F-404", "P-1", Deforestation::kFree)).code,
            RuleCode::kUnknownFarm);
  EXPECT_EQ(chain
                .submit("cert-1",
                        assess("F-001", "P-1", Deforestation::kFree, at("2026-12-20T00:00:00Z")))
                .code,
            RuleCode::kFutureTimestamp);
  EXPECT_EQ(chain.submit("cert-1", assess("F-001", "P-1", Deforestation::kUnspecified)).code,
            RuleCode::kMalformed);
  Event no_method = assess("F-001", "P-1", Deforestation::kFree);
  std::get<AssessPlot>(no_method).method.clear();
  EXPECT_EQ(chain.submit("cert-1", no_method).code, RuleCode::kMalformed);
  EXPECT_TRUE(chain.block().changes().empty());
}

TEST(AssessPlot, NotFreeKeepsAPlotsProduceOutOfTheEuUntilALaterFindingClearsIt) {
  TestChain chain;  // assessments not required
  chain.build_standard_world();
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kNotFree));
  chain.commit();
  Verdict v = chain.submit("coop-1", eu_export("E-1", "H-1", 100'000));
  EXPECT_EQ(v.code, RuleCode::kEudrDeforestation);
  EXPECT_NE(v.message.find("GFW-2026-0042"), std::string::npos) << v.message;
  // Outside the EU the EUDR does not apply.
  chain.accept("coop-1", ship("E-2", {{"H-1", 100'000}}, "US", kNov10));
  // A second analysis finds the first wrong.
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kFree));
  chain.accept("coop-1", eu_export("E-3", "H-1", 100'000));
}

TEST(AssessPlot, ARequiringChainWantsTheCurrentGeometryAssessedFree) {
  TestChain chain([](Genesis& g) { g.params.eudr_require_assessment = true; });
  chain.build_standard_world();
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", eu_export("E-1", "H-1", 100'000)).code,
            RuleCode::kEudrAssessmentMissing);
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kInsufficientData));
  Verdict v = chain.submit("coop-1", eu_export("E-1", "H-1", 100'000));
  EXPECT_EQ(v.code, RuleCode::kEudrAssessmentMissing);
  EXPECT_NE(v.message.find("INSUFFICIENT_DATA"), std::string::npos) << v.message;
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kFree));
  chain.accept("coop-1", eu_export("E-1", "H-1", 100'000));
  chain.commit();
  // The plot is surveyed again: the finding was about the old geometry.
  chain.accept("coop-1", UpdatePlot{"F-001", "P-1", 12'232, free_square()});
  chain.commit();
  v = chain.submit("coop-1", eu_export("E-2", "H-1", 100'000));
  EXPECT_EQ(v.code, RuleCode::kEudrAssessmentMissing);
  EXPECT_NE(v.message.find("geometry changed"), std::string::npos) << v.message;
  chain.accept("coop-1", ship("E-3", {{"H-1", 100'000}}, "US", kNov10));
  chain.accept("cert-1", assess("F-001", "P-1", Deforestation::kFree));
  chain.accept("coop-1", eu_export("E-2", "H-1", 100'000));
}

}  // namespace
}  // namespace coopchain::testing

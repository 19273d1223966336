// certifyLot with an outcome, holdLot and releaseLot. An inspection never creates a claim: PASS
// confirms what the lot's lineage carries, FAIL takes it away from the lot and what is made of
// it afterwards; a hold keeps the lot where it is and out of organic use until released.
// Consensus-visible: these verdicts and the lot records they leave.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");
const TimeMs kNov11 = at("2026-11-11T00:00:00Z");

// In the standard world H-1 (1,200 kg of F-001's cherry) carries EU_ORGANIC on C-COOP and H-2
// (100 kg) carries nothing.
TEST(Inspection, APassConfirmsAClaimTheLotCarriesAndNeverCreatesOne) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("cert-1", certify("H-1", "C-COOP", kNov10));
  const Verdict refused = chain.submit("cert-1", certify("H-2", "C-COOP", kNov10));
  EXPECT_EQ(refused.code, RuleCode::kClaimNotSupported) << refused.to_string();
  chain.commit();
  EXPECT_TRUE(chain.lot("H-2").claims.empty());
  const LotRecord inspected = chain.lot("H-1");
  const LotEventRecord& passed = inspected.history.back();
  EXPECT_EQ(passed.kind, LotEventKind::kCertifyLot);
  EXPECT_EQ(passed.outcome, InspectionOutcome::kPass);
  EXPECT_EQ(passed.scheme, Scheme::kEuOrganic);
  EXPECT_FALSE(passed.claim_removed);
}

TEST(Inspection, AMixedLotIsNotRelabelledOrganic) {
  TestChain chain;
  chain.build_standard_world();
  // Blending organic H-1 with conventional H-2 may only yield a conventional lot...
  EXPECT_EQ(chain
                .submit("coop-1", process("B-1", {{"H-1", 1'200'000}, {"H-2", 100'000}},
                                          ProcessingStep::kBlend, Form::kCherry, 1'300'000, kNov10,
                                          {Scheme::kEuOrganic}))
                .code,
            RuleCode::kOrganicMixing);
  chain.accept("coop-1", process("B-1", {{"H-1", 1'200'000}, {"H-2", 100'000}},
                                 ProcessingStep::kBlend, Form::kCherry, 1'300'000, kNov10));
  chain.commit();
  // ...and no inspection makes it organic afterwards.
  EXPECT_EQ(chain.submit("cert-1", certify("B-1", "C-COOP", kNov11)).code,
            RuleCode::kClaimNotSupported);
  EXPECT_TRUE(chain.lot("B-1").claims.empty());
}

TEST(Inspection, AFailTakesTheClaimAwayFromTheLotAndWhatIsMadeOfItAfterwards) {
  TestChain chain;
  chain.build_standard_world();
  // Half of H-1 was milled, as organic, before the inspection: that parchment keeps its claim.
  chain.accept("coop-1", process("PA-1", {{"H-1", 600'000}}, ProcessingStep::kWetMill,
                                 Form::kParchment, 130'000, kNov10, {Scheme::kEuOrganic}));
  chain.commit();
  Event without_findings = fail_inspection("H-1", "C-COOP", kNov11);
  std::get<CertifyLot>(without_findings).nonconformities.clear();
  EXPECT_EQ(chain.submit("cert-1", without_findings).code, RuleCode::kMalformed)
      << "a failure says why";
  chain.accept("cert-1", fail_inspection("H-1", "C-COOP", kNov11));
  chain.commit();

  const LotRecord failed = chain.lot("H-1");
  EXPECT_EQ(failed.find_claim(Scheme::kEuOrganic), nullptr);
  const LotEventRecord& entry = failed.history.back();
  EXPECT_EQ(entry.outcome, InspectionOutcome::kFail);
  EXPECT_TRUE(entry.claim_removed);
  ASSERT_EQ(entry.nonconformities.size(), 1u);
  EXPECT_EQ(entry.nonconformities[0].code, "RESIDUE_DETECTED");
  EXPECT_NE(chain.lot("PA-1").find_claim(Scheme::kEuOrganic), nullptr);

  // The rest of H-1 milled afterwards cannot claim organic, and a later pass cannot bring the
  // claim back.
  EXPECT_EQ(chain
                .submit("coop-1", process("PA-2", {{"H-1", 600'000}}, ProcessingStep::kWetMill,
                                          Form::kParchment, 130'000, kNov11, {Scheme::kEuOrganic}))
                .code,
            RuleCode::kOrganicMixing);
  EXPECT_EQ(chain.submit("cert-1", certify("H-1", "C-COOP", kNov11)).code,
            RuleCode::kClaimNotSupported);
  chain.accept("coop-1", process("PA-2", {{"H-1", 600'000}}, ProcessingStep::kWetMill,
                                 Form::kParchment, 130'000, kNov11));
  EXPECT_TRUE(chain.lot("PA-2").claims.empty());
}

TEST(Inspection, AHoldKeepsTheLotInPlaceAndOutOfOrganicUseUntilReleased) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("cert-1", hold("H-1", "C-COOP", kNov10));
  chain.commit();
  ASSERT_EQ(chain.lot("H-1").holds.size(), 1u);
  EXPECT_EQ(chain.lot("H-1").holds[0].by, "cert-1");

  EXPECT_EQ(chain.submit("coop-1", transfer("H-1", "mill-1", 1'200'000, kNov11)).code,
            RuleCode::kLotOnHold);
  EXPECT_EQ(chain
                .submit("coop-1", process("PA-1", {{"H-1", 600'000}}, ProcessingStep::kWetMill,
                                          Form::kParchment, 130'000, kNov11, {Scheme::kEuOrganic}))
                .code,
            RuleCode::kLotOnHold);
  EXPECT_EQ(chain.submit("cert-1", hold("H-1", "C-COOP", kNov11)).code, RuleCode::kLotOnHold)
      << "held twice";
  EXPECT_EQ(chain.submit("cert-1", hold("H-2", "C-COOP", kNov11)).code,
            RuleCode::kClaimNotSupported)
      << "nothing to hold";
  EXPECT_EQ(chain.submit("cert-2", release("H-1", "C-COOP", kNov11)).code,
            RuleCode::kCertNotIssuer);
  EXPECT_EQ(chain.submit("cert-1", release("H-1", "C-COOP", at("2026-11-09T00:00:00Z"))).code,
            RuleCode::kTimeOrder)
      << "released before it was held";
  EXPECT_EQ(chain.submit("cert-1", release("H-2", "C-COOP", kNov11)).code, RuleCode::kLotNotHeld);
  EXPECT_TRUE(chain.block().changes().empty());

  chain.accept("cert-1", release("H-1", "C-COOP", kNov11));
  chain.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, kNov11));
  chain.commit();
  const LotRecord moved = chain.lot("H-1");
  EXPECT_TRUE(moved.holds.empty());
  EXPECT_EQ(moved.owner, "mill-1");
  EXPECT_NE(moved.find_claim(Scheme::kEuOrganic), nullptr);
}

TEST(Inspection, AFailEndsTheHoldWithTheClaim) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("cert-1", hold("H-1", "C-COOP", kNov10));
  chain.accept("cert-1", fail_inspection("H-1", "C-COOP", kNov11));
  chain.commit();
  EXPECT_TRUE(chain.lot("H-1").holds.empty());
  EXPECT_TRUE(chain.lot("H-1").claims.empty());
  // Conventional now, it may change hands.
  chain.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, kNov11));
}

TEST(Inspection, OnlyTheIssuerInspectsAndOnlyLotsItsCertificateConcerns) {
  TestChain chain;
  chain.build_standard_world();
  EXPECT_EQ(chain.submit("cert-1", fail_inspection("H-404", "C-COOP", kNov10)).code,
            RuleCode::kUnknownLot);
  EXPECT_EQ(chain.submit("cert-1", fail_inspection("H-1", "C-404", kNov10)).code,
            RuleCode::kCertUnknown);
  EXPECT_EQ(chain.submit("cert-2", fail_inspection("H-1", "C-COOP", kNov10)).code,
            RuleCode::kCertNotIssuer);
  EXPECT_EQ(chain.submit("cert-1", fail_inspection("H-1", "C-EXP", kNov10)).code,
            RuleCode::kCertHolderMismatch);
  EXPECT_EQ(chain.submit("cert-1", hold("H-1", "C-EXP", kNov10)).code,
            RuleCode::kCertHolderMismatch);
  EXPECT_EQ(chain.submit("coop-1", hold("H-1", "C-COOP", kNov10)).code, RuleCode::kRoleNotAllowed);
  EXPECT_EQ(
      chain.submit("cert-1", fail_inspection("H-1", "C-COOP", at("2026-10-01T00:00:00Z"))).code,
      RuleCode::kTimeOrder)
      << "inspected before it was harvested";
  EXPECT_TRUE(chain.block().changes().empty());
}

}  // namespace
}  // namespace coopchain::testing

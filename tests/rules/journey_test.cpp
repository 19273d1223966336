// The contract's worked example end to end, and the properties it relies on: mass
// conservation, suspensions that take effect in the past, and determinism.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

// The worked example: farm, certificates for coop-1, mill-1 and exp-1, F-001 an approved member
// of coop-1's group certificate, harvest, transfer, wet
// mill, dry mill, certifyLot, transfer, export to DE. One block per step.
void run_worked_example(TestChain& c) {
  auto step = [&](const std::string& org, Event e) {
    c.accept(org, std::move(e));
    c.commit();
  };
  step("coop-1", register_farm("F-001", {plot("P-1", 20'000, Crop::kCoffee, point())}));
  step("cert-1", issue("PE-BIO-149-0001", Scheme::kEuOrganic, "coop-1"));
  step("cert-1", issue("PE-BIO-149-0002", Scheme::kEuOrganic, "mill-1"));
  step("cert-1", issue("PE-BIO-149-0003", Scheme::kEuOrganic, "exp-1"));
  step("coop-1", SetCertificateMember{"PE-BIO-149-0001", "F-001", MemberStatus::kProposed, 0,
                                      at("2026-10-15T00:00:00Z"), "ICS list"});
  step("cert-1",
       SetCertificateMember{"PE-BIO-149-0001", "F-001", MemberStatus::kApproved,
                            at("2022-03-01T00:00:00Z"), at("2026-10-15T00:00:00Z"), "inspection"});
  step("coop-1", harvest("H-2026-001", "F-001", "P-1", 1'200'000, at("2026-10-20T14:00:00Z"),
                         {"PE-BIO-149-0001"}));
  step("coop-1", transfer("H-2026-001", "mill-1", 1'200'000, at("2026-10-21T08:00:00Z")));
  step("mill-1",
       process("PA-001", {{"H-2026-001", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
               260'000, at("2026-10-22T09:00:00Z"), {Scheme::kEuOrganic}));
  step("mill-1", process("GR-001", {{"PA-001", 260'000}}, ProcessingStep::kDryMill, Form::kGreen,
                         210'000, at("2026-11-02T09:00:00Z"), {Scheme::kEuOrganic}));
  step("cert-1", certify("GR-001", "PE-BIO-149-0002", at("2026-11-03T09:00:00Z")));
  step("mill-1", transfer("GR-001", "exp-1", 210'000, at("2026-11-05T09:00:00Z")));
  step("exp-1", ship("EXP-77", {{"GR-001", 200'000}}, "DE", at("2026-11-15T10:00:00Z"),
                     {Scheme::kEuOrganic}));
}

TEST(WorkedExample, EveryStepIsAccepted) {
  TestChain c;
  ASSERT_NO_FATAL_FAILURE(run_worked_example(c));

  LotRecord green = c.lot("GR-001");
  EXPECT_EQ(green.owner, "exp-1");
  EXPECT_EQ(green.mass_g, 10'000u);
  EXPECT_EQ(green.form, Form::kGreen);
  ASSERT_EQ(green.claims.size(), 1u);
  EXPECT_EQ(green.claims[0].scheme, Scheme::kEuOrganic);
  EXPECT_EQ(green.claims[0].certificate_ids,
            (std::vector<std::string>{"PE-BIO-149-0001", "PE-BIO-149-0002"}));
  EXPECT_EQ(green.origins, (std::vector<LotOrigin>{{"F-001", "P-1"}}));
  ASSERT_EQ(green.history.size(), 4u);
  EXPECT_EQ(green.history[0].kind, LotEventKind::kProcessing);
  EXPECT_EQ(green.history[1].kind, LotEventKind::kCertifyLot);
  EXPECT_EQ(green.history[2].kind, LotEventKind::kTransfer);
  EXPECT_EQ(green.history[2].organization, "exp-1");
  EXPECT_EQ(green.history[3].kind, LotEventKind::kExport);
  EXPECT_EQ(green.history[3].export_id, "EXP-77");

  std::optional<ExportRecord> exp = get_export(c.block(), "EXP-77");
  ASSERT_TRUE(exp.has_value());
  EXPECT_EQ(exp->exporter, "exp-1");
  EXPECT_EQ(exp->destination_country, "DE");

  LotTrace trace = trace_lot(c.block(), "GR-001", 10);
  ASSERT_EQ(trace.lots.size(), 3u);
  EXPECT_EQ(trace.lots[0].lot_id, "GR-001");
  EXPECT_EQ(trace.lots[1].lot_id, "PA-001");
  EXPECT_EQ(trace.lots[2].lot_id, "H-2026-001");
  EXPECT_FALSE(trace.truncated);
  EXPECT_TRUE(trace_lot(c.block(), "GR-001", 2).truncated);

  EXPECT_EQ(lots_by_farm(c.block(), "F-001"),
            (std::vector<std::string>{"H-2026-001", "PA-001", "GR-001"}));
  EXPECT_EQ(usable_claims(c.block(), green, at("2026-11-20T00:00:00Z")),
            (std::vector<Scheme>{Scheme::kEuOrganic}));
}

TEST(WorkedExample, AskingTheWetMillForTooMuchIsConversionImplausible) {
  TestChain c;
  c.accept("coop-1", register_farm("F-001", {plot("P-1", 20'000, Crop::kCoffee, point())}));
  c.accept("coop-1", harvest("H-1", "F-001", "P-1", 1'200'000, at("2026-10-20T14:00:00Z")));
  Verdict v = c.submit("coop-1", process("PA-1", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill,
                                         Form::kParchment, 400'000, at("2026-10-22T09:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kConversionImplausible) << v.to_string();
}

TEST(MassConservation, EveryLotHoldsWhatItsHistorySays) {
  TestChain c;
  ASSERT_NO_FATAL_FAILURE(run_worked_example(c));
  for (const char* id : {"H-2026-001", "PA-001", "GR-001"}) {
    LotRecord lot = c.lot(id);
    int64_t sum = 0;
    for (const auto& h : lot.history) sum += h.mass_delta_g;
    EXPECT_EQ(sum, static_cast<int64_t>(lot.mass_g)) << id;
    EXPECT_EQ(lot.history.front().mass_delta_g, static_cast<int64_t>(lot.produced_g)) << id;
  }
  EXPECT_EQ(c.lot("H-2026-001").mass_g, 0u);
  EXPECT_EQ(c.lot("PA-001").mass_g, 0u);
  EXPECT_EQ(c.lot("PA-001").inputs, (std::vector<LotAmount>{{"H-2026-001", 1'200'000}}));
}

TEST(MassConservation, ASplitLeavesTheRestInTheInput) {
  TestChain c;
  c.build_standard_world();
  c.accept("coop-1", process("H-1a", {{"H-1", 400'000}}, ProcessingStep::kSplit, Form::kCherry,
                             400'000, at("2026-11-01T00:00:00Z"), {Scheme::kEuOrganic}));
  EXPECT_EQ(c.lot("H-1").mass_g, 800'000u);
  EXPECT_EQ(c.lot("H-1a").mass_g, 400'000u);
  EXPECT_NE(c.lot("H-1a").find_claim(Scheme::kEuOrganic), nullptr);
  // The spent part cannot be given out again.
  Verdict v = c.submit("coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-11-02T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kMassBalanceExceeded);
}

TEST(Suspension, EffectiveInThePastVoidsLaterUse) {
  TestChain c;
  c.build_standard_world();
  // Recorded on Nov 10, effective from Oct 21: the claim of H-1 (resting on C-COOP) cannot be
  // used by an event after Oct 21, even one recorded before the suspension was.
  c.accept("cert-1", change_status("C-COOP", CertStatus::kSuspended, at("2026-10-21T00:00:00Z")));
  c.commit();
  Verdict v = c.submit("coop-1",
                       process("S-1", {{"H-1", 1'200'000}}, ProcessingStep::kSorting, Form::kCherry,
                               1'100'000, at("2026-10-22T00:00:00Z"), {Scheme::kEuOrganic}));
  EXPECT_EQ(v.code, RuleCode::kCertSuspended) << v.to_string();
  // Before the effective time the claim still held.
  EXPECT_TRUE(
      claim_holds(c.block(), c.lot("H-1"), Scheme::kEuOrganic, at("2026-10-20T20:00:00Z")).ok());
  // A transfer drops the claim instead of refusing the lot.
  c.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-10-22T00:00:00Z")));
  LotRecord lot = c.lot("H-1");
  EXPECT_TRUE(lot.claims.empty());
  EXPECT_EQ(lot.history.back().dropped_claims,
            (std::vector<DroppedClaim>{{Scheme::kEuOrganic, RuleCode::kCertSuspended}}));
}

TEST(Suspension, ReinstatementRestoresTheClaimFromItsEffectiveTime) {
  TestChain c;
  c.build_standard_world();
  c.accept("cert-1", change_status("C-COOP", CertStatus::kSuspended, at("2026-10-21T00:00:00Z")));
  c.accept("cert-1", change_status("C-COOP", CertStatus::kActive, at("2026-10-25T00:00:00Z")));
  LotRecord lot = c.lot("H-1");
  EXPECT_EQ(claim_holds(c.block(), lot, Scheme::kEuOrganic, at("2026-10-22T00:00:00Z")).code,
            RuleCode::kCertSuspended);
  EXPECT_TRUE(claim_holds(c.block(), lot, Scheme::kEuOrganic, at("2026-10-26T00:00:00Z")).ok());
}

TEST(Withdrawal, IsFinal) {
  TestChain c;
  c.build_standard_world();
  c.accept("cert-1", change_status("C-FT", CertStatus::kWithdrawn, at("2026-11-01T00:00:00Z")));
  Verdict v =
      c.submit("cert-1", change_status("C-FT", CertStatus::kActive, at("2026-11-02T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kCertWithdrawn);
}

TEST(Expiry, AfterUseDoesNotVoidTheClaim) {
  TestChain c;
  c.build_standard_world();
  LotRecord lot = c.lot("H-1");
  EXPECT_TRUE(claim_holds(c.block(), lot, Scheme::kEuOrganic, at("2027-06-01T00:00:00Z")).ok());
}

TEST(Claims, TransferToAnUncertifiedOrganizationDropsTheClaim) {
  TestChain c;
  c.build_standard_world();
  c.accept("coop-1", transfer("H-1", "coop-2", 1'200'000, at("2026-11-01T00:00:00Z")));
  LotRecord lot = c.lot("H-1");
  EXPECT_EQ(lot.owner, "coop-2");
  EXPECT_TRUE(lot.claims.empty());
  EXPECT_EQ(lot.history.back().dropped_claims,
            (std::vector<DroppedClaim>{{Scheme::kEuOrganic, RuleCode::kClaimNotCertified}}));
}

TEST(Claims, ExporterMustHoldTheScheme) {
  TestChain c;
  c.build_standard_world();
  // coop-1 holds no RAINFOREST_ALLIANCE certificate; the farm does.
  c.accept("cert-1", issue("C-RA", Scheme::kRainforestAlliance, "F-001"));
  c.accept("coop-1", harvest("H-9", "F-001", "P-1", 1000, at("2026-11-10T00:00:00Z"), {"C-RA"}));
  Verdict v = c.submit("coop-1", ship("E-1", {{"H-9", 1000}}, "US", at("2026-11-11T00:00:00Z"),
                                      {Scheme::kRainforestAlliance}));
  EXPECT_EQ(v.code, RuleCode::kClaimNotCertified) << v.to_string();
  // A lot that does not carry the claimed scheme is CLAIM_NOT_CERTIFIED on export, organic too.
  v = c.submit("coop-1", ship("E-1", {{"H-2", 1000}}, "US", at("2026-11-11T00:00:00Z"),
                              {Scheme::kEuOrganic}));
  EXPECT_EQ(v.code, RuleCode::kClaimNotCertified) << v.to_string();
}

TEST(Claims, ProcessorWithExpiredCertificateIsRefusedWithCertExpired) {
  TestChain c;
  c.build_standard_world();
  c.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-11-01T00:00:00Z")));
  // mill-1's C-MILL is valid until 2027-01-01; a processing step claimed beyond it is refused.
  // (Block time moves forward so that the step is inside the time window.)
  Verdict v = c.submit(
      c.tx("mill-1", process("S-1", {{"H-1", 1'200'000}}, ProcessingStep::kSorting, Form::kCherry,
                             1'000'000, at("2027-01-02T00:00:00Z"), {Scheme::kEuOrganic})),
      at("2027-01-02T00:00:00Z"));
  EXPECT_EQ(v.code, RuleCode::kCertExpired) << v.to_string();
}

TEST(Eudr, LargePlotNeedsAPolygon) {
  TestChain c;
  c.build_standard_world();
  Verdict v = c.submit("coop-1", ship("E-1", {{"H-5", 50'000}}, "FR", at("2026-11-10T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kEudrGeolocationMissing) << v.to_string();
  v = c.submit("coop-1", ship("E-1", {{"H-6", 50'000}}, "FR", at("2026-11-10T00:00:00Z")));
  EXPECT_TRUE(v.ok()) << v.to_string();
}

TEST(Determinism, SameTransactionsGiveTheSameChangesAndRoot) {
  TestChain a;
  TestChain b;
  a.build_standard_world();
  b.build_standard_world();
  EXPECT_EQ(a.base().entries(), b.base().entries());
  auto run = [](TestChain& c) {
    c.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-10-21T08:00:00Z")));
    c.accept("mill-1",
             process("PA-1", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
                     260'000, at("2026-10-22T09:00:00Z"), {Scheme::kEuOrganic}));
    (void)c.submit("coop-1", harvest("H-1", "F-001", "P-1", 1, at("2026-11-01T00:00:00Z")));
  };
  run(a);
  run(b);
  EXPECT_EQ(a.block().changes(), b.block().changes());
  EXPECT_EQ(next_state_root(Hash256{}, 2, a.block().changes()),
            next_state_root(Hash256{}, 2, b.block().changes()));
}

TEST(Genesis, WritesEveryOrganizationAndKey) {
  TestChain c;
  for (const auto& org : c.genesis().organizations) {
    std::optional<OrgRecord> rec = get_organization(c.block(), org.id);
    ASSERT_TRUE(rec.has_value()) << org.id;
    EXPECT_EQ(rec->kind, org.kind);
    EXPECT_TRUE(c.block().get(signing_key_key(key_id(org.public_keys[0]))).has_value());
  }
}

}  // namespace
}  // namespace coopchain::testing

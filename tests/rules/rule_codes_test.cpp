// One case per rule code: from the standard world (TestChain::build_standard_world), an event
// that passes and a near-identical one that trips exactly that code. A tripped event must leave
// the block's overlay untouched.
#include <functional>
#include <set>

#include "test_chain.h"

namespace coopchain::testing {
namespace {

struct Step {
  Step(std::string o, Event e, std::string l = "", std::string c = kChain)
      : org(std::move(o)), event(std::move(e)), label(std::move(l)), chain(std::move(c)) {}
  std::string org;
  Event event;
  std::string label;  // same label ⇒ same tx id
  std::string chain;
};

struct RuleCase {
  RuleCase(RuleCode c, std::vector<Step> pr, Step p, Step t, bool after = false,
           std::function<void(Genesis&)> g = {})
      : code(c),
        prior(std::move(pr)),
        pass(std::move(p)),
        trip(std::move(t)),
        trip_after_pass(after),
        genesis(std::move(g)) {}
  RuleCode code;
  std::vector<Step> prior;  // accepted before either event
  Step pass;
  Step trip;
  bool trip_after_pass;  // the trip event is submitted after the pass event committed
  std::function<void(Genesis&)> genesis;  // changes the chain's parameters when set
};

const TimeMs kDay = 86'400'000;
const TimeMs kMinute = 60'000;

Event farm_in(std::string id, std::string country) {
  auto e = std::get<RegisterFarm>(
      register_farm(std::move(id), {plot("P-1", 10'000, Crop::kCoffee, {})}));
  e.country = std::move(country);
  return e;
}

GovernanceChange reception_tolerance(uint32_t bp) {
  SetParameters p;
  p.reception_tolerance_bp = bp;
  return p;
}

// A learner run by coop-2 (the test genesis has no validators, and so no pins).
GovernanceChange learner(const std::string& id) {
  return AddNode{id, "coop-2", NodeRole::kLearner, public_key_of(id), "", "127.0.0.1:7101"};
}

std::vector<RuleCase> cases() {
  const TimeMs oct20 = at("2026-10-20T16:00:00Z");
  const TimeMs nov10 = at("2026-11-10T00:00:00Z");
  auto h9 = [&](uint64_t mass, TimeMs t = at("2026-11-10T00:00:00Z"),
                std::vector<std::string> certs = {}) {
    return harvest("H-9", "F-001", "P-1", mass, t, std::move(certs));
  };
  Event cocoa_on_coffee = h9(1000);
  std::get<Harvest>(cocoa_on_coffee).crop = Crop::kCocoa;
  std::get<Harvest>(cocoa_on_coffee).form = Form::kWetBeans;
  Event cocoa_heading = ship("E-9", {{"H-2", 100'000}}, "US", nov10);
  std::get<Export>(cocoa_heading).hs_code = "180100";
  Geometry open_ring = square();
  open_ring.rings[0].back() = Position{0, 0};
  const TimeMs suspended_from = at("2026-11-01T00:00:00Z");

  return {
      {RuleCode::kMalformed, {}, {"coop-1", h9(1000)}, {"coop-1", h9(0)}},
      {RuleCode::kUnknownSigner, {}, {"coop-1", h9(1000)}, {"stranger", h9(1000)}},
      {RuleCode::kRoleNotAllowed,
       {},
       {"coop-1", register_farm("F-009", {plot("P-1", 1000, Crop::kCoffee, point())})},
       {"mill-1", register_farm("F-009", {plot("P-1", 1000, Crop::kCoffee, point())})}},
      {RuleCode::kDuplicateTx, {}, {"coop-1", h9(1000), "dup"}, {"coop-1", h9(1000), "dup"}, true},
      {RuleCode::kUnknownOrganization,
       {},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)},
       {"coop-1", transfer("H-1", "nobody", 1'200'000, nov10)}},
      {RuleCode::kUnknownFarm,
       {},
       {"coop-1", h9(1000)},
       {"coop-1", harvest("H-9", "F-999", "P-1", 1000, nov10)}},
      {RuleCode::kUnknownPlot,
       {},
       {"coop-1", h9(1000)},
       {"coop-1", harvest("H-9", "F-001", "P-9", 1000, nov10)}},
      {RuleCode::kNotAMember,
       {},
       {"coop-2", harvest("H-9", "F-002", "P-1", 1000, nov10)},
       {"coop-2", harvest("H-9", "F-001", "P-1", 1000, nov10)}},
      {RuleCode::kBadGeometry,
       {},
       {"coop-1", register_farm("F-009", {plot("P-1", 12'000, Crop::kCoffee, free_square())})},
       {"coop-1", register_farm("F-009", {plot("P-1", 1000, Crop::kCoffee, open_ring)})}},
      {RuleCode::kLotExists,
       {},
       {"coop-1", h9(1000)},
       {"coop-1", harvest("H-1", "F-001", "P-1", 1000, nov10)}},
      {RuleCode::kUnknownLot,
       {},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)},
       {"coop-1", transfer("H-404", "mill-1", 1'200'000, nov10)}},
      {RuleCode::kNotOwner,
       {},
       {"coop-1", transfer("H-1", "exp-1", 1'200'000, nov10)},
       {"mill-1", transfer("H-1", "exp-1", 1'200'000, nov10)}},
      {RuleCode::kTimeOrder,
       {},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-10-21T00:00:00Z"))},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, at("2026-10-19T00:00:00Z"))}},
      {RuleCode::kFutureTimestamp,
       {},
       {"coop-1", h9(1000, kNow + 5 * kMinute)},
       {"coop-1", h9(1000, kNow + 5 * kMinute + 1)}},
      {RuleCode::kTooLate,
       {},
       {"coop-1", h9(1000, kNow - 90 * kDay)},
       {"coop-1", h9(1000, kNow - 90 * kDay - 1)}},
      // P-1: 20,000 m² × 15,000 kg/ha = 30,000,000 g a year; H-1 and H-2 used 1,300,000 g.
      {RuleCode::kYieldImplausible, {}, {"coop-1", h9(28'700'000)}, {"coop-1", h9(28'700'001)}},
      {RuleCode::kMassBalanceExceeded,
       {},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)},
       {"coop-1", transfer("H-1", "mill-1", 1'200'001, nov10)}},
      // CHERRY → PARCHMENT is capped at 250‰: 300,000 g from 1,200,000 g.
      {RuleCode::kConversionImplausible,
       {},
       {"coop-1", process("PA-9", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
                          300'000, nov10)},
       {"coop-1", process("PA-9", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
                          300'001, nov10)}},
      {RuleCode::kCertUnknown,
       {},
       {"coop-1", h9(1000, nov10, {"C-COOP"})},
       {"coop-1", h9(1000, nov10, {"C-NONE"})}},
      {RuleCode::kCertNotYetValid,
       {},
       {"coop-1", h9(1000, at("2026-11-02T00:00:00Z"), {"C-NEXT"})},
       {"coop-1", h9(1000, at("2026-10-25T00:00:00Z"), {"C-NEXT"})}},
      {RuleCode::kCertExpired,
       {},
       {"coop-1", h9(1000, at("2026-09-15T00:00:00Z"), {"C-OLD"})},
       {"coop-1", h9(1000, oct20, {"C-OLD"})}},
      {RuleCode::kCertSuspended,
       {{"cert-1", change_status("C-FT", CertStatus::kSuspended, suspended_from)}},
       {"coop-1", h9(1000, at("2026-10-30T00:00:00Z"), {"C-FT"})},
       {"coop-1", h9(1000, at("2026-11-02T00:00:00Z"), {"C-FT"})}},
      {RuleCode::kCertWithdrawn,
       {{"cert-1", change_status("C-FT", CertStatus::kWithdrawn, suspended_from)}},
       {"coop-1", h9(1000, at("2026-10-30T00:00:00Z"), {"C-FT"})},
       {"coop-1", h9(1000, at("2026-11-02T00:00:00Z"), {"C-FT"})}},
      {RuleCode::kCertScope,
       {},
       {"coop-1", h9(1000, nov10, {"C-COOP"})},
       {"coop-1", h9(1000, nov10, {"C-COCOA"})}},
      {RuleCode::kCertHolderMismatch,
       {},
       {"coop-1", h9(1000, nov10, {"C-COOP"})},
       {"coop-1", h9(1000, nov10, {"C-MILL"})}},
      {RuleCode::kCertifierNotAccredited,
       {},
       {"cert-1", issue("C-NEW", Scheme::kEuOrganic, "coop-1")},
       {"cert-2", issue("C-NEW", Scheme::kEuOrganic, "coop-1")}},
      {RuleCode::kCertNotIssuer,
       {},
       {"cert-1", change_status("C-FT", CertStatus::kSuspended, nov10)},
       {"cert-2", change_status("C-FT", CertStatus::kSuspended, nov10)}},
      {RuleCode::kOrganicMixing,
       {},
       {"coop-1", process("B-9", {{"H-1", 1'200'000}, {"H-2", 100'000}}, ProcessingStep::kBlend,
                          Form::kCherry, 1'300'000, nov10)},
       {"coop-1", process("B-9", {{"H-1", 1'200'000}, {"H-2", 100'000}}, ProcessingStep::kBlend,
                          Form::kCherry, 1'300'000, nov10, {Scheme::kEuOrganic})}},
      {RuleCode::kClaimNotCertified,
       {},
       {"coop-1", process("S-9", {{"H-1", 1'200'000}}, ProcessingStep::kSorting, Form::kCherry,
                          1'100'000, nov10, {Scheme::kEuOrganic})},
       {"coop-1", process("S-9", {{"H-1", 1'200'000}}, ProcessingStep::kSorting, Form::kCherry,
                          1'100'000, nov10, {Scheme::kFairtrade})}},
      {RuleCode::kEudrGeolocationMissing,
       {},
       {"coop-1", ship("E-9", {{"H-4", 50'000}}, "US", nov10)},
       {"coop-1", ship("E-9", {{"H-4", 50'000}}, "DE", nov10)}},
      {RuleCode::kFarmExists,
       {},
       {"coop-1", register_farm("F-009", {plot("P-1", 1000, Crop::kCoffee, point())})},
       {"coop-1", register_farm("F-001", {plot("P-1", 1000, Crop::kCoffee, point())})}},
      {RuleCode::kCertExists,
       {},
       {"cert-1", issue("C-NEW", Scheme::kEuOrganic, "coop-1")},
       {"cert-1", issue("C-COOP", Scheme::kEuOrganic, "coop-1")}},
      {RuleCode::kExportExists,
       {},
       {"coop-1", ship("E-9", {{"H-1", 100'000}}, "US", nov10)},
       {"coop-1", ship("E-9", {{"H-2", 100'000}}, "US", nov10)},
       true},
      {RuleCode::kCropMismatch, {}, {"coop-1", h9(1000)}, {"coop-1", cocoa_on_coffee}},
      {RuleCode::kMassMismatch,
       {},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)},
       {"coop-1", transfer("H-1", "mill-1", 1'199'999, nov10)}},
      {RuleCode::kWrongChain, {}, {"coop-1", h9(1000)}, {"coop-1", h9(1000), "", "another-chain"}},
      {RuleCode::kAreaMismatch,
       {},
       {"coop-1", register_farm("F-009", {plot("P-1", 12'000, Crop::kCoffee, free_square())})},
       {"coop-1", register_farm("F-009", {plot("P-1", 60'000, Crop::kCoffee, free_square())})}},
      {RuleCode::kHsCodeMismatch,
       {},
       {"coop-1", ship("E-9", {{"H-2", 100'000}}, "US", nov10)},
       {"coop-1", cocoa_heading}},
      {RuleCode::kBadCountry,
       {},
       {"coop-1", farm_in("F-009", "CO")},
       {"coop-1", farm_in("F-009", "XK")}},
      // H-1 grew on F-001's P-1; outside the EU a NOT_FREE plot's produce may still go.
      {RuleCode::kEudrDeforestation,
       {{"cert-1", assess("F-001", "P-1", Deforestation::kNotFree)}},
       {"coop-1", ship("E-9", {{"H-1", 100'000}}, "US", nov10)},
       {"coop-1", ship("E-9", {{"H-1", 100'000}}, "DE", nov10)}},
      // On a chain that requires assessments: P-1 (H-1) is assessed, P-5 (H-6) is not.
      {RuleCode::kEudrAssessmentMissing,
       {{"cert-1", assess("F-001", "P-1", Deforestation::kFree)}},
       {"coop-1", ship("E-9", {{"H-1", 100'000}}, "DE", nov10)},
       {"coop-1", ship("E-9", {{"H-6", 50'000}}, "DE", nov10)},
       false,
       [](Genesis& g) { g.params.eudr_require_assessment = true; }},
      // F-009 is coop-1's too, but no member of its group certificate C-COOP.
      {RuleCode::kFarmNotInScope,
       {{"coop-1", register_farm("F-009", {plot("P-1", 20'000, Crop::kCoffee, Geometry{})})}},
       {"coop-1", h9(1000, nov10, {"C-COOP"})},
       {"coop-1", harvest("H-9", "F-009", "P-1", 1000, nov10, {"C-COOP"})}},
      // coop-1 sanctions F-001 under C-COOP from 5 November: a harvest before still claims it.
      {RuleCode::kFarmSanctioned,
       {{"coop-1",
         set_member("C-COOP", "F-001", MemberStatus::kSanctioned, at("2026-11-05T00:00:00Z"))}},
       {"coop-1", h9(1000, at("2026-11-04T00:00:00Z"), {"C-COOP"})},
       {"coop-1", h9(1000, nov10, {"C-COOP"})}},
      // coop-1 sent H-1's 1,200 kg to the mill: 0.5 % more is a scale difference, no more.
      {RuleCode::kReceptionMismatch,
       {{"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)}},
       {"mill-1", ReceiveLot{"H-1", 1'206'000, nov10, ""}},
       {"mill-1", ReceiveLot{"H-1", 1'206'001, nov10, ""}}},
      // A coffee screen is 8 to 20 sixty-fourths of an inch.
      {RuleCode::kQualityOutOfRange,
       {{"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)}},
       {"mill-1", ReceiveLot{"H-1", 1'200'000, nov10, "", Quality{"", 0, 0, 0, 0, 20, {}}}},
       {"mill-1", ReceiveLot{"H-1", 1'200'000, nov10, "", Quality{"", 0, 0, 0, 0, 21, {}}}}},
      // F-001 delivered 1,250 kg of cherry claiming C-COOP in 2026 before cert-1 approved 1,300 kg.
      {RuleCode::kYieldEstimateExceeded,
       {{"cert-1", ApproveYieldEstimate{"C-COOP", "F-001", 2026, Form::kCherry, 1'300'000, ""}}},
       {"coop-1", h9(50'000, nov10, {"C-COOP"})},
       {"coop-1", h9(50'001, nov10, {"C-COOP"})}},
      // H-1 carries EU_ORGANIC from its harvest (C-COOP); H-2 was harvested without a claim.
      {RuleCode::kClaimNotSupported,
       {},
       {"cert-1", certify("H-1", "C-COOP", nov10)},
       {"cert-1", certify("H-2", "C-COOP", nov10)}},
      {RuleCode::kLotOnHold,
       {{"cert-1", hold("H-1", "C-COOP", nov10)}},
       {"coop-1", transfer("H-2", "mill-1", 100'000, nov10)},
       {"coop-1", transfer("H-1", "mill-1", 1'200'000, nov10)}},
      {RuleCode::kLotNotHeld,
       {{"cert-1", hold("H-1", "C-COOP", nov10)}},
       {"cert-1", release("H-1", "C-COOP", nov10)},
       {"cert-1", release("H-4", "C-COOP", nov10)}},
      // cert-1 records that F-001's conversion started 5 November 2023: 36 months later it is
      // organic.
      {RuleCode::kFarmInConversion,
       {{"cert-1", set_member("C-COOP", "F-001", MemberStatus::kApproved,
                              at("2026-09-01T00:00:00Z"), at("2023-11-05T00:00:00Z"))}},
       {"coop-1", h9(1000, at("2026-11-05T00:00:00Z"), {"C-COOP"})},
       {"coop-1", h9(1000, at("2026-11-04T23:59:59Z"), {"C-COOP"})}},
      // Governance: coop-1 and coop-2 govern, so a proposal passes when both approve.
      {RuleCode::kOrganizationExists,
       {},
       {"coop-1", propose("P-1", {add_org("coop-3", OrgKind::kCooperative)})},
       {"coop-1", propose("P-1", {add_org("coop-2", OrgKind::kCooperative)})}},
      {RuleCode::kOrganizationSuspended,
       {{"coop-1", propose("P-1", {set_org_status("exp-1", OrgStatus::kSuspended)})},
        {"coop-2", approve_change("P-1")}},
       {"mill-1", AddKey{public_key_of("mill-1b")}},
       {"exp-1", AddKey{public_key_of("exp-1b")}}},
      {RuleCode::kOrganizationRemoved,
       {{"coop-1", propose("P-1", {set_org_status("exp-1", OrgStatus::kRemoved)})},
        {"coop-2", approve_change("P-1")}},
       {"coop-1", propose("P-2", {set_org_status("mill-1", OrgStatus::kSuspended)})},
       {"coop-1", propose("P-2", {set_org_status("exp-1", OrgStatus::kActive)})}},
      // coop-1 added a second key and, signing with it, revoked its first.
      {RuleCode::kKeyRevoked,
       {{"coop-1", AddKey{public_key_of("coop-1b")}},
        {"coop-1b", RevokeKey{key_id_of("coop-1"), "laptop stolen"}}},
       {"coop-1b", h9(1000)},
       {"coop-1", h9(1000)}},
      {RuleCode::kKeyExists,
       {},
       {"coop-1", AddKey{public_key_of("coop-1b")}},
       {"coop-1", AddKey{public_key_of("coop-2")}}},
      {RuleCode::kUnknownKey,
       {{"coop-1", AddKey{public_key_of("coop-1b")}}},
       {"coop-1", RevokeKey{key_id_of("coop-1b"), "spare key lost"}},
       {"coop-1", RevokeKey{key_id_of("coop-2"), "spare key lost"}}},
      {RuleCode::kLastKey,
       {{"coop-1", AddKey{public_key_of("coop-1b")}}},
       {"coop-1", RevokeKey{key_id_of("coop-1"), "laptop stolen"}},
       {"mill-1", RevokeKey{key_id_of("mill-1"), "laptop stolen"}}},
      {RuleCode::kNotAGovernor,
       {},
       {"coop-2", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})},
       {"mill-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})}},
      {RuleCode::kUnknownProposal,
       {{"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})}},
       {"coop-2", approve_change("P-1")},
       {"coop-2", approve_change("P-9")}},
      {RuleCode::kProposalExists,
       {{"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})}},
       {"coop-2", propose("P-2", {add_org("exp-3", OrgKind::kExporter)})},
       {"coop-2", propose("P-1", {add_org("exp-3", OrgKind::kExporter)})}},
      // The block's time is 20 November: a proposal must expire after it.
      {RuleCode::kProposalExpired,
       {},
       {"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)}, kNow + 1)},
       {"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)}, kNow)}},
      {RuleCode::kProposalClosed,
       {{"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})},
        {"coop-1", propose("P-2", {add_org("exp-3", OrgKind::kExporter)})},
        {"coop-1", WithdrawProposal{"P-1", "wrong name"}}},
       {"coop-2", approve_change("P-2")},
       {"coop-2", approve_change("P-1")}},
      {RuleCode::kDuplicateApproval,
       {{"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})}},
       {"coop-2", approve_change("P-1")},
       {"coop-1", approve_change("P-1")}},
      {RuleCode::kNotProposer,
       {{"coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)})}},
       {"coop-1", WithdrawProposal{"P-1", "wrong name"}},
       {"coop-2", WithdrawProposal{"P-1", "wrong name"}}},
      // Suspending both cooperatives would leave no one to govern.
      {RuleCode::kUnsafeMembership,
       {},
       {"coop-1", propose("P-1", {set_org_status("coop-2", OrgStatus::kSuspended)})},
       {"coop-1", propose("P-1", {set_org_status("coop-2", OrgStatus::kSuspended),
                                  set_org_status("coop-1", OrgStatus::kSuspended)})}},
      {RuleCode::kParameterOutOfRange,
       {},
       {"coop-1", propose("P-1", {reception_tolerance(80)})},
       {"coop-1", propose("P-1", {reception_tolerance(20'000)})}},
      // Learners node-4 and node-5 admitted; promoting both at once is two validator changes.
      {RuleCode::kMembershipChangePending,
       {{"coop-1", propose("P-0", {learner("node-4"), learner("node-5")})},
        {"coop-2", approve_change("P-0")}},
       {"coop-1", propose("P-1", {PromoteNode{"node-4"}})},
       {"coop-1", propose("P-1", {PromoteNode{"node-4"}, PromoteNode{"node-5"}})}},
      {RuleCode::kNodeExists,
       {{"coop-1", propose("P-0", {learner("node-4")})}, {"coop-2", approve_change("P-0")}},
       {"coop-1", propose("P-1", {learner("node-5")})},
       {"coop-1", propose("P-1", {learner("node-4")})}},
      {RuleCode::kUnknownNode,
       {{"coop-1", propose("P-0", {learner("node-4")})}, {"coop-2", approve_change("P-0")}},
       {"coop-1", propose("P-1", {RemoveNode{"node-4"}})},
       {"coop-1", propose("P-1", {RemoveNode{"node-9"}})}},
      // F-001's P-5 is a 0.0022° square at the default corner, its P-3 the 0.001° one inside it.
      {RuleCode::kPlotOverlap,
       {},
       {"coop-1", register_farm("F-009", {plot("P-1", 12'000, Crop::kCoffee,
                                               square(-765200000 + 22'000, -64800000))})},
       {"coop-1", register_farm("F-009", {plot("P-1", 12'000, Crop::kCoffee, square())})}},
  };
}

Verdict run(TestChain& chain, const Step& step) {
  return chain.submit(chain.tx(step.org, step.event, step.label, step.chain));
}

void prepare(TestChain& chain, const RuleCase& c) {
  chain.build_standard_world();
  for (const auto& step : c.prior) {
    Verdict v = run(chain, step);
    ASSERT_TRUE(v.ok()) << "prior step: " << v.to_string();
  }
  chain.commit();
}

class RuleCodeTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleCodeTest, PassingEventIsAccepted) {
  const RuleCase& c = GetParam();
  TestChain chain(c.genesis);
  ASSERT_NO_FATAL_FAILURE(prepare(chain, c));
  Verdict v = run(chain, c.pass);
  EXPECT_TRUE(v.ok()) << v.to_string();
  EXPECT_FALSE(chain.block().changes().empty());
  EXPECT_EQ(chain.block().transactions().size(), 1u);
}

TEST_P(RuleCodeTest, TrippingEventIsRejectedWithItsCodeAndWritesNothing) {
  const RuleCase& c = GetParam();
  TestChain chain(c.genesis);
  ASSERT_NO_FATAL_FAILURE(prepare(chain, c));
  if (c.trip_after_pass) {
    ASSERT_TRUE(run(chain, c.pass).ok());
    chain.commit();
  }
  Verdict v = run(chain, c.trip);
  EXPECT_EQ(rule_code_name(v.code), rule_code_name(c.code)) << v.to_string();
  EXPECT_FALSE(v.message.empty());
  EXPECT_TRUE(chain.block().changes().empty());
  EXPECT_TRUE(chain.block().transactions().empty());
}

std::string case_name(const ::testing::TestParamInfo<RuleCase>& info) {
  std::string out;
  for (char ch : rule_code_name(info.param.code)) {
    if (ch != '_') out += ch;
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryRuleCode, RuleCodeTest, ::testing::ValuesIn(cases()), case_name);

TEST(RuleCodeTable, CoversEveryCodeTheRulesCanReturn) {
  std::set<RuleCode> covered;
  for (const auto& c : cases()) covered.insert(c.code);
  // BAD_SIGNATURE is decided before the rules (verify_transaction_signature); see
  // SignatureTest below.
  covered.insert(RuleCode::kBadSignature);
  for (int i = 1; i <= static_cast<int>(kLastRuleCode); ++i) {
    EXPECT_TRUE(covered.count(static_cast<RuleCode>(i)))
        << rule_code_name(static_cast<RuleCode>(i)) << " has no case";
  }
}

TEST(SignatureTest, BadSignatureIsRefusedBeforeTheRules) {
  TestChain chain;
  Transaction t = chain.tx("coop-1", harvest("H-9", "F-001", "P-1", 1000, kNow));
  t.signed_tx.payload = "payload bytes";
  t.signed_tx.signature = TestChain::key("coop-1").sign(t.signed_tx.payload);
  EXPECT_TRUE(verify_transaction_signature(t));
  t.signed_tx.signature = TestChain::key("coop-2").sign(t.signed_tx.payload);
  EXPECT_FALSE(verify_transaction_signature(t));  // the node reports BAD_SIGNATURE
}

}  // namespace
}  // namespace coopchain::testing

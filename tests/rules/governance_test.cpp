// Governance: the member cooperatives change organizations, keys and accreditations by majority,
// and an organization manages its own keys. Consensus-visible: which approval applies a
// proposal, what its changes write, and the verdicts on events signed by suspended, removed or
// revoked identities.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

OrgRecord org(TestChain& chain, const std::string& id) {
  return *WorldView(chain.block()).org(id);
}
std::optional<ProposalRecord> proposal(TestChain& chain, const std::string& id) {
  return WorldView(chain.block()).proposal(id);
}
GovernanceRecord governance(TestChain& chain) {
  return WorldView(chain.block()).governance();
}

// The test genesis has two cooperatives; a third makes a majority of two out of three.
void add_third_cooperative(TestChain& chain) {
  chain.accept("coop-1", propose("P-0", {add_org("coop-3", OrgKind::kCooperative)}));
  chain.accept("coop-2", approve_change("P-0"));
  chain.commit();
}

TEST(Governance, GenesisNamesTheCooperativesThatGovern) {
  TestChain chain;
  EXPECT_EQ(governance(chain).governors, (std::vector<std::string>{"coop-1", "coop-2"}));
  EXPECT_EQ(org(chain, "coop-1").key_ids, std::vector<std::string>{key_id_of("coop-1")});
  EXPECT_EQ(org(chain, "coop-1").status, OrgStatus::kActive);
}

TEST(Governance, AProposalAppliesInTheBlockWhereItsApprovalsPassHalf) {
  TestChain chain;
  add_third_cooperative(chain);
  ASSERT_EQ(governance(chain).governors.size(), 3u);
  EXPECT_EQ(proposal(chain, "P-0")->status, ProposalStatus::kPassed);
  EXPECT_EQ(proposal(chain, "P-0")->closed_height, 1u);

  chain.accept("coop-3", propose("P-1", {add_org("exp-2", OrgKind::kExporter)}));
  EXPECT_EQ(proposal(chain, "P-1")->status, ProposalStatus::kPending) << "one of three";
  EXPECT_EQ(chain.submit("exp-2", AddKey{public_key_of("exp-2b")}).code, RuleCode::kUnknownSigner);
  chain.accept("coop-1", approve_change("P-1"));
  EXPECT_EQ(proposal(chain, "P-1")->status, ProposalStatus::kPassed) << "two of three";
  EXPECT_EQ(proposal(chain, "P-1")->approvals, (std::vector<std::string>{"coop-3", "coop-1"}));
  EXPECT_EQ(org(chain, "exp-2").kind, OrgKind::kExporter);
  chain.accept("exp-2", AddKey{public_key_of("exp-2b")});
  EXPECT_EQ(chain.submit("coop-2", approve_change("P-1")).code, RuleCode::kProposalClosed);
  EXPECT_EQ(governance(chain).proposal_ids, (std::vector<std::string>{"P-0", "P-1"}));
  EXPECT_EQ(governance(chain).org_ids.back(), "exp-2");
  EXPECT_EQ(governance(chain).org_ids.size(), 9u) << "the genesis's seven, coop-3 and exp-2";
}

TEST(Governance, ASuspendedCooperativeNeitherGovernsNorSubmitsUntilReinstated) {
  TestChain chain;
  chain.build_standard_world();
  add_third_cooperative(chain);
  chain.accept("coop-1", propose("P-1", {set_org_status("coop-2", OrgStatus::kSuspended)}));
  chain.accept("coop-3", approve_change("P-1"));
  EXPECT_EQ(governance(chain).governors, (std::vector<std::string>{"coop-1", "coop-3"}));
  EXPECT_EQ(chain.submit("coop-2", propose("P-2", {add_org("exp-2", OrgKind::kExporter)})).code,
            RuleCode::kOrganizationSuspended);
  EXPECT_EQ(chain.submit("coop-2", harvest("H-9", "F-002", "P-1", 1000, kNow)).code,
            RuleCode::kOrganizationSuspended);
  // Reinstated by the two that govern; its history (F-002) never went away.
  chain.accept("coop-1", propose("P-2", {set_org_status("coop-2", OrgStatus::kActive)}));
  chain.accept("coop-3", approve_change("P-2"));
  chain.accept("coop-2", harvest("H-9", "F-002", "P-1", 1000, kNow));
  EXPECT_EQ(governance(chain).governors.size(), 3u);
}

TEST(Governance, AnApprovalOfACooperativeThatNoLongerGovernsDoesNotCount) {
  TestChain chain;
  add_third_cooperative(chain);
  chain.accept("coop-2", propose("P-1", {add_org("exp-2", OrgKind::kExporter)}));
  chain.accept("coop-1", propose("P-2", {set_org_status("coop-2", OrgStatus::kSuspended)}));
  chain.accept("coop-3", approve_change("P-2"));
  // coop-2's approval of P-1 lapsed with its suspension: coop-3's makes one of two.
  chain.accept("coop-3", approve_change("P-1"));
  EXPECT_EQ(proposal(chain, "P-1")->status, ProposalStatus::kPending);
  chain.accept("coop-1", approve_change("P-1"));
  EXPECT_EQ(proposal(chain, "P-1")->status, ProposalStatus::kPassed);
}

TEST(Governance, AChangeThatNoLongerFitsRefusesTheApprovalThatWouldApplyIt) {
  TestChain chain;
  chain.accept("coop-1", propose("P-1", {add_org("exp-2", OrgKind::kExporter)}));
  chain.accept("coop-2", propose("P-2", {add_org("exp-2", OrgKind::kProcessor)}));
  chain.accept("coop-2", approve_change("P-1"));
  const Verdict v = chain.submit("coop-1", approve_change("P-2"));
  EXPECT_EQ(v.code, RuleCode::kOrganizationExists);
  EXPECT_NE(v.message.find("proposal P-2, change 1"), std::string::npos) << v.message;
  EXPECT_EQ(proposal(chain, "P-2")->status, ProposalStatus::kPending);
  EXPECT_EQ(proposal(chain, "P-2")->approvals.size(), 1u) << "the refused approval left no trace";
  chain.accept("coop-2", WithdrawProposal{"P-2", "exp-2 joined through P-1"});
  EXPECT_EQ(proposal(chain, "P-2")->status, ProposalStatus::kWithdrawn);
}

TEST(Governance, NoApprovalIsTakenAfterTheProposalExpires) {
  TestChain chain;
  chain.accept("coop-1",
               propose("P-1", {add_org("exp-2", OrgKind::kExporter)}, kNow + 24 * 3600 * 1000));
  chain.commit();
  EXPECT_EQ(
      chain.submit(chain.tx("coop-2", approve_change("P-1")), kNow + 24 * 3600 * 1000 + 1).code,
      RuleCode::kProposalExpired);
  EXPECT_TRUE(
      chain.submit(chain.tx("coop-2", approve_change("P-1")), kNow + 24 * 3600 * 1000).ok());
}

// A laptop with coop-1's only key is stolen: the cooperatives revoke it and register a new one
// in one proposal; the thief's next event is refused, the new key signs.
TEST(Governance, AMajorityRecoversAnOrganizationWhoseKeysWereStolen) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("coop-2", propose("P-1", {RevokeOrganizationKey{"coop-1", ""},
                                         AddOrganizationKey{"coop-1", public_key_of("coop-1b")}}));
  chain.accept("coop-1", approve_change("P-1"));
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, kNow)).code,
            RuleCode::kKeyRevoked);
  chain.accept("coop-1b", harvest("H-9", "F-001", "P-1", 1000, kNow));
  EXPECT_EQ(org(chain, "coop-1").key_ids,
            (std::vector<std::string>{key_id_of("coop-1"), key_id_of("coop-1b")}));
  EXPECT_EQ(WorldView(chain.block()).signing_key(key_id_of("coop-1"))->revoked_height, 2u)
      << "the block after the standard world's";
}

TEST(Governance, AccreditationIsGrantedAndWithdrawnPerScheme) {
  TestChain chain;
  chain.build_standard_world();
  // cert-2 joined unaccredited; the cooperatives accredit it for FOUR_C only.
  chain.accept("coop-1", propose("P-1", {SetAccreditation{"cert-2", Scheme::kFourC, true}}));
  chain.accept("coop-2", approve_change("P-1"));
  EXPECT_EQ(org(chain, "cert-2").accredited_schemes, std::vector<Scheme>{Scheme::kFourC});
  chain.accept("cert-2", issue("C-4C", Scheme::kFourC, "coop-1"));
  EXPECT_EQ(chain.submit("cert-2", issue("C-EU2", Scheme::kEuOrganic, "coop-1")).code,
            RuleCode::kCertifierNotAccredited);
  // cert-1, accredited for every scheme, loses EU_ORGANIC: its certificates stop counting.
  chain.accept("coop-1", propose("P-2", {SetAccreditation{"cert-1", Scheme::kEuOrganic, false}}));
  chain.accept("coop-2", approve_change("P-2"));
  EXPECT_FALSE(org(chain, "cert-1").accredited_for(Scheme::kEuOrganic));
  EXPECT_TRUE(org(chain, "cert-1").accredited_for(Scheme::kFairtrade));
  EXPECT_EQ(chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, kNow, {"C-COOP"})).code,
            RuleCode::kCertifierNotAccredited);
  EXPECT_EQ(
      chain.submit("coop-1", propose("P-3", {SetAccreditation{"mill-1", Scheme::kFourC, true}}))
          .code,
      RuleCode::kRoleNotAllowed);
}

TEST(Governance, AnOrganizationRotatesItsOwnKeys) {
  TestChain chain;
  chain.accept("mill-1", AddKey{public_key_of("mill-1b")});
  chain.accept("mill-1b", RevokeKey{key_id_of("mill-1"), "laptop replaced"});
  EXPECT_EQ(chain.submit("mill-1", AddKey{public_key_of("mill-1c")}).code, RuleCode::kKeyRevoked);
  EXPECT_EQ(chain.submit("mill-1b", RevokeKey{key_id_of("mill-1b"), "oops"}).code,
            RuleCode::kLastKey);
  EXPECT_EQ(chain.submit("mill-1b", RevokeKey{key_id_of("mill-1"), "again"}).code,
            RuleCode::kKeyRevoked);
}

TEST(Governance, ARemovedOrganizationStaysRemoved) {
  TestChain chain;
  chain.accept("coop-1", propose("P-1", {set_org_status("exp-1", OrgStatus::kRemoved)}));
  chain.accept("coop-2", approve_change("P-1"));
  EXPECT_EQ(chain.submit("exp-1", AddKey{public_key_of("exp-1b")}).code,
            RuleCode::kOrganizationRemoved);
  EXPECT_EQ(
      chain.submit("coop-1", propose("P-2", {set_org_status("exp-1", OrgStatus::kActive)})).code,
      RuleCode::kOrganizationRemoved);
}

TEST(Governance, AChangeAboutAnUnknownOrganizationIsRefusedWhenProposed) {
  TestChain chain;
  const Verdict v =
      chain.submit("coop-1", propose("P-1", {set_org_status("exp-1", OrgStatus::kSuspended),
                                             SetAccreditation{"cert-9", Scheme::kFourC, true}}));
  EXPECT_EQ(v.code, RuleCode::kUnknownOrganization);
  EXPECT_NE(v.message.find("proposal P-1, change 2"), std::string::npos) << v.message;
  EXPECT_FALSE(proposal(chain, "P-1").has_value());
  EXPECT_EQ(org(chain, "exp-1").status, OrgStatus::kActive) << "the trial wrote nothing";
}

TEST(Governance, ARemovedCooperativeNoLongerApproves) {
  TestChain chain;
  add_third_cooperative(chain);
  chain.accept("coop-1", propose("P-1", {set_org_status("coop-3", OrgStatus::kRemoved)}));
  chain.accept("coop-2", approve_change("P-1"));
  chain.accept("coop-1", propose("P-2", {add_org("exp-2", OrgKind::kExporter)}));
  EXPECT_EQ(chain.submit("coop-3", approve_change("P-2")).code, RuleCode::kOrganizationRemoved);
  EXPECT_EQ(governance(chain).governors, (std::vector<std::string>{"coop-1", "coop-2"}));
}

SetParameters lateness(int64_t ms) {
  SetParameters p;
  p.lateness_ms = ms;
  return p;
}

SetParameters threshold(uint32_t per_mille) {
  SetParameters p;
  p.governance_threshold_per_mille = per_mille;
  return p;
}

TEST(Governance, AParameterChangeBindsTheTransactionsAfterTheApprovalThatPassesIt) {
  TestChain chain;
  chain.build_standard_world();
  const TimeMs five_days_ago = kNow - 5 * 86'400'000;
  chain.accept("coop-1", propose("P-1", {lateness(86'400'000)}));
  chain.accept("coop-1", harvest("H-8", "F-001", "P-1", 1000, five_days_ago));
  chain.accept("coop-2", approve_change("P-1"));
  // Same block, the next transaction: a day is all the lateness left.
  EXPECT_EQ(chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, five_days_ago)).code,
            RuleCode::kTooLate);
  EXPECT_EQ(WorldView(chain.block()).params().lateness_ms, 86'400'000);
  EXPECT_EQ(WorldView(chain.block()).params().max_block_txs,
            chain.rules().genesis().params.max_block_txs)
      << "the parameters not named keep their values";
  EXPECT_NE(chain.rules().genesis().params.lateness_ms, 86'400'000) << "the genesis stays";
}

TEST(Governance, ParametersOutOfTheirBoundsAreRefusedWhenProposed) {
  TestChain chain;
  Verdict v = chain.submit("coop-1", propose("P-1", {threshold(400)}));
  EXPECT_EQ(v.code, RuleCode::kParameterOutOfRange);
  EXPECT_NE(v.message.find("governanceThresholdPerMille"), std::string::npos) << v.message;
  SetParameters tiny_blocks;
  tiny_blocks.max_block_bytes = 1000;  // no room for the largest transaction
  EXPECT_EQ(chain.submit("coop-1", propose("P-1", {tiny_blocks})).code,
            RuleCode::kParameterOutOfRange);
  SetParameters twice;
  twice.conversion_caps = {{Form::kCherry, Form::kGreen, 200}, {Form::kCherry, Form::kGreen, 210}};
  EXPECT_EQ(chain.submit("coop-1", propose("P-1", {twice})).code, RuleCode::kParameterOutOfRange);
  SetParameters no_caps;
  no_caps.conversion_caps = std::vector<ConversionCap>{};
  EXPECT_EQ(chain.submit("coop-1", propose("P-1", {no_caps})).code, RuleCode::kParameterOutOfRange);
  EXPECT_FALSE(proposal(chain, "P-1").has_value());
}

TEST(Governance, ChangesOfOneProposalComposeAndAListReplacesTheWholeList) {
  TestChain chain;
  SetParameters caps;
  caps.conversion_caps = {{Form::kCherry, Form::kGreen, 200}};
  chain.accept("coop-1", propose("P-1", {lateness(86'400'000), caps, lateness(2 * 86'400'000)}));
  chain.accept("coop-2", approve_change("P-1"));
  const RuleParams params = WorldView(chain.block()).params();
  EXPECT_EQ(params.lateness_ms, 2 * 86'400'000);
  EXPECT_EQ(params.conversion_caps, caps.conversion_caps);
}

TEST(Governance, TheGovernanceThresholdIsAChainParameter) {
  TestChain chain;
  add_third_cooperative(chain);
  EXPECT_EQ(WorldView(chain.block()).params().approvals_needed(3), 2u);
  // Raised to every cooperative, by the two of three the old threshold asks for.
  chain.accept("coop-1", propose("P-1", {threshold(1000)}));
  chain.accept("coop-2", approve_change("P-1"));
  EXPECT_EQ(proposal(chain, "P-1")->status, ProposalStatus::kPassed);
  chain.accept("coop-1", propose("P-2", {add_org("exp-2", OrgKind::kExporter)}));
  chain.accept("coop-2", approve_change("P-2"));
  EXPECT_EQ(proposal(chain, "P-2")->status, ProposalStatus::kPending) << "two of three";
  chain.accept("coop-3", approve_change("P-2"));
  EXPECT_EQ(proposal(chain, "P-2")->status, ProposalStatus::kPassed);
}

TEST(Governance, ApprovalsNeededFollowTheThreshold) {
  RuleParams p;
  for (size_t n : {1, 2, 3, 4, 5, 10}) EXPECT_EQ(p.approvals_needed(n), n / 2 + 1) << n;
  p.governance_threshold_per_mille = 667;  // two thirds
  EXPECT_EQ(p.approvals_needed(3), 3u);
  EXPECT_EQ(p.approvals_needed(6), 5u);
  EXPECT_EQ(p.approvals_needed(7), 5u);
  p.governance_threshold_per_mille = 1000;
  for (size_t n : {1, 2, 3, 7}) EXPECT_EQ(p.approvals_needed(n), n) << n;
}

TEST(Governance, TheParamsRecordRoundTrips) {
  RuleParams p = RuleParams::defaults();
  p.default_country = "PE";
  p.governance_threshold_per_mille = 750;
  EXPECT_EQ(decode_params(encode(p)), p);
  std::string bad = encode(p);
  bad.pop_back();
  EXPECT_FALSE(decode_params(bad).has_value());
}

TEST(Governance, TheProposalRecordRoundTrips) {
  SetParameters params = lateness(86'400'000);
  params.eu_countries = std::vector<std::string>{"DE", "FR"};
  params.conversion_periods = std::vector<ConversionPeriod>{};
  params.default_country = "";
  params.eudr_require_assessment = false;
  ProposalRecord p{
      "P-1",
      "coop-1",
      {add_org("exp-2", OrgKind::kExporter), set_org_status("exp-1", OrgStatus::kSuspended),
       SetAccreditation{"cert-2", Scheme::kFourC, true},
       AddOrganizationKey{"coop-1", public_key_of("coop-1b")},
       RevokeOrganizationKey{"coop-1", key_id_of("coop-1")}, params},
      kNow,
      "assembly of 3 December",
      7,
      {"coop-1", "coop-2"},
      ProposalStatus::kPassed,
      8};
  EXPECT_EQ(decode_proposal(encode(p)), p);
  std::string bad = encode(p);
  bad[bad.size() - 9] = 9;  // the status byte
  EXPECT_FALSE(decode_proposal(bad).has_value());
}

}  // namespace
}  // namespace coopchain::testing

// setCertificateMember: a group certificate's member farms. The holding cooperative proposes,
// sanctions and excludes; only the issuing certifier approves, reinstates and records a
// conversion start; the status in force at a time is the latest change effective by then.
// Consensus-visible: these verdicts and the member records.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

Event member(std::string farm, MemberStatus status, TimeMs effective = at("2026-11-01T00:00:00Z"),
             TimeMs conversion_start = 0, std::string cert = "C-GROUP") {
  return SetCertificateMember{std::move(cert),  std::move(farm), status,
                              conversion_start, effective,       "ICS list 2026"};
}

// The standard world and a group certificate of coop-1 with no members yet.
void build_with_group(TestChain& chain) {
  chain.build_standard_world();
  chain.accept("cert-1", issue("C-GROUP", Scheme::kEuOrganic, "coop-1"));
  chain.commit();
}

TEST(CertificateMembers, TheCooperativeProposesAndTheCertifierApproves) {
  TestChain chain;
  build_with_group(chain);
  chain.accept("coop-1", member("F-001", MemberStatus::kProposed, at("2026-10-01T00:00:00Z")));
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-11-01T00:00:00Z"),
                                at("2023-03-01T00:00:00Z")));
  chain.commit();

  const WorldView world(chain.block());
  const auto record = world.certificate_member("C-GROUP", "F-001");
  ASSERT_TRUE(record.has_value());
  ASSERT_EQ(record->changes.size(), 2u);
  EXPECT_EQ(record->changes[0].by, "coop-1");
  EXPECT_EQ(record->changes[1].by, "cert-1");
  EXPECT_EQ(record->status_at(at("2026-09-01T00:00:00Z")), MemberStatus::kUnspecified);
  EXPECT_EQ(record->status_at(at("2026-10-15T00:00:00Z")), MemberStatus::kProposed);
  EXPECT_EQ(record->status_at(kNow), MemberStatus::kApproved);
  EXPECT_EQ(record->conversion_start(), at("2023-03-01T00:00:00Z"));
  EXPECT_EQ(world.certificate_members("C-GROUP"), std::vector<std::string>{"F-001"});
  const auto listed = certificate_members(chain.block(), "C-GROUP");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], *record);
}

TEST(CertificateMembers, TheCooperativeMayTakeStandingAwayButNeverGrantIt) {
  TestChain chain;
  build_with_group(chain);
  chain.accept("coop-1", member("F-001", MemberStatus::kProposed, at("2026-10-01T00:00:00Z")));
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-10-02T00:00:00Z")));
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", member("F-001", MemberStatus::kApproved)).code,
            RuleCode::kCertNotIssuer);
  EXPECT_EQ(chain
                .submit("coop-1",
                        member("F-001", MemberStatus::kProposed, kNow, at("2023-03-01T00:00:00Z")))
                .code,
            RuleCode::kCertNotIssuer)
      << "a conversion start is the certifier's to record";
  EXPECT_TRUE(chain.block().changes().empty());

  chain.accept("coop-1", member("F-001", MemberStatus::kSanctioned, at("2026-11-10T00:00:00Z")));
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", member("F-001", MemberStatus::kApproved)).code,
            RuleCode::kCertNotIssuer)
      << "only the certifier reinstates";
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-11-15T00:00:00Z")));
  chain.commit();
  const auto record = WorldView(chain.block()).certificate_member("C-GROUP", "F-001");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->status_at(at("2026-11-12T00:00:00Z")), MemberStatus::kSanctioned);
  EXPECT_EQ(record->status_at(kNow), MemberStatus::kApproved);
}

TEST(CertificateMembers, AChangeEffectiveEarlierRulesOnlyFromItsTime) {
  TestChain chain;
  build_with_group(chain);
  chain.accept("coop-1", member("F-001", MemberStatus::kProposed, at("2026-09-01T00:00:00Z")));
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-10-01T00:00:00Z")));
  // Recorded later, effective earlier: a sanction found at inspection for the weeks before.
  chain.accept("coop-1", member("F-001", MemberStatus::kSanctioned, at("2026-09-15T00:00:00Z")));
  chain.commit();
  const auto record = WorldView(chain.block()).certificate_member("C-GROUP", "F-001");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->status_at(at("2026-09-20T00:00:00Z")), MemberStatus::kSanctioned);
  EXPECT_EQ(record->status_at(at("2026-10-20T00:00:00Z")), MemberStatus::kApproved);
  EXPECT_EQ(record->latest_status(), MemberStatus::kSanctioned);
}

TEST(CertificateMembers, OnlyAGroupCertificatesHolderAndIssuerSetMembersOfTheirOwnFarms) {
  TestChain chain;
  build_with_group(chain);
  chain.accept("cert-1", issue("C-FARM", Scheme::kEuOrganic, "F-001"));
  chain.commit();
  EXPECT_EQ(chain.submit("coop-1", member("F-001", MemberStatus::kProposed, kNow, 0, "C-404")).code,
            RuleCode::kCertUnknown);
  EXPECT_EQ(
      chain.submit("coop-1", member("F-001", MemberStatus::kProposed, kNow, 0, "C-FARM")).code,
      RuleCode::kCertHolderMismatch)
      << "a farm's own certificate has no members";
  EXPECT_EQ(chain.submit("coop-1", member("F-404", MemberStatus::kProposed)).code,
            RuleCode::kUnknownFarm);
  EXPECT_EQ(chain.submit("coop-1", member("F-002", MemberStatus::kProposed)).code,
            RuleCode::kNotAMember)
      << "F-002 belongs to coop-2";
  EXPECT_EQ(chain.submit("coop-2", member("F-001", MemberStatus::kProposed)).code,
            RuleCode::kCertNotIssuer)
      << "another cooperative";
  EXPECT_EQ(chain.submit("cert-2", member("F-001", MemberStatus::kProposed)).code,
            RuleCode::kCertNotIssuer)
      << "a certifier that did not issue it";
  EXPECT_EQ(chain.submit("exp-1", member("F-001", MemberStatus::kProposed)).code,
            RuleCode::kRoleNotAllowed);
  EXPECT_EQ(chain.submit("cert-1", member("F-001", MemberStatus::kApproved)).code,
            RuleCode::kNotAMember)
      << "approved before the cooperative proposed it";
  EXPECT_EQ(chain.submit("coop-1", member("F-001", MemberStatus::kUnspecified)).code,
            RuleCode::kMalformed);
  EXPECT_EQ(
      chain.submit("coop-1", member("F-001", MemberStatus::kProposed, at("2026-12-20T00:00:00Z")))
          .code,
      RuleCode::kFutureTimestamp);
  EXPECT_TRUE(chain.block().changes().empty());
}

// Organic conversion: a scheme with a conversion period (EU organic: 36 months) is claimed only
// from land converted that long before the harvest. The member's own start rules, else the
// certificate's; a scheme without a period (Fairtrade) is unaffected.
TEST(Conversion, AMemberInConversionMayNotClaimTheOrganicScheme) {
  TestChain chain;
  build_with_group(chain);
  chain.accept("cert-1", issue("C-GROUP-FT", Scheme::kFairtrade, "coop-1"));
  for (const char* cert : {"C-GROUP", "C-GROUP-FT"}) {
    chain.accept("coop-1",
                 member("F-001", MemberStatus::kProposed, at("2026-10-01T00:00:00Z"), 0, cert));
    chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-10-01T00:00:00Z"),
                                  at("2024-06-01T00:00:00Z"), cert));
  }
  chain.commit();
  const TimeMs nov10 = at("2026-11-10T00:00:00Z");
  const Verdict refused =
      chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, nov10, {"C-GROUP"}));
  EXPECT_EQ(refused.code, RuleCode::kFarmInConversion) << refused.to_string();
  EXPECT_NE(refused.message.find("until 2027-06-01T00:00:00Z"), std::string::npos)
      << refused.message;
  EXPECT_TRUE(chain.block().changes().empty());
  chain.accept("coop-1", harvest("H-9", "F-001", "P-1", 1000, nov10, {"C-GROUP-FT"}));
  // The certifier corrects the start: the land has been organic since 2023.
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-11-01T00:00:00Z"),
                                at("2023-06-01T00:00:00Z")));
  chain.accept("coop-1", harvest("H-10", "F-001", "P-1", 1000, nov10, {"C-GROUP"}));
}

TEST(Conversion, TheCertificatesStartCoversItsFarmOrMembersWithoutTheirOwn) {
  TestChain chain;
  build_with_group(chain);
  IssueCertificate farm_cert =
      std::get<IssueCertificate>(issue("C-FARM", Scheme::kEuOrganic, "F-001"));
  farm_cert.conversion_start = at("2025-01-01T00:00:00Z");
  chain.accept("cert-1", farm_cert);
  IssueCertificate group =
      std::get<IssueCertificate>(issue("C-GROUP-2", Scheme::kEuOrganic, "coop-1"));
  group.conversion_start = at("2025-01-01T00:00:00Z");
  chain.accept("cert-1", group);
  chain.accept("coop-1", member("F-001", MemberStatus::kProposed, at("2026-10-01T00:00:00Z"), 0,
                                "C-GROUP-2"));
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-10-01T00:00:00Z"), 0,
                                "C-GROUP-2"));
  chain.commit();
  const TimeMs nov10 = at("2026-11-10T00:00:00Z");
  EXPECT_EQ(chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, nov10, {"C-FARM"})).code,
            RuleCode::kFarmInConversion);
  EXPECT_EQ(chain.submit("coop-1", harvest("H-9", "F-001", "P-1", 1000, nov10, {"C-GROUP-2"})).code,
            RuleCode::kFarmInConversion)
      << "a member without a start of its own takes the certificate's";
  chain.accept("cert-1", member("F-001", MemberStatus::kApproved, at("2026-11-01T00:00:00Z"),
                                at("2022-01-01T00:00:00Z"), "C-GROUP-2"));
  chain.accept("coop-1", harvest("H-9", "F-001", "P-1", 1000, nov10, {"C-GROUP-2"}));
  IssueCertificate future =
      std::get<IssueCertificate>(issue("C-SOON", Scheme::kEuOrganic, "F-001"));
  future.conversion_start = at("2026-12-20T00:00:00Z");
  EXPECT_EQ(chain.submit("cert-1", future).code, RuleCode::kFutureTimestamp);
}

TEST(Conversion, TheConversionPeriodIsAChainParameter) {
  TestChain chain([](Genesis& g) { g.params.conversion_periods.clear(); });
  build_with_group(chain);
  IssueCertificate farm_cert =
      std::get<IssueCertificate>(issue("C-FARM", Scheme::kEuOrganic, "F-001"));
  farm_cert.conversion_start = at("2026-06-01T00:00:00Z");
  chain.accept("cert-1", farm_cert);
  chain.commit();
  chain.accept("coop-1",
               harvest("H-9", "F-001", "P-1", 1000, at("2026-11-10T00:00:00Z"), {"C-FARM"}));
}

}  // namespace
}  // namespace coopchain::testing

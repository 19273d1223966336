// The stateless checks (MALFORMED, BAD_GEOMETRY) and certificate status arithmetic.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

RuleCode shape_code(Event e) {
  TestChain c;
  return c.rules().check_shape(c.tx("coop-1", std::move(e))).code;
}

TEST(Shape, IdsArePrintableAsciiWithoutSpacesUpTo128Bytes) {
  EXPECT_EQ(shape_code(harvest("H 1", "F-001", "P-1", 1, kNow)), RuleCode::kMalformed);
  EXPECT_EQ(shape_code(harvest("", "F-001", "P-1", 1, kNow)), RuleCode::kMalformed);
  EXPECT_EQ(shape_code(harvest(std::string(129, 'x'), "F-001", "P-1", 1, kNow)),
            RuleCode::kMalformed);
  EXPECT_EQ(shape_code(harvest(std::string(128, 'x'), "F-001", "P-1", 1, kNow)), RuleCode::kOk);
}

// A consensus rule: text fields are well-formed UTF-8 without display controls, so nothing
// signed can clear a reader's screen or draw a fake verdict. Accents, currency signs and
// emoji stay allowed.
TEST(Shape, TextRefusesControlCharactersAndBrokenUtf8) {
  auto findings_code = [](std::string findings) {
    return shape_code(CertifyLot{"L-1", "C-1", kNow, std::move(findings)});
  };
  EXPECT_EQ(findings_code("Inspecci\xc3\xb3n sin hallazgos \xe2\x82\xac \xf0\x9f\x8c\xb1"),
            RuleCode::kOk);
  for (const std::string& bad : std::vector<std::string>{
           "ok\x1b[2J CERTIFIED ORGANIC", "line\nbreak", "tab\there", "del\x7f", "c1 \xc2\x9b",
           "bidi \xe2\x80\xae", "isolate \xe2\x81\xa6", "broken \xc3", "overlong \xc0\xaf",
           "surrogate \xed\xa0\x80", std::string("nul \0 byte", 10)}) {
    EXPECT_EQ(findings_code(bad), RuleCode::kMalformed) << bad;
  }
  TestChain c;
  Verdict v = c.rules().check_shape(c.tx("coop-1", CertifyLot{"L-1", "C-1", kNow, "fine\x1b[2J"}));
  EXPECT_NE(v.message.find("findings contains the control character U+001B at byte 4"),
            std::string::npos)
      << v.message;
}

TEST(Shape, HarvestFormFollowsTheCrop) {
  Event e = harvest("H-1", "F-001", "P-1", 1, kNow);
  std::get<Harvest>(e).form = Form::kWetBeans;
  EXPECT_EQ(shape_code(e), RuleCode::kMalformed);
}

TEST(Shape, SplitHasExactlyOneInput) {
  EXPECT_EQ(shape_code(
                process("S", {{"A", 1}, {"B", 1}}, ProcessingStep::kSplit, Form::kCherry, 1, kNow)),
            RuleCode::kMalformed);
}

TEST(Shape, RepeatedInputsAndClaimsAreRefused) {
  EXPECT_EQ(shape_code(
                process("S", {{"A", 1}, {"A", 1}}, ProcessingStep::kBlend, Form::kCherry, 1, kNow)),
            RuleCode::kMalformed);
  EXPECT_EQ(shape_code(process("S", {{"A", 1}}, ProcessingStep::kBlend, Form::kCherry, 1, kNow,
                               {Scheme::kEuOrganic, Scheme::kEuOrganic})),
            RuleCode::kMalformed);
}

TEST(Shape, CertificateValidityMustBeOrdered) {
  EXPECT_EQ(shape_code(issue("C", Scheme::kEuOrganic, "coop-1", {Crop::kCoffee}, kNow, kNow)),
            RuleCode::kMalformed);
}

TEST(Shape, DestinationCountryIsTwoUppercaseLetters) {
  EXPECT_EQ(shape_code(ship("E", {{"L", 1}}, "de", kNow)), RuleCode::kMalformed);
  EXPECT_EQ(shape_code(ship("E", {{"L", 1}}, "DEU", kNow)), RuleCode::kMalformed);
  EXPECT_EQ(shape_code(ship("E", {{"L", 1}}, "DE", kNow)), RuleCode::kOk);
}

TEST(Shape, GeometryIsChecked) {
  auto farm_with = [](Geometry g) { return register_farm("F", {plot("P", 1, Crop::kCoffee, g)}); };
  EXPECT_EQ(shape_code(farm_with(Geometry{})), RuleCode::kOk);
  EXPECT_EQ(shape_code(farm_with(point(1'800'000'001, 0))), RuleCode::kBadGeometry);
  EXPECT_EQ(shape_code(farm_with(point(0, -900'000'001))), RuleCode::kBadGeometry);
  Geometry bad{Geometry::Type::kInvalid, {}, "geometry needs a \"type\""};
  EXPECT_EQ(shape_code(farm_with(bad)), RuleCode::kBadGeometry);
  Geometry short_ring = square();
  short_ring.rings[0] = {{0, 0}, {1, 0}, {0, 0}};
  EXPECT_EQ(shape_code(farm_with(short_ring)), RuleCode::kBadGeometry);
}

TEST(Shape, TransferToTheOwnerIsMalformed) {
  TestChain c;
  c.build_standard_world();
  Verdict v = c.submit("coop-1", transfer("H-1", "coop-1", 1'200'000, at("2026-11-01T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kMalformed);
}

TEST(Shape, MixedCropInputsAreMalformed) {
  TestChain c;
  c.build_standard_world();
  c.accept("coop-1",
           harvest("W-1", "F-001", "P-3", 1000, at("2026-11-01T00:00:00Z"), {}, Crop::kCocoa));
  Verdict v =
      c.submit("coop-1", process("B-1", {{"H-2", 1000}, {"W-1", 1000}}, ProcessingStep::kBlend,
                                 Form::kCherry, 1000, at("2026-11-02T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kMalformed);
}

TEST(Shape, ConversionNotInTheCapsIsImplausible) {
  TestChain c;
  c.build_standard_world();
  Verdict v = c.submit("coop-1", process("D-1", {{"H-2", 1000}}, ProcessingStep::kDrying,
                                         Form::kDryBeans, 1, at("2026-11-02T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kConversionImplausible);
}

TEST(Shape, YieldOverflowIsMalformed) {
  TestChain c;
  c.accept("coop-1", register_farm("F-1", {plot("P-1", UINT64_MAX / 2, Crop::kCoffee, point())}));
  Verdict v = c.submit("coop-1", harvest("H-1", "F-1", "P-1", 1, at("2026-11-01T00:00:00Z")));
  EXPECT_EQ(v.code, RuleCode::kMalformed) << v.to_string();
}

TEST(CertificateStatus, LatestEffectiveChangeWinsAndTiesGoToTheLaterCommit) {
  CertificateRecord cert;
  cert.valid_from = 0;
  cert.valid_until = 1000;
  cert.changes = {{CertStatus::kSuspended, 100, ""},
                  {CertStatus::kActive, 50, ""},
                  {CertStatus::kWithdrawn, 200, ""},
                  {CertStatus::kActive, 100, ""}};
  EXPECT_EQ(certificate_status_at(cert, 10), CertStatus::kActive);
  EXPECT_EQ(certificate_status_at(cert, 60), CertStatus::kActive);
  EXPECT_EQ(certificate_status_at(cert, 100), CertStatus::kActive);  // tie: later commit
  EXPECT_EQ(certificate_status_at(cert, 200), CertStatus::kWithdrawn);
  EXPECT_EQ(certificate_valid_at(cert, 1000).code, RuleCode::kCertExpired);
}

TEST(HolderHoldsScheme, ReportsTheMostSpecificReason) {
  TestChain c;
  c.build_standard_world();
  // coop-2 holds no EU_ORGANIC certificate at all.
  EXPECT_EQ(holder_holds_scheme(c.block(), "coop-2", Scheme::kEuOrganic, Crop::kCoffee, kNow).code,
            RuleCode::kClaimNotCertified);
  // coop-1 holds C-COCOA for cocoa. For coffee in 2028, C-COOP, C-OLD and C-NEXT have expired
  // (CERT_EXPIRED) and C-COCOA is out of scope (CERT_SCOPE, which ranks lower).
  EXPECT_TRUE(
      holder_holds_scheme(c.block(), "coop-1", Scheme::kEuOrganic, Crop::kCocoa, kNow).ok());
  EXPECT_EQ(holder_holds_scheme(c.block(), "coop-1", Scheme::kEuOrganic, Crop::kCoffee,
                                at("2028-01-01T00:00:00Z"))
                .code,
            RuleCode::kCertExpired);
  EXPECT_EQ(holder_holds_scheme(c.block(), "mill-1", Scheme::kEuOrganic, Crop::kCocoa, kNow).code,
            RuleCode::kCertScope);
}

}  // namespace
}  // namespace coopchain::testing

// The state records: every record decodes to what was encoded, and nothing else decodes.
#include "coopchain/state/records.h"

#include <gtest/gtest.h>

#include "coopchain/state/world.h"
#include "filled_hash.h"

namespace coopchain {
namespace {

Hash256 tx_id(uint8_t b) {
  return testing::filled_hash(b);
}

FarmRecord sample_farm() {
  Geometry polygon{Geometry::Type::kPolygon,
                   {{{-765200000, -64800000},
                     {-765100000, -64800000},
                     {-765100000, -64700000},
                     {-765200000, -64800000}}},
                   ""};
  Geometry point{Geometry::Type::kPoint, {{{-765200000, -64800000}}}, ""};
  return FarmRecord{
      "F-001",
      "coop-1",
      "member 0042",
      1'790'000'000'000,
      "PE",
      {Plot{"P-1", 20'000, Crop::kCoffee, point, "Coffea arabica"},
       Plot{"P-2", 60'000, Crop::kCoffee, polygon, "Coffea canephora"},
       Plot{"P-3", 5, Crop::kCocoa, {}, "Theobroma cacao"},
       Plot{"P-4", 90'000, Crop::kCoffee,
            Geometry{Geometry::Type::kMultiPolygon, {polygon.rings[0], polygon.rings[0]}, ""},
            "Coffea arabica"}},
      17,
      tx_id(3)};
}

CertificateRecord sample_certificate() {
  return CertificateRecord{"PE-BIO-149-0001",
                           Scheme::kEuOrganic,
                           "cert-1",
                           "coop-1",
                           {Crop::kCoffee, Crop::kCocoa},
                           1'767'225'600'000,
                           1'798'761'600'000,
                           1'790'000'000'000,
                           {{CertStatus::kSuspended, 1'790'000'000'001, "audit"},
                            {CertStatus::kActive, 1'790'000'000'002, ""}},
                           1'690'000'000'000};
}

LotRecord sample_lot() {
  LotRecord l;
  l.lot_id = "GR-001";
  l.crop = Crop::kCoffee;
  l.form = Form::kGreen;
  l.mass_g = 200'000;
  l.produced_g = 210'000;
  l.owner = "exp-1";
  l.origins = {{"F-001", "P-1"}, {"F-002", "P-9"}};
  l.claims = {{Scheme::kEuOrganic, {"A", "B"}}, {Scheme::kFairtrade, {"C"}}};
  l.inputs = {{"PA-001", 260'000}};
  l.created_by_step = ProcessingStep::kDryMill;
  l.created_at = 1'790'000'000'000;
  l.last_event_at = 1'790'000'500'000;
  l.facility = "Central mill";
  l.quality = {"SHB", 845, 110, 3, 12, 16, {1, 2, 3, 4}};
  auto entry = [](LotEventKind kind, uint8_t tx, const char* actor, int64_t delta) {
    LotEventRecord e;
    e.kind = kind;
    e.tx_id = tx_id(tx);
    e.at = 1'790'000'000'000 + tx;
    e.actor = actor;
    e.mass_delta_g = delta;
    return e;
  };
  LotEventRecord processing = entry(LotEventKind::kProcessing, 7, "mill-1", 210'000);
  processing.certificates_checked = {"A"};
  LotEventRecord certify = entry(LotEventKind::kCertifyLot, 8, "cert-1", 0);
  certify.certificates_checked = {"A"};
  certify.findings = "sample 3";
  certify.outcome = InspectionOutcome::kFail;
  certify.nonconformities = {{"RESIDUE_DETECTED", "chlorpyrifos"}, {"RECORDS", ""}};
  certify.scheme = Scheme::kEuOrganic;
  certify.claim_removed = true;
  LotEventRecord held = entry(LotEventKind::kHold, 13, "cert-1", 0);
  held.findings = "residue test pending";
  held.scheme = Scheme::kFairtrade;
  LotEventRecord received = entry(LotEventKind::kReceive, 15, "mill-1", -5'000);
  received.findings = "weighbridge";
  received.received_g = 1'195'000;
  received.quality = {"", 0, 118, 5, 14, 15, {}};
  LotEventRecord released = entry(LotEventKind::kRelease, 14, "cert-1", 0);
  released.scheme = Scheme::kFairtrade;
  LotEventRecord transfer = entry(LotEventKind::kTransfer, 9, "mill-1", 0);
  transfer.organization = "exp-1";
  transfer.dropped_claims = {{Scheme::kFairtrade, RuleCode::kClaimNotCertified}};
  LotEventRecord input = entry(LotEventKind::kInput, 10, "exp-1", -5'000);
  input.step = ProcessingStep::kSplit;
  input.lot_id = "GR-001-A";
  LotEventRecord shipped = entry(LotEventKind::kExport, 11, "exp-1", -5'000);
  shipped.export_id = "EXP-77";
  l.history = {processing, certify,  transfer,
               input,      shipped,  entry(LotEventKind::kHarvest, 12, "coop-1", 1),
               held,       released, received};
  l.in_transit_g = 7;
  l.holds = {{Scheme::kFairtrade, "FT-1", "cert-1", 1'790'000'000'003},
             {Scheme::kFourC, "4C-1", "cert-2", 1'790'000'000'004}};
  return l;
}

ExportRecord sample_export() {
  return ExportRecord{"EXP-77", "exp-1",           {{"GR-001", 200'000}, {"GR-002", 1}},
                      "DE",     "DEHAM",           "Roastery GmbH",
                      "090111", 1'790'000'500'000, {Scheme::kEuOrganic},
                      tx_id(3)};
}

template <typename T, typename Decode>
void expect_round_trip(const T& rec, Decode decode) {
  const std::string bytes = encode(rec);
  std::optional<T> back = decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, rec);
  EXPECT_EQ(encode(*back), bytes) << "one encoding per value";
  EXPECT_FALSE(decode(bytes + std::string(1, '\0')).has_value()) << "trailing bytes";
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode(bytes.substr(0, cut)).has_value()) << "truncated at " << cut;
  }
}

TEST(Records, EveryRecordRoundTrips) {
  expect_round_trip(OrgRecord{"cert-1", "Control Union", OrgKind::kCertifier, true}, decode_org);
  expect_round_trip(
      OrgRecord{
          "cert-2", "Bio Latina", OrgKind::kCertifier, true, {Scheme::kEuOrganic, Scheme::kFourC}},
      decode_org);
  expect_round_trip(KeyRecord{"ab01", "coop-1"}, decode_key);
  expect_round_trip(sample_farm(), decode_farm);
  expect_round_trip(FarmLotsRecord{"F-001", 2}, decode_farm_lots);
  expect_round_trip(FarmLotRecord{"F-001", 1, "H-1"}, decode_farm_lot);
  expect_round_trip(YieldTallyRecord{"F-001", "P-1", 2026, 1'200'000}, decode_yield_tally);
  expect_round_trip(sample_certificate(), decode_certificate);
  expect_round_trip(HolderCertificatesRecord{"coop-1", {"A", "B"}}, decode_holder_certificates);
  expect_round_trip(sample_lot(), decode_lot);
  expect_round_trip(sample_export(), decode_export);
  expect_round_trip(
      PlotCellRecord{17,
                     70'000,
                     65'000,
                     0b1010,
                     {{"F-001", "P-2", {-765200000, -64800000, -765100000, -64700000}},
                      {"F-002", "P-1", {-765300000, -64800000, -765200001, -64700000}}}},
      decode_plot_cell);
  expect_round_trip(PlotHistoryRecord{"F-001", "P-2", 40, 2}, decode_plot_history);
  expect_round_trip(PlotRevisionRecord{"F-001", "P-2", 1, 60'000, sample_farm().plots[1].geometry,
                                       17, 40, tx_id(9)},
                    decode_plot_revision);
  expect_round_trip(PlotAssessmentsRecord{"F-001", "P-2", 3}, decode_plot_assessments);
  expect_round_trip(
      PlotAssessmentRecord{"F-001", "P-2", 2, Deforestation::kNotFree, "satellite imagery", "GFW-7",
                           1'790'000'000'000, "cert-1", 1, 41, tx_id(4)},
      decode_plot_assessment);
  expect_round_trip(
      CertificateMemberRecord{
          "C-1",
          "F-001",
          {{MemberStatus::kProposed, 1'780'000'000'000, 0, "coop-1", "ICS"},
           {MemberStatus::kApproved, 1'790'000'000'000, 1'700'000'000'000, "cert-1", ""}},
          {{2025, Form::kCherry, 0, 0, 12'000},
           {2026, Form::kCherry, 900'000, 800'000, 1},
           {2026, Form::kWetBeans, 5, 0, 0}}},
      decode_certificate_member);
  expect_round_trip(CertificateMembersRecord{"C-1", {"F-001", "F-002"}},
                    decode_certificate_members);
}

TEST(Records, EmptyRecordsRoundTrip) {
  expect_round_trip(LotRecord{}, decode_lot);
  expect_round_trip(FarmRecord{}, decode_farm);
  expect_round_trip(CertificateRecord{}, decode_certificate);
}

// The history holds codes, never words: an entry's kind and a dropped claim's rule code are
// numbers, and one out of range is not a record.
TEST(Records, HistoryEntriesOfUnknownKindOrRuleCodeDoNotDecode) {
  LotRecord lot;
  lot.history.resize(1);
  lot.history[0].kind = LotEventKind::kUnspecified;
  EXPECT_FALSE(decode_lot(encode(lot)).has_value());
  lot.history[0].kind = LotEventKind::kTransfer;
  lot.history[0].dropped_claims = {{Scheme::kEuOrganic, RuleCode::kOk}};
  EXPECT_FALSE(decode_lot(encode(lot)).has_value());
  lot.history[0].dropped_claims[0].reason = kLastRuleCode;
  EXPECT_TRUE(decode_lot(encode(lot)).has_value());
}

// An unreadable geometry is refused by the rules, so a stored one is corruption.
TEST(Records, AStoredGeometryIsNeverUnreadable) {
  FarmRecord farm = sample_farm();
  farm.plots[0].geometry.type = Geometry::Type::kInvalid;
  EXPECT_FALSE(decode_farm(encode(farm)).has_value());
}

TEST(Records, ARecordDoesNotDecodeAsAnotherKind) {
  EXPECT_FALSE(decode_key(encode(OrgRecord{"a", "b", OrgKind::kCooperative, false})));
  EXPECT_FALSE(decode_lot(encode(sample_export())));
  EXPECT_FALSE(decode_farm_lots(encode(HolderCertificatesRecord{"coop-1", {"A"}})));
}

TEST(Records, EnumOutOfRangeIsRefused) {
  std::string bytes = encode(OrgRecord{"a", "b", OrgKind::kAuditor, false});
  bytes[bytes.size() - 2] = 9;  // the kind byte precedes the accredited flag
  EXPECT_FALSE(decode_org(bytes).has_value());
}

TEST(Records, KeysOfDifferentKindsNeverCollide) {
  EXPECT_EQ(lot_key("L-1"), "lot/L-1");
  EXPECT_EQ(yield_tally_key("F-1", "P-1", 2026), "tally/F-1 P-1 2026");
  EXPECT_NE(farm_key("x"), farm_lots_key("x"));
  EXPECT_NE(org_key("x"), signing_key_key("x"));
  // No kind's prefix ("lot/") begins another kind's key.
  const std::vector<std::string> keys = {org_key("x"),
                                         signing_key_key("x"),
                                         farm_key("x"),
                                         farm_lots_key("x"),
                                         farm_lot_key("x", 0),
                                         lot_history_key("x", 0),
                                         yield_tally_key("x", "p", 2026),
                                         certificate_key("x"),
                                         holder_certificates_key("x"),
                                         lot_key("x"),
                                         export_key("x"),
                                         plot_cell_key(1, 2, 3),
                                         plot_history_key("x", "p"),
                                         plot_revision_key("x", "p", 0),
                                         plot_assessments_key("x", "p"),
                                         plot_assessment_key("x", "p", 0)};
  for (const auto& a : keys) {
    const std::string kind = a.substr(0, a.find('/') + 1);
    for (const auto& b : keys) {
      if (&a == &b) continue;
      EXPECT_NE(b.rfind(kind, 0), 0u) << kind << " begins " << b;
    }
  }
}

TEST(World, WritesAreReadBackThroughTheOverlay) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  EXPECT_FALSE(world.lot("GR-001").has_value());
  world.put_lot(sample_lot());
  world.put_farm(sample_farm());
  world.put_certificate(sample_certificate());
  world.put_export(sample_export());
  EXPECT_EQ(world.lot("GR-001"), sample_lot());
  EXPECT_EQ(world.farm("F-001"), sample_farm());
  EXPECT_EQ(world.certificate("PE-BIO-149-0001"), sample_certificate());
  EXPECT_EQ(world.export_record("EXP-77"), sample_export());
  EXPECT_TRUE(world.has_lot("GR-001"));
  EXPECT_FALSE(world.has_lot("GR-002"));
}

TEST(World, HolderIndexStaysSortedAndUnique) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  world.add_holder_certificate("coop-1", "C");
  world.add_holder_certificate("coop-1", "A");
  world.add_holder_certificate("coop-1", "C");
  world.add_holder_certificate("coop-1", "B");
  EXPECT_EQ(world.holder_certificates("coop-1"), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(world.holder_certificates("mill-1").empty());
}

TEST(World, FarmLotsKeepCreationOrder) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  world.add_farm_lot("F-001", "H-2");
  world.add_farm_lot("F-001", "H-1");
  world.add_farm_lot("F-002", "H-3");
  EXPECT_EQ(world.farm_lots("F-001"), (std::vector<std::string>{"H-2", "H-1"}));
  EXPECT_EQ(world.farm_lot_count("F-002"), 1u);
}

TEST(World, YieldTallyIsPerPlotAndYear) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  world.put_yield_tally({"F-001", "P-1", 2026, 500});
  EXPECT_EQ(world.yield_tally("F-001", "P-1", 2026), 500u);
  EXPECT_EQ(world.yield_tally("F-001", "P-1", 2027), 0u);
  EXPECT_EQ(world.yield_tally("F-001", "P-2", 2026), 0u);
}

TEST(World, CorruptRecordIsFatal) {
  MemoryState base;
  StateOverlay overlay(base);
  overlay.put(lot_key("L-1"), "garbage");
  World world(overlay);
  EXPECT_DEATH({ (void)world.lot("L-1"); }, "corrupt state record");
}

}  // namespace
}  // namespace coopchain

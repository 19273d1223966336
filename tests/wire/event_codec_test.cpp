#include "coopchain/wire/event_codec.h"

#include <gtest/gtest.h>

#include "coopchain/core/civil_time.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/wire/genesis_json.h"
#include "coopchain/wire/governance_proto.h"

namespace coopchain::wire {
namespace {

constexpr const char* kFarm = R"({"registerFarm": {"farmId": "F-001", "farmerRef": "member 0042",
  "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
             "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})";

TEST(EventsFromJson, ReadsTheContractsFarmWithItsGeometry) {
  auto events = events_from_json(kFarm);
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  ASSERT_EQ(events->size(), 1u);
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok());
  const auto& farm = std::get<RegisterFarm>(*domain);
  ASSERT_EQ(farm.plots.size(), 1u);
  EXPECT_EQ(farm.plots[0].area_m2, 20000u);
  EXPECT_EQ(farm.plots[0].geometry.type, Geometry::Type::kPoint);
  EXPECT_EQ(farm.plots[0].geometry.rings[0][0], (Position{-765200000, -64800000}));
}

TEST(EventsFromJson, ReadsAPlotUpdateWithItsPolygon) {
  auto events = events_from_json(R"({"updatePlot": {"farmId": "F-001", "plotId": "P-1",
      "areaM2": "12232", "geometry": {"type": "Polygon", "coordinates": [[[-76.52, -6.48],
      [-76.519, -6.48], [-76.519, -6.479], [-76.52, -6.479], [-76.52, -6.48]]]}}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok());
  const auto& update = std::get<UpdatePlot>(*domain);
  EXPECT_EQ(update.farm_id, "F-001");
  EXPECT_EQ(update.plot_id, "P-1");
  EXPECT_EQ(update.area_m2, 12'232u);
  EXPECT_EQ(update.geometry.type, Geometry::Type::kPolygon);
  EXPECT_EQ(update.geometry.rings[0][1], (Position{-765190000, -64800000}));
  EXPECT_EQ(event_type_name(*domain), "updatePlot");
}

TEST(EventsFromJson, ReadsADeforestationAssessment) {
  auto events = events_from_json(R"({"assessPlot": {"farmId": "F-001", "plotId": "P-1",
      "result": "NOT_FREE", "method": "satellite imagery 2020-2026", "reference": "GFW-1",
      "assessedAt": "2026-11-01T00:00:00Z"}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok());
  const auto& a = std::get<AssessPlot>(*domain);
  EXPECT_EQ(a.result, Deforestation::kNotFree);
  EXPECT_EQ(a.reference, "GFW-1");
  EXPECT_EQ(event_type_name(*domain), "assessPlot");
  EXPECT_FALSE(events_from_json(R"({"assessPlot": {"result": "PROBABLY_FINE"}})").ok());
}

TEST(EventsFromJson, ReadsACertificateMembership) {
  auto events = events_from_json(R"({"setCertificateMember": {"certificateId": "C-1",
      "farmId": "F-001", "status": "APPROVED", "conversionStart": "2023-03-01T00:00:00Z",
      "effectiveAt": "2026-11-01T00:00:00Z", "reason": "inspection 2026"}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok());
  const auto& m = std::get<SetCertificateMember>(*domain);
  EXPECT_EQ(m.status, MemberStatus::kApproved);
  EXPECT_EQ(m.conversion_start, *parse_rfc3339("2023-03-01T00:00:00Z"));
  EXPECT_EQ(m.reason, "inspection 2026");
  EXPECT_EQ(event_type_name(*domain), "setCertificateMember");
  auto unchanged = events_from_json(R"({"setCertificateMember": {"certificateId": "C-1",
      "farmId": "F-001", "status": "SANCTIONED", "effectiveAt": "2026-11-01T00:00:00Z"}})");
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(std::get<SetCertificateMember>(*event_from_proto(unchanged->front())).conversion_start,
            0)
      << "no conversionStart: unchanged";
  EXPECT_FALSE(events_from_json(R"({"setCertificateMember": {"status": "ORGANIC"}})").ok());
}

TEST(EventsFromJson, ReadsInspectionsHoldsAndReleases) {
  auto failed = events_from_json(R"({"certifyLot": {"lotId": "GR-1", "certificateId": "C-1",
      "inspectedAt": "2026-11-01T00:00:00Z", "findings": "sample 3", "outcome": "FAIL",
      "nonconformities": [{"code": "RESIDUE_DETECTED", "text": "chlorpyrifos 0.02 mg/kg"}]}})");
  ASSERT_TRUE(failed.ok()) << failed.status().to_string();
  const auto f = std::get<CertifyLot>(*event_from_proto(failed->front()));
  EXPECT_EQ(f.outcome, InspectionOutcome::kFail);
  EXPECT_EQ(f.nonconformities,
            (std::vector<InspectionFinding>{{"RESIDUE_DETECTED", "chlorpyrifos 0.02 mg/kg"}}));
  // The contract's certifyLot, without an outcome, is a pass.
  auto plain = events_from_json(R"({"certifyLot": {"lotId": "GR-1", "certificateId": "C-1",
      "inspectedAt": "2026-11-01T00:00:00Z", "findings": "no residues"}})");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(std::get<CertifyLot>(*event_from_proto(plain->front())).outcome,
            InspectionOutcome::kPass);
  EXPECT_FALSE(events_from_json(R"({"certifyLot": {"outcome": "MAYBE"}})").ok());

  auto held = events_from_json(R"([{"holdLot": {"lotId": "GR-1", "certificateId": "C-1",
      "heldAt": "2026-11-01T00:00:00Z", "reason": "residue test pending"}},
      {"releaseLot": {"lotId": "GR-1", "certificateId": "C-1",
      "releasedAt": "2026-11-02T00:00:00Z", "reason": "negative"}}])");
  ASSERT_TRUE(held.ok()) << held.status().to_string();
  auto hold = event_from_proto((*held)[0]);
  auto release = event_from_proto((*held)[1]);
  ASSERT_TRUE(hold.ok() && release.ok());
  EXPECT_EQ(event_type_name(*hold), "holdLot");
  EXPECT_EQ(event_type_name(*release), "releaseLot");
  EXPECT_EQ(std::get<HoldLot>(*hold).reason, "residue test pending");
  EXPECT_EQ(std::get<ReleaseLot>(*release).released_at, *parse_rfc3339("2026-11-02T00:00:00Z"));
}

TEST(EventsFromJson, ReadsYieldEstimates) {
  auto events = events_from_json(R"([{"setYieldEstimate": {"certificateId": "C-1",
      "farmId": "F-001", "season": 2026, "form": "CHERRY", "massG": "1800000",
      "reason": "ICS visit"}}, {"approveYieldEstimate": {"certificateId": "C-1",
      "farmId": "F-001", "season": 2026, "form": "CHERRY", "massG": "1500000"}}])");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto set = event_from_proto((*events)[0]);
  auto approved = event_from_proto((*events)[1]);
  ASSERT_TRUE(set.ok() && approved.ok());
  EXPECT_EQ(event_type_name(*set), "setYieldEstimate");
  EXPECT_EQ(std::get<SetYieldEstimate>(*set).mass_g, 1'800'000u);
  EXPECT_EQ(std::get<ApproveYieldEstimate>(*approved).season, 2026);
  EXPECT_EQ(std::get<ApproveYieldEstimate>(*approved).form, Form::kCherry);
}

TEST(EventsFromJson, ReadsAReception) {
  auto events = events_from_json(R"({"receiveLot": {"lotId": "H-1", "massG": "1195000",
      "receivedAt": "2026-11-11T00:00:00Z", "reason": "weighbridge"}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok());
  EXPECT_EQ(event_type_name(*domain), "receiveLot");
  EXPECT_EQ(std::get<ReceiveLot>(*domain).mass_g, 1'195'000u);
  EXPECT_EQ(std::get<ReceiveLot>(*domain).reason, "weighbridge");
}

TEST(EventsFromJson, ReadsAGovernanceProposal) {
  const std::string key(64, 'a');
  auto events = events_from_json(R"({"proposeChange": {"proposalId": "GOV-1",
      "expiresAt": "2026-12-01T00:00:00Z", "reason": "assembly", "changes": [
      {"addOrganization": {"orgId": "exp-2", "name": "Exporter 2", "kind": "EXPORTER",
                           "publicKeys": [")" +
                                 key + R"("]}},
      {"setOrganizationStatus": {"orgId": "exp-1", "status": "ORG_SUSPENDED"}},
      {"setAccreditation": {"orgId": "cert-2", "scheme": "FOUR_C", "accredited": true}},
      {"addOrganizationKey": {"orgId": "coop-1", "publicKey": ")" +
                                 key + R"("}},
      {"revokeOrganizationKey": {"orgId": "coop-1"}}]}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok()) << domain.status().to_string();
  const auto& p = std::get<ProposeChange>(*domain);
  ASSERT_EQ(p.changes.size(), 5u);
  const auto& added = std::get<AddOrganization>(p.changes[0]);
  EXPECT_EQ(added.kind, OrgKind::kExporter);
  EXPECT_EQ(added.public_keys, std::vector<std::string>{std::string(32, '\xaa')});
  EXPECT_EQ(std::get<SetOrganizationStatus>(p.changes[1]).status, OrgStatus::kSuspended);
  EXPECT_EQ(std::get<SetAccreditation>(p.changes[2]).scheme, Scheme::kFourC);
  EXPECT_TRUE(std::get<RevokeOrganizationKey>(p.changes[4]).key_id.empty());
}

// A parameter named is set, even to zero or ""; one left out stays as it is. Lists come in the
// state's order (countries and periods sorted, a period of 0 months is none) however written.
TEST(EventsFromJson, ReadsAParameterChange) {
  auto events = events_from_json(R"({"proposeChange": {"proposalId": "GOV-2",
      "expiresAt": "2026-12-01T00:00:00Z", "changes": [{"setParameters": {
      "receptionToleranceBp": 80, "eudrPolygonMinAreaM2": "0", "defaultCountry": "",
      "euCountries": {"countries": ["FR", "DE"]},
      "conversionPeriods": {"periods": [{"scheme": "FOUR_C", "months": 12},
                                        {"scheme": "EU_ORGANIC", "months": 24},
                                        {"scheme": "USDA_ORGANIC", "months": 0}]},
      "governanceThresholdPerMille": 667}}]}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_TRUE(domain.ok()) << domain.status().to_string();
  const auto& c = std::get<SetParameters>(std::get<ProposeChange>(*domain).changes.at(0));
  EXPECT_EQ(c.reception_tolerance_bp, 80u);
  EXPECT_EQ(c.eudr_polygon_min_area_m2, 0u);
  EXPECT_EQ(c.default_country, "");
  EXPECT_EQ(c.eu_countries, (std::vector<std::string>{"DE", "FR"}));
  EXPECT_EQ(c.conversion_periods,
            (std::vector<ConversionPeriod>{{Scheme::kEuOrganic, 24}, {Scheme::kFourC, 12}}));
  EXPECT_EQ(c.governance_threshold_per_mille, 667u);
  EXPECT_FALSE(c.lateness_ms.has_value());
  EXPECT_FALSE(c.conversion_caps.has_value());
  EXPECT_FALSE(c.eudr_require_assessment.has_value());
  // The wire form the Governance service answers with names the same fields.
  auto proto = governance_change_to_proto(c);
  v1::Event again;
  *again.mutable_propose_change()->add_changes() = proto;
  auto back = event_from_proto(again);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<SetParameters>(std::get<ProposeChange>(*back).changes.at(0)), c);
}

TEST(EventsFromJson, AKeyThatIsNot64HexDigitsIsMalformed) {
  auto events = events_from_json(R"({"addKey": {"publicKey": "abcd"}})");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  auto domain = event_from_proto(events->front());
  ASSERT_FALSE(domain.ok());
  EXPECT_NE(domain.status().to_string().find("publicKey is not a public key"), std::string::npos)
      << domain.status().to_string();
}

TEST(EventsFromJson, ReadsAnArrayOfEvents) {
  auto events = events_from_json(std::string("[") + kFarm + "," + kFarm + "]");
  ASSERT_TRUE(events.ok()) << events.status().to_string();
  EXPECT_EQ(events->size(), 2u);
}

TEST(EventsFromJson, RefusesMalformedJsonUnknownFieldsEnumsAndTypes) {
  for (const char* bad : {R"({"harvest": {"lotId": )", R"({"harvest": {"color": "red"}})",
                          R"({"harvest": {"crop": "TEA"}})", R"({"harvest": {"massG": "heavy"}})",
                          R"({})", "", R"({"harvest": {"harvestedAt": "last tuesday"}})"}) {
    auto events = events_from_json(bad);
    ASSERT_FALSE(events.ok()) << bad;
    EXPECT_EQ(events.status().rule(), RuleCode::kMalformed) << bad;
    EXPECT_EQ(events.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(EventFromProto, MarksUnreadableGeometryInvalid) {
  auto events = events_from_json(R"({"registerFarm": {"farmId": "F", "plots": [
      {"plotId": "P", "areaM2": 1, "crop": "COFFEE",
       "geometry": {"type": "Circle", "coordinates": [1, 2]}}]}})");
  ASSERT_TRUE(events.ok());
  auto domain = event_from_proto(events->front());
  EXPECT_EQ(std::get<RegisterFarm>(*domain).plots[0].geometry.type, Geometry::Type::kInvalid);
}

SignedTransaction sign(const PrivateKey& key, const v1::Event& event) {
  std::string payload = encode_payload("net", key.public_key(), 0, event);
  return {payload, key.sign(payload)};
}

// A time is signed as the client wrote it; the chain keeps milliseconds, so a finer part is
// refused (never silently cut), and so is a time protobuf itself would not print.
TEST(EventFromProto, RefusesTimesBelowTheMillisecondOrOutOfRange) {
  auto whole = events_from_json(
      R"({"transfer": {"lotId": "L", "toOrganization": "o", "massG": 1,
          "transferredAt": "2026-10-20T14:00:00.123Z"}})");
  ASSERT_TRUE(whole.ok());
  auto event = event_from_proto(whole->front());
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(std::get<Transfer>(*event).transferred_at % 1000, 123);

  auto fine = events_from_json(
      R"({"transfer": {"lotId": "L", "toOrganization": "o", "massG": 1,
          "transferredAt": "2026-10-20T14:00:00.1234Z"}})");
  ASSERT_TRUE(fine.ok());
  auto refused = event_from_proto(fine->front());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().rule(), RuleCode::kMalformed);
  EXPECT_NE(refused.status().message().find("transferredAt"), std::string::npos);

  v1::Event far;
  far.mutable_harvest()->mutable_harvested_at()->set_seconds(int64_t{1} << 62);
  EXPECT_EQ(event_from_proto(far).status().rule(), RuleCode::kMalformed);
  v1::Event negative;
  negative.mutable_certify_lot()->mutable_inspected_at()->set_nanos(-1);
  EXPECT_EQ(event_from_proto(negative).status().rule(), RuleCode::kMalformed);
}

// proto3 enums are open on the binary path: a number the schema does not name (crop 77, or 333
// which a narrowing cast would turn into 77) is MALFORMED, never carried into the state.
TEST(EventFromProto, RefusesEnumNumbersTheSchemaDoesNotName) {
  v1::Event farm;
  auto* plot = farm.mutable_register_farm()->add_plots();
  plot->set_crop(static_cast<v1::Crop>(77));
  auto refused = event_from_proto(farm);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().rule(), RuleCode::kMalformed);
  EXPECT_NE(refused.status().message().find("plots.crop 77"), std::string::npos);

  v1::Event harvest;
  harvest.mutable_harvest()->set_crop(static_cast<v1::Crop>(333));
  EXPECT_EQ(event_from_proto(harvest).status().rule(), RuleCode::kMalformed);
  v1::Event exported;
  exported.mutable_export_()->add_claims(static_cast<v1::Scheme>(99));
  EXPECT_NE(event_from_proto(exported).status().message().find("claims 99"), std::string::npos);
  v1::Event status;
  status.mutable_change_certificate_status()->set_status(static_cast<v1::CertificateStatus>(-1));
  EXPECT_EQ(event_from_proto(status).status().rule(), RuleCode::kMalformed);
  v1::Event step;
  step.mutable_processing()->set_step(static_cast<v1::ProcessingStep>(50));
  EXPECT_EQ(event_from_proto(step).status().rule(), RuleCode::kMalformed);
}

// GeoJSON at the edge: a MultiPolygon is read (each polygon's one ring); a polygon with a hole
// inside one, or a type the EU refuses (LineString), is marked unreadable with the reason.
TEST(EventFromProto, ReadsAMultiPolygonAndMarksOtherShapesInvalid) {
  auto geometry_of = [](const std::string& geometry) {
    auto events = events_from_json(
        R"({"registerFarm": {"farmId": "F", "plots": [{"plotId": "P", "areaM2": 1,
            "crop": "COFFEE", "geometry": )" +
        geometry + "}]}}");
    EXPECT_TRUE(events.ok());
    return std::get<RegisterFarm>(*event_from_proto(events->front())).plots[0].geometry;
  };
  const std::string a = "[[[-76.5, -6.4], [-76.5, -6.3], [-76.4, -6.3], [-76.5, -6.4]]]";
  const std::string b = "[[[-75.5, -6.4], [-75.5, -6.3], [-75.4, -6.3], [-75.5, -6.4]]]";
  Geometry multi = geometry_of(R"({"type": "MultiPolygon", "coordinates": [)" + a + "," + b + "]}");
  EXPECT_EQ(multi.type, Geometry::Type::kMultiPolygon);
  ASSERT_EQ(multi.rings.size(), 2u);
  EXPECT_EQ(multi.rings[1][0], (Position{-755000000, -64000000}));

  const std::string holed =
      "[[[-76.5, -6.4], [-76.5, -6.3], [-76.4, -6.3], [-76.5, -6.4]], "
      "[[-76.49, -6.39], [-76.49, -6.38], [-76.48, -6.38], [-76.49, -6.39]]]";
  Geometry with_hole = geometry_of(R"({"type": "MultiPolygon", "coordinates": [)" + holed + "]}");
  EXPECT_EQ(with_hole.type, Geometry::Type::kInvalid);
  EXPECT_NE(with_hole.invalid_reason.find("hole"), std::string::npos);

  Geometry line =
      geometry_of(R"({"type": "LineString", "coordinates": [[-76.5, -6.4], [-76.4, -6.3]]})");
  EXPECT_EQ(line.type, Geometry::Type::kInvalid);
  EXPECT_NE(line.invalid_reason.find("LineString"), std::string::npos);
}

TEST(DecodeTransaction, KeepsTheSignedBytesAndDerivesIds) {
  auto key = PrivateKey::generate();
  auto events = events_from_json(kFarm);
  SignedTransaction stx = sign(*key, events->front());
  auto tx = decode_transaction(stx);
  ASSERT_TRUE(tx.ok()) << tx.status().to_string();
  EXPECT_EQ(tx->signed_tx.payload, stx.payload);
  EXPECT_EQ(tx->id, sha256(stx.payload));
  EXPECT_EQ(tx->signer_key_id, key_id(key->public_key()));
  EXPECT_EQ(tx->chain_id, "net");
  EXPECT_TRUE(verify_transaction_signature(*tx));
  stx.signature[0] ^= 1;
  auto tampered = decode_transaction(stx);
  ASSERT_TRUE(tampered.ok());
  EXPECT_FALSE(verify_transaction_signature(*tampered));
}

TEST(DecodeTransaction, RefusesGarbageOversizeAndUnknownFields) {
  EXPECT_EQ(decode_transaction({"\xff\xff\xff", std::string(64, 's')}).status().rule(),
            RuleCode::kMalformed);
  EXPECT_EQ(decode_transaction({std::string(kMaxPayloadBytes + 1, 'a'), std::string(64, 's')})
                .status()
                .rule(),
            RuleCode::kMalformed);
  auto key = PrivateKey::generate();
  auto events = events_from_json(kFarm);
  std::string payload = encode_payload("net", key->public_key(), 0, events->front());
  payload += std::string("\xf8\x07\x01", 3);  // field 127, varint 1: unknown to this build
  EXPECT_EQ(decode_transaction({payload, key->sign(payload)}).status().rule(),
            RuleCode::kMalformed);
}

TEST(GenesisJson, RoundTrips) {
  auto key = PrivateKey::generate();
  Genesis g{"net",
            1'700'000'000'000,
            {{"coop-1", "Coop", OrgKind::kCooperative, false, {key->public_key()}}},
            {{"coop-1", key->public_key()}},
            RuleParams::defaults()};
  auto back = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(genesis_hash(*back), genesis_hash(g));
  // Requiring deforestation assessments is a chain parameter: it round-trips and is hashed.
  Genesis requiring = g;
  requiring.params.eudr_require_assessment = true;
  auto back_requiring = genesis_from_json(genesis_to_json(requiring));
  ASSERT_TRUE(back_requiring.ok());
  EXPECT_TRUE(back_requiring->params.eudr_require_assessment);
  EXPECT_NE(genesis_hash(requiring), genesis_hash(g));
  // Accreditation per scheme round-trips, sorted, and is only for certifiers.
  Genesis per_scheme = g;
  per_scheme.organizations[0].kind = OrgKind::kCertifier;
  per_scheme.organizations[0].accredited = true;
  per_scheme.organizations[0].accredited_schemes = {Scheme::kEuOrganic, Scheme::kFourC};
  auto back_per_scheme = genesis_from_json(genesis_to_json(per_scheme));
  ASSERT_TRUE(back_per_scheme.ok()) << back_per_scheme.status().to_string();
  EXPECT_EQ(back_per_scheme->organizations[0].accredited_schemes,
            (std::vector<Scheme>{Scheme::kEuOrganic, Scheme::kFourC}));
  EXPECT_NE(genesis_hash(per_scheme), genesis_hash(g));
  Genesis coop_with_schemes = per_scheme;
  coop_with_schemes.organizations[0].kind = OrgKind::kCooperative;
  EXPECT_FALSE(genesis_from_json(genesis_to_json(coop_with_schemes)).ok());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "unknown": 1})").ok());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x"})").ok());  // no validators
}

// The block limits are chain parameters: they round-trip, enter the genesis hash, default when
// left out, and may not leave a block too small for the largest transaction.
TEST(GenesisJson, BlockLimitsAreChainParameters) {
  const std::string validator =
      R"("validators": [{"id": "n1", "publicKey": ")" + std::string(64, 'a') + R"("}])";
  auto plain = genesis_from_json(R"({"chainId": "x", )" + validator + "}");
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(plain->params.max_block_txs, 2000u);
  EXPECT_EQ(plain->params.max_block_bytes, 4u << 20);
  auto set = genesis_from_json(R"({"chainId": "x", "params": {"maxBlockTxs": 50,
      "maxBlockBytes": "1000000"}, )" +
                               validator + "}");
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(set->params.max_block_txs, 50u);
  EXPECT_EQ(set->params.max_block_bytes, 1'000'000u);
  EXPECT_NE(genesis_hash(*set), genesis_hash(*plain));
  auto back = genesis_from_json(genesis_to_json(*set));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(genesis_hash(*back), genesis_hash(*set));
  auto tiny = genesis_from_json(R"({"chainId": "x", "params": {"maxBlockBytes": "1000"}, )" +
                                validator + "}");
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.status().message().find("maxBlockBytes"), std::string::npos);
}

// The organic conversion periods are chain parameters: 36 months for EU and USDA organic by
// default, replaced by the genesis's list, hashed, and "none" survives a round trip.
// The reception tolerance (basis points) likewise.
TEST(GenesisJson, ConversionPeriodsAndReceptionToleranceAreChainParameters) {
  const std::string validator =
      R"("validators": [{"id": "n1", "publicKey": ")" + std::string(64, 'a') + R"("}])";
  auto plain = genesis_from_json(R"({"chainId": "x", )" + validator + "}");
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(plain->params.conversion_months(Scheme::kEuOrganic), 36u);
  EXPECT_EQ(plain->params.conversion_months(Scheme::kUsdaOrganic), 36u);
  EXPECT_EQ(plain->params.conversion_months(Scheme::kFairtrade), 0u);
  auto set = genesis_from_json(
      R"({"chainId": "x", "params": {"conversionPeriods": [{"scheme": "FOUR_C", "months": 12},
      {"scheme": "EU_ORGANIC", "months": 24}]}, )" +
      validator + "}");
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(set->params.conversion_months(Scheme::kEuOrganic), 24u);
  EXPECT_EQ(set->params.conversion_months(Scheme::kUsdaOrganic), 0u);
  EXPECT_EQ(set->params.conversion_months(Scheme::kFourC), 12u);
  EXPECT_NE(genesis_hash(*set), genesis_hash(*plain));
  auto back = genesis_from_json(genesis_to_json(*set));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(genesis_hash(*back), genesis_hash(*set));
  auto none = genesis_from_json(R"({"chainId": "x", "params": {"conversionPeriods":
      [{"scheme": "EU_ORGANIC", "months": 0}]}, )" +
                                validator + "}");
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_TRUE(none->params.conversion_periods.empty());
  auto none_back = genesis_from_json(genesis_to_json(*none));
  ASSERT_TRUE(none_back.ok());
  EXPECT_TRUE(none_back->params.conversion_periods.empty());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "params": {"conversionPeriods":
      [{"scheme": "EU_ORGANIC", "months": 36}, {"scheme": "EU_ORGANIC", "months": 24}]}, )" +
                                 validator + "}")
                   .ok());
  auto tolerance = genesis_from_json(R"({"chainId": "x", "params": {"receptionToleranceBp": 25},
      )" + validator + "}");
  ASSERT_TRUE(tolerance.ok()) << tolerance.status().to_string();
  EXPECT_EQ(tolerance->params.reception_tolerance_bp, 25u);
  EXPECT_EQ(plain->params.reception_tolerance_bp, 50u);
  EXPECT_NE(genesis_hash(*tolerance), genesis_hash(*plain));
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "params": {"receptionToleranceBp": 10001},
      )" + validator + "}")
                   .ok());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "params": {"conversionPeriods":
      [{"scheme": "EU_ORGANIC", "months": 9999}]}, )" +
                                 validator + "}")
                   .ok());
}

// A validator's TLS pin is hashed with the genesis and survives a round trip; two validators
// never share a vote key or a pin, and either every validator has one or none does.
TEST(GenesisJson, ValidatorsCarryTheirTlsPins) {
  const std::string pin(64, 'c');
  const std::string other_pin(64, 'd');
  auto g = genesis_from_json(R"({"chainId": "x", "validators": [
      {"id": "n1", "publicKey": ")" +
                             std::string(64, 'a') + R"(", "tlsPin": ")" + pin + R"("},
      {"id": "n2", "publicKey": ")" +
                             std::string(64, 'b') + R"(", "tlsPin": ")" + other_pin + R"("}]})");
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  EXPECT_EQ(g->validators[0].tls_pin, std::string(32, '\xcc'));
  EXPECT_TRUE(pins_peers(*g));
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "validators": [
      {"id": "n1", "publicKey": ")" +
                                 std::string(64, 'a') + R"(", "tlsPin": ")" + pin + R"("},
      {"id": "n2", "publicKey": ")" +
                                 std::string(64, 'b') + R"("}]})")
                   .ok())
      << "peers are known all by their pins or all by the CA";
  auto back = genesis_from_json(genesis_to_json(*g));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->validators, g->validators);
  Genesis unpinned = *g;
  unpinned.validators[0].tls_pin.clear();
  EXPECT_NE(genesis_hash(unpinned), genesis_hash(*g));
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "validators": [
      {"id": "n1", "publicKey": ")" +
                                 std::string(64, 'a') + R"(", "tlsPin": "c0ffee"}]})")
                   .ok());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "x", "validators": [
      {"id": "n1", "publicKey": ")" +
                                 std::string(64, 'a') + R"(", "tlsPin": ")" + pin + R"("},
      {"id": "n2", "publicKey": ")" +
                                 std::string(64, 'b') + R"(", "tlsPin": ")" + pin + R"("}]})")
                   .ok());
}

// More than half by default; a genesis may ask for more, never for less.
TEST(GenesisJson, TheGovernanceThresholdIsAChainParameter) {
  const std::string validator =
      R"("validators": [{"id": "n1", "publicKey": ")" + std::string(64, 'a') + R"("}])";
  auto plain = genesis_from_json(R"({"chainId": "x", )" + validator + "}");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->params.governance_threshold_per_mille, 500u);
  auto two_thirds = genesis_from_json(
      R"({"chainId": "x", "params": {"governanceThresholdPerMille": 667}, )" + validator + "}");
  ASSERT_TRUE(two_thirds.ok()) << two_thirds.status().to_string();
  EXPECT_EQ(two_thirds->params.governance_threshold_per_mille, 667u);
  EXPECT_NE(genesis_hash(*two_thirds), genesis_hash(*plain));
  auto back = genesis_from_json(genesis_to_json(*two_thirds));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->params, two_thirds->params);
  auto low = genesis_from_json(
      R"({"chainId": "x", "params": {"governanceThresholdPerMille": 400}, )" + validator + "}");
  ASSERT_FALSE(low.ok());
  EXPECT_NE(low.status().message().find("governanceThresholdPerMille"), std::string::npos);
}

TEST(GenesisJson, RefusesAGenesisTimeBelowTheMillisecond) {
  const std::string validator =
      R"("validators": [{"id": "n1", "publicKey": ")" + std::string(64, 'a') + R"("}])";
  EXPECT_TRUE(genesis_from_json(R"({"chainId": "x", "genesisTime": "2026-01-01T00:00:00.001Z", )" +
                                validator + "}")
                  .ok());
  EXPECT_FALSE(
      genesis_from_json(R"({"chainId": "x", "genesisTime": "2026-01-01T00:00:00.0015Z", )" +
                        validator + "}")
          .ok());
}

}  // namespace
}  // namespace coopchain::wire

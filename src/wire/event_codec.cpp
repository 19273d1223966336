#include "coopchain/wire/event_codec.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>

#include "coopchain/core/ed25519.h"
#include "coopchain/wire/json_guard.h"
#include "coopchain/wire/time_codec.h"
#include "coopchain/wire/unknown_fields.h"

namespace coopchain::wire {
namespace {

Status malformed(std::string message) {
  return Status::Rejected(Verdict::reject(RuleCode::kMalformed, std::move(message)));
}

// Coordinates beyond this can never be valid WGS84 and would not fit the integer form.
constexpr double kMaxCoordinate = 1000.0;

bool read_position(const google::protobuf::Value& v, Position& out, std::string& why) {
  if (!v.has_list_value() || v.list_value().values_size() < 2 || v.list_value().values_size() > 3) {
    why = "a position is an array of 2 (or 3) numbers, longitude first";
    return false;
  }
  int64_t e7[2];
  for (int i = 0; i < 2; ++i) {
    const auto& n = v.list_value().values(i);
    if (!n.has_number_value() || !std::isfinite(n.number_value()) ||
        std::fabs(n.number_value()) > kMaxCoordinate) {
      why = "a coordinate is not a number in degrees";
      return false;
    }
    e7[i] = std::llround(n.number_value() * 1e7);
  }
  out = {e7[0], e7[1]};
  return true;
}

// A polygon's linear rings from its GeoJSON coordinates; false with `why` set when they are not
// arrays of positions or there is none.
bool read_rings(const google::protobuf::Value& coords, const std::string& name,
                std::vector<std::vector<Position>>& rings, std::string& why) {
  for (const auto& ring_value : coords.list_value().values()) {
    if (!ring_value.has_list_value()) {
      why = name + " is an array of linear rings";
      return false;
    }
    std::vector<Position> ring;
    for (const auto& pos : ring_value.list_value().values()) {
      Position p;
      if (!read_position(pos, p, why)) return false;
      ring.push_back(p);
    }
    rings.push_back(std::move(ring));
  }
  if (rings.empty()) {
    why = name + " needs at least one ring";
    return false;
  }
  return true;
}

}  // namespace

Geometry geometry_from_geojson(const google::protobuf::Struct& geometry) {
  Geometry g;
  g.type = Geometry::Type::kInvalid;
  const auto& fields = geometry.fields();
  auto type_it = fields.find("type");
  auto coords_it = fields.find("coordinates");
  if (type_it == fields.end() || !type_it->second.has_string_value()) {
    g.invalid_reason = "geometry needs a \"type\"";
    return g;
  }
  if (coords_it == fields.end() || !coords_it->second.has_list_value()) {
    g.invalid_reason = "geometry needs \"coordinates\"";
    return g;
  }
  const std::string& type = type_it->second.string_value();
  const auto& coords = coords_it->second;
  if (type == "Point") {
    Position p;
    if (!read_position(coords, p, g.invalid_reason)) return g;
    g.rings = {{p}};
    g.type = Geometry::Type::kPoint;
    return g;
  }
  if (type == "Polygon") {
    if (!read_rings(coords, "a polygon", g.rings, g.invalid_reason)) {
      g.rings.clear();
      return g;
    }
    g.type = Geometry::Type::kPolygon;
    return g;
  }
  if (type == "MultiPolygon") {
    const auto& polygons = coords.list_value().values();
    if (polygons.empty()) {
      g.invalid_reason = "a MultiPolygon needs at least one polygon";
      return g;
    }
    for (int k = 0; k < polygons.size(); ++k) {
      const std::string name = "polygon " + std::to_string(k + 1) + " of the MultiPolygon";
      std::vector<std::vector<Position>> rings;
      if (!polygons[k].has_list_value() ||
          !read_rings(polygons[k], name, rings, g.invalid_reason)) {
        if (g.invalid_reason.empty()) g.invalid_reason = name + " is not an array of rings";
        g.rings.clear();
        return g;
      }
      if (rings.size() > 1) {
        g.invalid_reason = name +
                           " has a hole; holes are not accepted: send a ring with a hole "
                           "as two polygons";
        g.rings.clear();
        return g;
      }
      g.rings.push_back(std::move(rings.front()));
    }
    g.type = Geometry::Type::kMultiPolygon;
    return g;
  }
  g.invalid_reason = "geometry type must be Point, Polygon or MultiPolygon, not \"" + type + "\"";
  return g;
}

namespace {

Geometry geometry_from_struct(const v1::Plot& plot) {
  if (!plot.has_geometry()) return Geometry{};
  return geometry_from_geojson(plot.geometry());
}

std::vector<LotAmount> amounts(const google::protobuf::RepeatedPtrField<v1::LotAmount>& in) {
  std::vector<LotAmount> out;
  out.reserve(in.size());
  for (const auto& a : in) out.push_back({a.lot_id(), a.mass_g()});
  return out;
}

}  // namespace

namespace {

// Reads an event's times and enums, remembering the first field that cannot be read. The chain
// keeps milliseconds: a time with a finer part, or one outside the years 1-9999 (RFC 3339's
// range), is refused rather than silently cut, since the client signed it as it is. proto3 enums
// are open on the binary path, so a number the schema does not name is refused here; the JSON
// path refuses it by name.
struct EventFields {
  std::string bad;

  TimeMs operator()(const google::protobuf::Timestamp& t, const char* field) {
    constexpr int64_t kMinSeconds = -62'135'596'800;  // 0001-01-01T00:00:00Z
    constexpr int64_t kMaxSeconds = 253'402'300'799;  // 9999-12-31T23:59:59Z
    if (!bad.empty()) return 0;
    if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds || t.nanos() < 0 ||
        t.nanos() > 999'999'999) {
      bad = std::string(field) + " is not a valid time";
      return 0;
    }
    if (t.nanos() % 1'000'000 != 0) {
      bad = std::string(field) +
            " has a part below the millisecond, which the chain does not keep; give whole "
            "milliseconds";
      return 0;
    }
    return to_ms(t);
  }

  template <typename DomainEnum>
  DomainEnum known(int value, bool (*is_valid)(int), const char* field) {
    if (is_valid(value)) return static_cast<DomainEnum>(value);
    if (bad.empty())
      bad = std::string(field) + " " + std::to_string(value) + " is not a known value";
    return DomainEnum{};
  }
  Crop crop(int v, const char* field = "crop") { return known<Crop>(v, v1::Crop_IsValid, field); }
  Form form(int v, const char* field) { return known<Form>(v, v1::Form_IsValid, field); }
  Scheme scheme(int v, const char* field) { return known<Scheme>(v, v1::Scheme_IsValid, field); }
  // 32 raw bytes (a public key, a TLS pin) from their 64 lowercase hex digits.
  std::string raw32(const std::string& hex, const char* field, const char* what) {
    std::optional<std::string> raw = from_hex(hex);
    if (raw && raw->size() == 32) return *raw;
    if (bad.empty()) bad = std::string(field) + " is not " + what + " (64 hex digits)";
    return {};
  }
  std::string public_key(const std::string& hex, const char* field) {
    static_assert(kPublicKeySize == 32);
    return raw32(hex, field, "a public key");
  }
  // "" stays "": a field left out.
  std::string optional_pin(const std::string& hex, const char* field) {
    return hex.empty() ? std::string() : raw32(hex, field, "a pin");
  }
  std::string optional_public_key(const std::string& hex, const char* field) {
    return hex.empty() ? std::string() : public_key(hex, field);
  }
  std::vector<Scheme> schemes(const google::protobuf::RepeatedField<int>& in, const char* field) {
    std::vector<Scheme> out;
    for (int s : in) out.push_back(scheme(s, field));
    return out;
  }
};

Result<Event> event_of(const v1::Event& e, EventFields& ms);
Result<GovernanceChange> governance_change_of(const v1::GovernanceChange& c, EventFields& ms);

Quality quality_of(const v1::Quality& q) {
  const auto& cut = q.cut_test();
  return Quality{q.grade(),
                 q.cup_score_tenths(),
                 q.moisture_per_mille(),
                 q.defects_primary(),
                 q.defects_secondary(),
                 q.screen_size(),
                 CutTest{cut.well_fermented_per_mille(), cut.slaty_per_mille(),
                         cut.mouldy_per_mille(), cut.insect_damaged_per_mille()}};
}

}  // namespace

Result<Event> event_from_proto(const v1::Event& e) {
  EventFields ms;
  Result<Event> event = event_of(e, ms);
  if (event.ok() && !ms.bad.empty()) return malformed(ms.bad);
  return event;
}

namespace {

Result<Event> event_of(const v1::Event& e, EventFields& ms) {
  switch (e.kind_case()) {
    case v1::Event::kRegisterFarm: {
      const auto& m = e.register_farm();
      RegisterFarm out{m.farm_id(), m.farmer_ref(), {}, m.country()};
      for (const auto& p : m.plots()) {
        out.plots.push_back({p.plot_id(), p.area_m2(), ms.crop(p.crop(), "plots.crop"),
                             geometry_from_struct(p), p.species()});
      }
      return Event{std::move(out)};
    }
    case v1::Event::kUpdatePlot: {
      const auto& m = e.update_plot();
      return Event{UpdatePlot{m.farm_id(), m.plot_id(), m.area_m2(),
                              m.has_geometry() ? geometry_from_geojson(m.geometry()) : Geometry{}}};
    }
    case v1::Event::kAssessPlot: {
      const auto& m = e.assess_plot();
      return Event{
          AssessPlot{m.farm_id(), m.plot_id(),
                     ms.known<Deforestation>(m.result(), v1::DeforestationResult_IsValid, "result"),
                     m.method(), m.reference(), ms(m.assessed_at(), "assessedAt")}};
    }
    case v1::Event::kHarvest: {
      const auto& m = e.harvest();
      return Event{Harvest{
          m.lot_id(), m.farm_id(), m.plot_id(), ms.crop(m.crop()), ms.form(m.form(), "form"),
          m.mass_g(), ms(m.harvested_at(), "harvestedAt"),
          std::vector<std::string>(m.certificate_ids().begin(), m.certificate_ids().end())}};
    }
    case v1::Event::kProcessing: {
      const auto& m = e.processing();
      std::vector<ByProduct> by_products;
      for (const auto& b : m.by_products()) {
        by_products.push_back({b.lot_id(), ms.form(b.form(), "byProducts.form"), b.mass_g()});
      }
      return Event{
          Processing{m.output_lot_id(), amounts(m.inputs()),
                     ms.known<ProcessingStep>(m.step(), v1::ProcessingStep_IsValid, "step"),
                     ms.form(m.output_form(), "outputForm"), m.output_mass_g(), m.facility(),
                     ms(m.processed_at(), "processedAt"), ms.schemes(m.claims(), "claims"),
                     quality_of(m.quality()), by_products}};
    }
    case v1::Event::kIssueCertificate: {
      const auto& m = e.issue_certificate();
      std::vector<Crop> crops;
      for (int c : m.crops()) crops.push_back(ms.crop(c, "crops"));
      return Event{IssueCertificate{
          m.certificate_id(), ms.scheme(m.scheme(), "scheme"), m.holder(), std::move(crops),
          ms(m.valid_from(), "validFrom"), ms(m.valid_until(), "validUntil"),
          m.has_conversion_start() ? ms(m.conversion_start(), "conversionStart") : 0}};
    }
    case v1::Event::kChangeCertificateStatus: {
      const auto& m = e.change_certificate_status();
      return Event{ChangeCertificateStatus{
          m.certificate_id(),
          ms.known<CertStatus>(m.status(), v1::CertificateStatus_IsValid, "status"),
          ms(m.effective_at(), "effectiveAt"), m.reason()}};
    }
    case v1::Event::kCertifyLot: {
      const auto& m = e.certify_lot();
      // Unspecified is a pass, so that an inspection written before outcomes existed reads on.
      const auto outcome =
          ms.known<v1::InspectionOutcome>(m.outcome(), v1::InspectionOutcome_IsValid, "outcome");
      std::vector<InspectionFinding> nonconformities;
      for (const auto& f : m.nonconformities()) nonconformities.push_back({f.code(), f.text()});
      return Event{CertifyLot{
          m.lot_id(), m.certificate_id(), ms(m.inspected_at(), "inspectedAt"), m.findings(),
          outcome == v1::FAIL ? InspectionOutcome::kFail : InspectionOutcome::kPass,
          std::move(nonconformities)}};
    }
    case v1::Event::kHoldLot: {
      const auto& m = e.hold_lot();
      return Event{HoldLot{m.lot_id(), m.certificate_id(), ms(m.held_at(), "heldAt"), m.reason()}};
    }
    case v1::Event::kReleaseLot: {
      const auto& m = e.release_lot();
      return Event{ReleaseLot{m.lot_id(), m.certificate_id(), ms(m.released_at(), "releasedAt"),
                              m.reason()}};
    }
    case v1::Event::kTransfer: {
      const auto& m = e.transfer();
      return Event{Transfer{m.lot_id(), m.to_organization(), m.mass_g(),
                            ms(m.transferred_at(), "transferredAt")}};
    }
    case v1::Event::kExport: {
      const auto& m = e.export_();
      return Event{Export{m.export_id(), amounts(m.lots()), m.destination_country(),
                          m.destination_port(), m.buyer(), m.hs_code(),
                          ms(m.shipped_at(), "shippedAt"), ms.schemes(m.claims(), "claims")}};
    }
    case v1::Event::kSetCertificateMember: {
      const auto& m = e.set_certificate_member();
      return Event{SetCertificateMember{
          m.certificate_id(), m.farm_id(),
          ms.known<MemberStatus>(m.status(), v1::CertificateMemberStatus_IsValid, "status"),
          m.has_conversion_start() ? ms(m.conversion_start(), "conversionStart") : 0,
          ms(m.effective_at(), "effectiveAt"), m.reason()}};
    }
    case v1::Event::kSetYieldEstimate: {
      const auto& m = e.set_yield_estimate();
      return Event{SetYieldEstimate{m.certificate_id(), m.farm_id(), m.season(),
                                    ms.form(m.form(), "form"), m.mass_g(), m.reason()}};
    }
    case v1::Event::kApproveYieldEstimate: {
      const auto& m = e.approve_yield_estimate();
      return Event{ApproveYieldEstimate{m.certificate_id(), m.farm_id(), m.season(),
                                        ms.form(m.form(), "form"), m.mass_g(), m.reason()}};
    }
    case v1::Event::kReceiveLot: {
      const auto& m = e.receive_lot();
      return Event{ReceiveLot{m.lot_id(), m.mass_g(), ms(m.received_at(), "receivedAt"), m.reason(),
                              quality_of(m.quality())}};
    }
    case v1::Event::kProposeChange: {
      const auto& m = e.propose_change();
      ProposeChange out{m.proposal_id(), {}, ms(m.expires_at(), "expiresAt"), m.reason()};
      for (const auto& c : m.changes()) {
        Result<GovernanceChange> change = governance_change_of(c, ms);
        if (!change.ok()) return change.status();
        out.changes.push_back(std::move(change).value());
      }
      return Event{std::move(out)};
    }
    case v1::Event::kApproveChange:
      return Event{ApproveChange{e.approve_change().proposal_id()}};
    case v1::Event::kWithdrawProposal:
      return Event{
          WithdrawProposal{e.withdraw_proposal().proposal_id(), e.withdraw_proposal().reason()}};
    case v1::Event::kAddKey:
      return Event{AddKey{ms.public_key(e.add_key().public_key(), "publicKey")}};
    case v1::Event::kRevokeKey:
      return Event{RevokeKey{e.revoke_key().key_id(), e.revoke_key().reason()}};
    case v1::Event::KIND_NOT_SET:
      break;
  }
  return malformed("the transaction carries no event");
}

// Lists are put in the order the state keeps them (countries and periods sorted; a period of 0
// months is no period), so the same change reads the same however its JSON was written.
SetParameters set_parameters_of(const v1::SetParameters& m, EventFields& ms) {
  SetParameters out;
  auto take = [](auto& field, bool has, auto value) {
    if (has) field = value;
  };
  take(out.coffee_yield_cap_g_per_ha, m.has_coffee_yield_cap_g_per_ha(),
       m.coffee_yield_cap_g_per_ha());
  take(out.cocoa_yield_cap_g_per_ha, m.has_cocoa_yield_cap_g_per_ha(),
       m.cocoa_yield_cap_g_per_ha());
  if (m.has_conversion_caps()) {
    auto& caps = out.conversion_caps.emplace();
    for (const auto& c : m.conversion_caps().caps()) {
      caps.push_back({ms.form(c.from(), "conversionCaps.from"),
                      ms.form(c.to(), "conversionCaps.to"), c.per_mille()});
    }
  }
  take(out.future_skew_ms, m.has_future_skew_ms(), m.future_skew_ms());
  take(out.lateness_ms, m.has_lateness_ms(), m.lateness_ms());
  if (m.has_eu_countries()) {
    auto& countries = out.eu_countries.emplace(m.eu_countries().countries().begin(),
                                               m.eu_countries().countries().end());
    std::sort(countries.begin(), countries.end());
  }
  take(out.eudr_polygon_min_area_m2, m.has_eudr_polygon_min_area_m2(),
       m.eudr_polygon_min_area_m2());
  take(out.max_block_txs, m.has_max_block_txs(), m.max_block_txs());
  take(out.max_block_bytes, m.has_max_block_bytes(), m.max_block_bytes());
  take(out.default_country, m.has_default_country(), m.default_country());
  take(out.eudr_require_assessment, m.has_eudr_require_assessment(), m.eudr_require_assessment());
  if (m.has_conversion_periods()) {
    auto& periods = out.conversion_periods.emplace();
    for (const auto& c : m.conversion_periods().periods()) {
      const Scheme scheme = ms.scheme(c.scheme(), "conversionPeriods.scheme");
      if (c.months() > 0) periods.push_back({scheme, c.months()});
    }
    std::stable_sort(periods.begin(), periods.end(),
                     [](const auto& a, const auto& b) { return a.scheme < b.scheme; });
  }
  take(out.reception_tolerance_bp, m.has_reception_tolerance_bp(), m.reception_tolerance_bp());
  take(out.governance_threshold_per_mille, m.has_governance_threshold_per_mille(),
       m.governance_threshold_per_mille());
  return out;
}

Result<GovernanceChange> governance_change_of(const v1::GovernanceChange& c, EventFields& ms) {
  switch (c.change_case()) {
    case v1::GovernanceChange::kAddOrganization: {
      const auto& m = c.add_organization();
      AddOrganization out{m.org_id(),
                          m.name(),
                          ms.known<OrgKind>(m.kind(), v1::OrganizationKind_IsValid, "kind"),
                          {}};
      for (const auto& k : m.public_keys())
        out.public_keys.push_back(ms.public_key(k, "publicKeys"));
      return GovernanceChange{std::move(out)};
    }
    case v1::GovernanceChange::kSetOrganizationStatus: {
      const auto& m = c.set_organization_status();
      return GovernanceChange{SetOrganizationStatus{
          m.org_id(), ms.known<OrgStatus>(m.status(), v1::OrganizationStatus_IsValid, "status")}};
    }
    case v1::GovernanceChange::kSetAccreditation: {
      const auto& m = c.set_accreditation();
      return GovernanceChange{
          SetAccreditation{m.org_id(), ms.scheme(m.scheme(), "scheme"), m.accredited()}};
    }
    case v1::GovernanceChange::kAddOrganizationKey: {
      const auto& m = c.add_organization_key();
      return GovernanceChange{
          AddOrganizationKey{m.org_id(), ms.public_key(m.public_key(), "publicKey")}};
    }
    case v1::GovernanceChange::kRevokeOrganizationKey: {
      const auto& m = c.revoke_organization_key();
      return GovernanceChange{RevokeOrganizationKey{m.org_id(), m.key_id()}};
    }
    case v1::GovernanceChange::kSetParameters:
      return GovernanceChange{set_parameters_of(c.set_parameters(), ms)};
    case v1::GovernanceChange::kAddNode: {
      const auto& m = c.add_node();
      return GovernanceChange{AddNode{m.node_id(), m.org_id(),
                                      ms.known<NodeRole>(m.role(), v1::NodeRole_IsValid, "role"),
                                      ms.public_key(m.vote_key(), "voteKey"),
                                      ms.optional_pin(m.tls_pin(), "tlsPin"), m.peer_address()}};
    }
    case v1::GovernanceChange::kPromoteNode:
      return GovernanceChange{PromoteNode{c.promote_node().node_id()}};
    case v1::GovernanceChange::kRemoveNode:
      return GovernanceChange{RemoveNode{c.remove_node().node_id()}};
    case v1::GovernanceChange::kRotateNode: {
      const auto& m = c.rotate_node();
      return GovernanceChange{RotateNode{m.node_id(),
                                         ms.optional_public_key(m.vote_key(), "voteKey"),
                                         ms.optional_pin(m.tls_pin(), "tlsPin"), m.peer_address()}};
    }
    case v1::GovernanceChange::CHANGE_NOT_SET:
      break;
  }
  return malformed("a governance change names no change");
}

}  // namespace

Result<Transaction> decode_transaction(const SignedTransaction& signed_tx) {
  if (signed_tx.payload.size() > kMaxPayloadBytes) {
    return malformed("payload of " + std::to_string(signed_tx.payload.size()) +
                     " bytes exceeds the limit of " + std::to_string(kMaxPayloadBytes));
  }
  v1::TxPayload payload;
  if (!payload.ParseFromString(signed_tx.payload)) {
    return malformed("payload is not a coopchain.v1.TxPayload");
  }
  if (has_unknown_fields(payload)) {
    return malformed("payload has fields this node does not know");
  }
  if (payload.public_key().size() != kPublicKeySize) {
    return malformed("public key must be 32 bytes");
  }
  if (signed_tx.signature.size() != kSignatureSize) {
    return Status::Rejected(Verdict::reject(RuleCode::kBadSignature, "signature must be 64 bytes"));
  }
  auto event = event_from_proto(payload.event());
  if (!event.ok()) return event.status();
  Transaction tx;
  tx.id = signed_tx.id();
  tx.chain_id = payload.chain_id();
  tx.public_key = payload.public_key();
  tx.signer_key_id = key_id(tx.public_key);
  tx.nonce = payload.nonce();
  tx.event = std::move(event).value();
  tx.signed_tx = signed_tx;
  return tx;
}

std::string encode_payload(std::string_view chain_id, std::string_view public_key, uint64_t nonce,
                           const v1::Event& event) {
  v1::TxPayload payload;
  payload.set_chain_id(std::string(chain_id));
  payload.set_public_key(std::string(public_key));
  payload.set_nonce(nonce);
  *payload.mutable_event() = event;
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  payload.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

Result<std::vector<v1::Event>> events_from_json(std::string_view json) {
  size_t first = json.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return malformed("the event file is empty");
  if (std::string why = check_json_structure(json); !why.empty()) {
    return malformed("bad event JSON: " + why);
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::vector<v1::Event> out;
  if (json[first] == '[') {
    // Parse the array through a wrapper message's repeated field so that each element gets the
    // same strict mapping as a single event.
    v1::EventList list;
    std::string wrapped = "{\"events\":" + std::string(json) + "}";
    auto status = google::protobuf::util::JsonStringToMessage(wrapped, &list, options);
    if (!status.ok()) return malformed("bad event JSON: " + std::string(status.message()));
    for (auto& e : *list.mutable_events()) out.push_back(std::move(e));
  } else {
    v1::Event event;
    auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), &event, options);
    if (!status.ok()) return malformed("bad event JSON: " + std::string(status.message()));
    out.push_back(std::move(event));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].kind_case() == v1::Event::KIND_NOT_SET) {
      return malformed("event " + std::to_string(i + 1) + " names no event type");
    }
  }
  return out;
}

std::string event_to_json(const v1::Event& event, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(event, &out, options);
  return out;
}

SignedTransaction from_proto(const v1::SignedTransaction& tx) {
  return {tx.payload(), tx.signature()};
}

v1::SignedTransaction to_proto(const SignedTransaction& tx) {
  v1::SignedTransaction out;
  out.set_payload(tx.payload);
  out.set_signature(tx.signature);
  return out;
}

Result<Transaction> decode_verified_transaction(const SignedTransaction& signed_tx) {
  auto tx = decode_transaction(signed_tx);
  if (tx.ok() && !verify_transaction_signature(*tx)) {
    return Status::Rejected(Verdict::reject(
        RuleCode::kBadSignature,
        "the signature does not match the payload and its key " + tx->signer_key_id));
  }
  return tx;
}

Result<std::vector<NamedGeometry>> geometries_from_geojson(std::string_view json) {
  if (std::string why = check_json_structure(json); !why.empty()) return malformed(why);
  google::protobuf::Struct root;
  auto st = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &root);
  if (!st.ok()) return malformed("not JSON: " + std::string(st.message()));
  auto type_of = [](const google::protobuf::Struct& s) {
    auto it = s.fields().find("type");
    return it != s.fields().end() && it->second.has_string_value() ? it->second.string_value()
                                                                   : std::string();
  };
  // A Feature's geometry, named by its ProductionPlace when it has one.
  auto feature = [&](const google::protobuf::Struct& f, const std::string& fallback,
                     std::vector<NamedGeometry>& out) {
    NamedGeometry named{fallback, {}, ""};
    auto props = f.fields().find("properties");
    if (props != f.fields().end() && props->second.has_struct_value()) {
      auto place = props->second.struct_value().fields().find("ProductionPlace");
      if (place != props->second.struct_value().fields().end() &&
          place->second.has_string_value()) {
        named.place = place->second.string_value();
        named.name = fallback + " (" + named.place + ")";
      }
    }
    auto geometry = f.fields().find("geometry");
    if (geometry == f.fields().end() || !geometry->second.has_struct_value()) {
      named.geometry.type = Geometry::Type::kInvalid;
      named.geometry.invalid_reason = "a Feature needs a \"geometry\" object";
    } else {
      named.geometry = geometry_from_geojson(geometry->second.struct_value());
    }
    out.push_back(std::move(named));
  };
  std::vector<NamedGeometry> out;
  const std::string type = type_of(root);
  if (type == "FeatureCollection") {
    auto features = root.fields().find("features");
    if (features == root.fields().end() || !features->second.has_list_value()) {
      return malformed("a FeatureCollection needs a \"features\" array");
    }
    int n = 0;
    for (const auto& f : features->second.list_value().values()) {
      ++n;
      if (!f.has_struct_value() || type_of(f.struct_value()) != "Feature") {
        out.push_back({"feature " + std::to_string(n),
                       Geometry{Geometry::Type::kInvalid, {}, "not a Feature object"}, ""});
        continue;
      }
      feature(f.struct_value(), "feature " + std::to_string(n), out);
    }
  } else if (type == "Feature") {
    feature(root, "the feature", out);
  } else {
    out.push_back({"the geometry", geometry_from_geojson(root), ""});
  }
  return out;
}

}  // namespace coopchain::wire

#include "coopchain/api/convert.h"

#include "coopchain/rules/queries.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/geojson_writer.h"

namespace coopchain::api {

namespace {

// For a harvest entry, the farm's standing under each group certificate it claimed, at the
// harvest's time.
std::vector<v1::MemberStanding> member_standings(const LotEventRecord& e, const LotRecord& lot,
                                                 const StateReader& state) {
  std::vector<v1::MemberStanding> out;
  if (e.kind != LotEventKind::kHarvest || lot.origins.empty()) return out;
  const WorldView world(state);
  for (const auto& id : e.certificates_checked) {
    auto member = world.certificate_member(id, lot.origins.front().farm_id);
    if (!member) continue;
    v1::MemberStanding& standing = out.emplace_back();
    standing.set_certificate_id(id);
    standing.set_status(static_cast<v1::CertificateMemberStatus>(member->status_at(e.at)));
    TimeMs start = member->conversion_start();
    if (start == 0) {
      if (auto cert = world.certificate(id)) start = cert->conversion_start;
    }
    if (start != 0) *standing.mutable_conversion_start() = to_timestamp(start);
  }
  return out;
}

// The one line a person reads for a history entry: made here, from the entry's fields and the
// lot's, never stored.
std::string describe(const LotEventRecord& e, const LotRecord& lot, const StateReader& state) {
  switch (e.kind) {
    case LotEventKind::kHarvest: {
      if (lot.origins.empty()) return "";
      std::string line =
          "farm " + lot.origins.front().farm_id + " plot " + lot.origins.front().plot_id;
      for (const auto& standing : member_standings(e, lot, state)) {
        line += "; " + standing.certificate_id() + ": " +
                v1::CertificateMemberStatus_Name(standing.status()) + " member";
      }
      return line;
    }
    case LotEventKind::kProcessing: {
      std::string line(name_of(lot.created_by_step));
      if (!lot.facility.empty()) line += " at " + lot.facility;
      return line;
    }
    case LotEventKind::kInput: {
      std::string line = std::string(name_of(e.step)) + " into " + e.lot_id;
      for (size_t i = 0; i < e.by_products.size(); ++i) {
        line += (i == 0 ? " and by-products " : ", ") + e.by_products[i];
      }
      return line;
    }
    case LotEventKind::kTransfer: {
      std::string line = "to " + e.organization;
      for (const auto& d : e.dropped_claims) {
        line += "; dropped " + std::string(name_of(d.scheme)) + " (" +
                std::string(rule_code_name(d.reason)) + ")";
      }
      return line;
    }
    case LotEventKind::kCertifyLot: {
      std::string line = std::string(name_of(e.outcome)) + " " + std::string(name_of(e.scheme));
      if (e.claim_removed) line += ", claim removed";
      if (!e.findings.empty()) line += ": " + e.findings;
      for (const auto& f : e.nonconformities) line += "; " + f.code + " " + f.text;
      return line;
    }
    case LotEventKind::kHold:
      return "on hold for " + std::string(name_of(e.scheme)) + ": " + e.findings;
    case LotEventKind::kReceive: {
      std::string line = "weighed in " + std::to_string(e.received_g) + " g";
      if (e.mass_delta_g < 0) line += ", a loss of " + std::to_string(-e.mass_delta_g) + " g";
      if (!e.findings.empty()) line += ": " + e.findings;
      return line;
    }
    case LotEventKind::kRelease:
      return "released for " + std::string(name_of(e.scheme)) +
             (e.findings.empty() ? "" : ": " + e.findings);
    case LotEventKind::kExport: {
      std::string line = e.export_id;
      if (auto shipment = get_export(state, e.export_id)) {
        line += " to " + shipment->destination_country;
        if (!shipment->destination_port.empty()) line += " (" + shipment->destination_port + ")";
      }
      return line;
    }
    case LotEventKind::kUnspecified:
      break;
  }
  return "";
}

v1::Quality to_proto(const Quality& q) {
  v1::Quality out;
  out.set_grade(q.grade);
  out.set_cup_score_tenths(q.cup_score_tenths);
  out.set_moisture_per_mille(q.moisture_per_mille);
  out.set_defects_primary(q.defects_primary);
  out.set_defects_secondary(q.defects_secondary);
  out.set_screen_size(q.screen_size);
  if (q.cut_test != CutTest{}) {
    auto* cut = out.mutable_cut_test();
    cut->set_well_fermented_per_mille(q.cut_test.well_fermented_per_mille);
    cut->set_slaty_per_mille(q.cut_test.slaty_per_mille);
    cut->set_mouldy_per_mille(q.cut_test.mouldy_per_mille);
    cut->set_insect_damaged_per_mille(q.cut_test.insect_damaged_per_mille);
  }
  return out;
}

}  // namespace

v1::Lot to_proto(const LotRecord& lot, const StateReader& state, TimeMs now, bool full_history) {
  v1::Lot out;
  out.set_lot_id(lot.lot_id);
  out.set_crop(static_cast<v1::Crop>(lot.crop));
  out.set_form(static_cast<v1::Form>(lot.form));
  out.set_mass_g(lot.mass_g);
  out.set_produced_g(lot.produced_g);
  out.set_owner(lot.owner);
  for (const auto& claim : lot.claims) {
    auto* c = out.add_claims();
    c->set_scheme(static_cast<v1::Scheme>(claim.scheme));
    for (const auto& id : claim.certificate_ids) c->add_certificate_ids(id);
    Verdict holds = claim_holds(state, lot, claim.scheme, now);
    c->set_holds(holds.ok());
    if (!holds.ok()) c->set_reason(holds.to_string());
  }
  for (const auto& o : lot.origins) {
    auto* origin = out.add_origins();
    origin->set_farm_id(o.farm_id);
    origin->set_plot_id(o.plot_id);
  }
  for (const auto& in : lot.inputs) {
    auto* input = out.add_inputs();
    input->set_lot_id(in.lot_id);
    input->set_mass_g(in.mass_g);
  }
  out.set_created_by(lot.created_by_step == ProcessingStep::kUnspecified
                         ? std::string("harvest")
                         : std::string(name_of(lot.created_by_step)));
  *out.mutable_created_at() = to_timestamp(lot.created_at);
  *out.mutable_last_event_at() = to_timestamp(lot.last_event_at);
  out.set_facility(lot.facility);
  *out.mutable_quality() = to_proto(lot.quality);
  const std::vector<LotEventRecord> history =
      full_history ? WorldView(state).full_history(lot) : lot.history;
  if (!full_history) out.set_earlier_events(lot.earlier_events);
  for (const auto& e : history) {
    auto* ev = out.add_history();
    ev->set_kind(std::string(name_of(e.kind)));
    ev->set_tx_id(to_hex(e.tx_id));
    *ev->mutable_at() = to_timestamp(e.at);
    ev->set_actor(e.actor);
    ev->set_detail(describe(e, lot, state));
    for (const auto& c : e.certificates_checked) ev->add_certificates_checked(c);
    ev->set_mass_delta_g(e.mass_delta_g);
    ev->set_step(static_cast<v1::ProcessingStep>(e.step));
    ev->set_lot_id(e.lot_id);
    for (const auto& b : e.by_products) ev->add_by_products(b);
    ev->set_organization(e.organization);
    for (const auto& d : e.dropped_claims) {
      auto* dropped = ev->add_dropped_claims();
      dropped->set_scheme(static_cast<v1::Scheme>(d.scheme));
      dropped->set_rule_code(std::string(rule_code_name(d.reason)));
    }
    ev->set_findings(e.findings);
    ev->set_export_id(e.export_id);
    if (e.kind == LotEventKind::kCertifyLot) {
      ev->set_outcome(e.outcome == InspectionOutcome::kFail ? v1::FAIL : v1::PASS);
      for (const auto& f : e.nonconformities) {
        auto* finding = ev->add_nonconformities();
        finding->set_code(f.code);
        finding->set_text(f.text);
      }
      ev->set_claim_removed(e.claim_removed);
    }
    ev->set_scheme(static_cast<v1::Scheme>(e.scheme));
    ev->set_received_g(e.received_g);
    for (auto& standing : member_standings(e, lot, state)) {
      *ev->add_member_standings() = std::move(standing);
    }
    if (!e.quality.empty()) *ev->mutable_quality() = to_proto(e.quality);
  }
  out.set_in_transit_g(lot.in_transit_g);
  for (const auto& h : lot.holds) {
    auto* hold = out.add_holds();
    hold->set_scheme(static_cast<v1::Scheme>(h.scheme));
    hold->set_certificate_id(h.certificate_id);
    hold->set_held_by(h.by);
    *hold->mutable_held_at() = to_timestamp(h.held_at);
  }
  return out;
}

std::string to_geojson(const Geometry& g) {
  return wire::geometry_to_geojson(g);
}

v1::TracePlot to_proto(const FarmRecord& farm, const Plot& plot, const StateReader& state) {
  v1::TracePlot out;
  out.set_farm_id(farm.farm_id);
  out.set_plot_id(plot.plot_id);
  out.set_cooperative(farm.cooperative);
  out.set_area_m2(plot.area_m2);
  out.set_crop(static_cast<v1::Crop>(plot.crop));
  out.set_geometry_type(std::string(wire::geometry_type_name(plot.geometry.type)));
  out.set_geojson(to_geojson(plot.geometry));
  out.set_species(plot.species);
  out.set_country(farm.country);
  const PlotGeometryHistory history = plot_geometry_history(state, farm, plot.plot_id);
  out.set_geometry_height(history.since_height);
  for (const PlotRevisionRecord& r : history.earlier) {
    v1::PlotRevision* revision = out.add_earlier_geometries();
    revision->set_area_m2(r.area_m2);
    revision->set_geometry_type(std::string(wire::geometry_type_name(r.geometry.type)));
    revision->set_geojson(to_geojson(r.geometry));
    revision->set_from_height(r.from_height);
    revision->set_until_height(r.until_height);
    revision->set_replaced_by_tx_id(to_hex(r.replaced_by));
  }
  for (const PlotAssessmentRecord& a : plot_assessments(state, farm.farm_id, plot.plot_id)) {
    v1::PlotAssessment* assessment = out.add_assessments();
    assessment->set_result(static_cast<v1::DeforestationResult>(a.result));
    assessment->set_method(a.method);
    assessment->set_reference(a.reference);
    *assessment->mutable_assessed_at() = to_timestamp(a.assessed_at);
    assessment->set_assessor(a.assessor);
    assessment->set_of_current_geometry(a.geometry_revision == history.earlier.size());
    assessment->set_height(a.height);
    assessment->set_tx_id(to_hex(a.tx_id));
  }
  return out;
}

v1::Farm to_proto(const FarmRecord& farm, const StateReader& state) {
  v1::Farm out;
  out.set_farm_id(farm.farm_id);
  out.set_cooperative(farm.cooperative);
  out.set_farmer_ref(farm.farmer_ref);
  *out.mutable_registered_at() = to_timestamp(farm.registered_at);
  out.set_country(farm.country);
  for (const auto& plot : farm.plots) *out.add_plots() = to_proto(farm, plot, state);
  return out;
}

v1::Certificate to_proto(const CertificateRecord& cert,
                         const std::vector<CertificateMemberRecord>& members, TimeMs now) {
  v1::Certificate out;
  out.set_certificate_id(cert.certificate_id);
  out.set_scheme(static_cast<v1::Scheme>(cert.scheme));
  out.set_issuer(cert.issuer);
  out.set_holder(cert.holder);
  for (Crop c : cert.crops) out.add_crops(static_cast<v1::Crop>(c));
  *out.mutable_valid_from() = to_timestamp(cert.valid_from);
  *out.mutable_valid_until() = to_timestamp(cert.valid_until);
  out.set_status(static_cast<v1::CertificateStatus>(certificate_status_at(cert, now)));
  if (cert.conversion_start != 0) {
    *out.mutable_conversion_start() = to_timestamp(cert.conversion_start);
  }
  for (const auto& ch : cert.changes) {
    auto* change = out.add_changes();
    change->set_status(static_cast<v1::CertificateStatus>(ch.status));
    *change->mutable_effective_at() = to_timestamp(ch.effective_at);
    change->set_reason(ch.reason);
  }
  for (const auto& m : members) {
    auto* member = out.add_members();
    member->set_farm_id(m.farm_id);
    member->set_status(static_cast<v1::CertificateMemberStatus>(m.status_at(now)));
    if (m.conversion_start() != 0) {
      *member->mutable_conversion_start() = to_timestamp(m.conversion_start());
    }
    for (const auto& ch : m.changes) {
      auto* change = member->add_changes();
      change->set_status(static_cast<v1::CertificateMemberStatus>(ch.status));
      *change->mutable_effective_at() = to_timestamp(ch.effective_at);
      if (ch.conversion_start != 0) {
        *change->mutable_conversion_start() = to_timestamp(ch.conversion_start);
      }
      change->set_by(ch.by);
      change->set_reason(ch.reason);
    }
    for (const auto& e : m.estimates) {
      auto* estimate = member->add_estimates();
      estimate->set_season(static_cast<uint32_t>(e.season));
      estimate->set_form(static_cast<v1::Form>(e.form));
      estimate->set_proposed_g(e.proposed_g);
      estimate->set_approved_g(e.approved_g);
      estimate->set_harvested_g(e.harvested_g);
    }
  }
  return out;
}

}  // namespace coopchain::api

// The checks that need no state: MALFORMED (ids, texts, masses, times, enums, list sizes and
// uniqueness) and BAD_GEOMETRY. They run first, on admission and again in Rules::apply.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <type_traits>
#include <variant>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/text.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxTextBytes = 1024;
constexpr size_t kMaxListItems = 1000;
// Masses must fit a signed 64-bit history delta.
constexpr uint64_t kMaxMass = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

Verdict malformed(std::string msg) {
  return Verdict::reject(RuleCode::kMalformed, std::move(msg));
}
Verdict check_id(std::string_view field, std::string_view id) {
  if (id.empty()) return malformed(std::string(field) + " is empty");
  if (id.size() > kMaxIdBytes) return malformed(std::string(field) + " is longer than 128 bytes");
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) {
      return malformed(std::string(field) + " must be printable ASCII without spaces");
    }
  }
  return Verdict::accept();
}

Verdict check_text(std::string_view field, std::string_view text) {
  if (text.size() > kMaxTextBytes) {
    return malformed(std::string(field) + " is longer than 1024 bytes");
  }
  // A reader must see exactly what was signed: no text may redraw the screen around it.
  for (size_t i = 0; i < text.size();) {
    const CodePoint c = decode_utf8(text, i);
    if (c.length == 0) {
      return malformed(std::string(field) + " is not valid UTF-8 (byte " + std::to_string(i) + ")");
    }
    if (is_display_control(c.value)) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c.value));
      return malformed(std::string(field) + " contains the control character " + hex + " at byte " +
                       std::to_string(i));
    }
    i += c.length;
  }
  return Verdict::accept();
}

Verdict check_mass(std::string_view field, uint64_t mass) {
  if (mass == 0) return malformed(std::string(field) + " must be positive");
  if (mass > kMaxMass) return malformed(std::string(field) + " is out of range");
  return Verdict::accept();
}

Verdict check_time(std::string_view field, TimeMs t) {
  if (t <= 0) return malformed(std::string(field) + " is missing");
  return Verdict::accept();
}

Verdict check_list(std::string_view field, size_t n, bool required) {
  if (required && n == 0) return malformed(std::string(field) + " is empty");
  if (n > kMaxListItems) return malformed(std::string(field) + " has too many items");
  return Verdict::accept();
}

template <typename T>
bool all_unique(const std::vector<T>& v) {
  std::set<T> seen(v.begin(), v.end());
  return seen.size() == v.size();
}

Verdict check_schemes(std::string_view field, const std::vector<Scheme>& claims) {
  if (Verdict v = check_list(field, claims.size(), false); !v.ok()) return v;
  for (Scheme s : claims) {
    if (s == Scheme::kUnspecified) return malformed(std::string(field) + " has UNSPECIFIED");
  }
  if (!all_unique(claims)) return malformed(std::string(field) + " repeats a scheme");
  return Verdict::accept();
}

Verdict check_lot_amounts(std::string_view field, const std::vector<LotAmount>& lots) {
  if (Verdict v = check_list(field, lots.size(), true); !v.ok()) return v;
  std::set<std::string_view> ids;
  for (const auto& a : lots) {
    if (Verdict v = check_id(std::string(field) + ".lotId", a.lot_id); !v.ok()) return v;
    if (Verdict v = check_mass(std::string(field) + ".massG", a.mass_g); !v.ok()) return v;
    if (!ids.insert(a.lot_id).second) {
      return malformed(std::string(field) + " names lot " + a.lot_id + " twice");
    }
  }
  return Verdict::accept();
}

Verdict shape(const RegisterFarm& e) {
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (Verdict v = check_text("farmerRef", e.farmer_ref); !v.ok()) return v;
  if (Verdict v = check_list("plots", e.plots.size(), true); !v.ok()) return v;
  std::set<std::string_view> ids;
  for (const auto& p : e.plots) {
    if (Verdict v = check_id("plotId", p.plot_id); !v.ok()) return v;
    if (!ids.insert(p.plot_id).second) return malformed("plot " + p.plot_id + " appears twice");
    if (p.area_m2 == 0) return malformed("plot " + p.plot_id + ": areaM2 must be positive");
    if (p.crop == Crop::kUnspecified) return malformed("plot " + p.plot_id + ": crop missing");
    if (Verdict v = check_text("plots.species", p.species); !v.ok()) return v;
    if (p.species.size() > kMaxIdBytes) {
      return malformed("plot " + p.plot_id + ": species is longer than 128 bytes");
    }
    if (Verdict v = check_plot_geometry(p); !v.ok()) return v;
  }
  return Verdict::accept();
}

Verdict shape(const Harvest& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (Verdict v = check_id("plotId", e.plot_id); !v.ok()) return v;
  if (e.crop == Crop::kUnspecified) return malformed("crop is missing");
  if (e.form == Form::kUnspecified) return malformed("form is missing");
  const Form expected = e.crop == Crop::kCoffee ? Form::kCherry : Form::kWetBeans;
  if (e.form != expected) {
    return malformed("a " + std::string(name_of(e.crop)) + " harvest has form " +
                     std::string(name_of(expected)));
  }
  if (Verdict v = check_mass("massG", e.mass_g); !v.ok()) return v;
  if (Verdict v = check_time("harvestedAt", e.harvested_at); !v.ok()) return v;
  if (Verdict v = check_list("certificateIds", e.certificate_ids.size(), false); !v.ok()) return v;
  for (const auto& id : e.certificate_ids) {
    if (Verdict v = check_id("certificateIds", id); !v.ok()) return v;
  }
  if (!all_unique(e.certificate_ids)) return malformed("certificateIds repeats an id");
  return Verdict::accept();
}

Verdict shape(const Processing& e) {
  if (Verdict v = check_id("outputLotId", e.output_lot_id); !v.ok()) return v;
  if (Verdict v = check_lot_amounts("inputs", e.inputs); !v.ok()) return v;
  for (const auto& in : e.inputs) {
    if (in.lot_id == e.output_lot_id) return malformed("the output lot is also an input");
  }
  if (e.step == ProcessingStep::kUnspecified) return malformed("step is missing");
  if (e.step == ProcessingStep::kSplit && e.inputs.size() != 1) {
    return malformed("a SPLIT has exactly one input");
  }
  if (e.output_form == Form::kUnspecified) return malformed("outputForm is missing");
  if (Verdict v = check_mass("outputMassG", e.output_mass_g); !v.ok()) return v;
  if (Verdict v = check_text("facility", e.facility); !v.ok()) return v;
  if (Verdict v = check_text("quality.grade", e.quality.grade); !v.ok()) return v;
  if (Verdict v = check_time("processedAt", e.processed_at); !v.ok()) return v;
  if (Verdict v = check_list("byProducts", e.by_products.size(), false); !v.ok()) return v;
  std::set<std::string> outputs{e.output_lot_id};
  for (const auto& in : e.inputs) outputs.insert(in.lot_id);
  for (const auto& b : e.by_products) {
    if (Verdict v = check_id("byProducts.lotId", b.lot_id); !v.ok()) return v;
    if (!outputs.insert(b.lot_id).second) {
      return malformed("by-product lot " + b.lot_id + " repeats an input or output lot");
    }
    if (b.form == Form::kUnspecified) return malformed("byProducts.form is missing");
    if (Verdict v = check_mass("byProducts.massG", b.mass_g); !v.ok()) return v;
  }
  return check_schemes("claims", e.claims);
}

Verdict shape(const IssueCertificate& e) {
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (e.scheme == Scheme::kUnspecified) return malformed("scheme is missing");
  if (Verdict v = check_id("holder", e.holder); !v.ok()) return v;
  if (Verdict v = check_list("crops", e.crops.size(), true); !v.ok()) return v;
  for (Crop c : e.crops) {
    if (c == Crop::kUnspecified) return malformed("crops has UNSPECIFIED");
  }
  if (!all_unique(e.crops)) return malformed("crops repeats a crop");
  if (Verdict v = check_time("validFrom", e.valid_from); !v.ok()) return v;
  if (Verdict v = check_time("validUntil", e.valid_until); !v.ok()) return v;
  if (e.valid_from >= e.valid_until) return malformed("validFrom must be before validUntil");
  if (e.conversion_start != 0) {
    if (Verdict v = check_time("conversionStart", e.conversion_start); !v.ok()) return v;
  }
  return Verdict::accept();
}

Verdict shape(const ChangeCertificateStatus& e) {
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (e.status == CertStatus::kUnspecified) return malformed("status is missing");
  if (Verdict v = check_time("effectiveAt", e.effective_at); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const CertifyLot& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (Verdict v = check_time("inspectedAt", e.inspected_at); !v.ok()) return v;
  if (Verdict v = check_text("findings", e.findings); !v.ok()) return v;
  if (Verdict v = check_list("nonconformities", e.nonconformities.size(), false); !v.ok()) return v;
  for (const auto& f : e.nonconformities) {
    if (Verdict v = check_id("nonconformities.code", f.code); !v.ok()) return v;
    if (Verdict v = check_text("nonconformities.text", f.text); !v.ok()) return v;
  }
  // A failure takes a claim away: the record must say why.
  if (e.outcome == InspectionOutcome::kFail && e.nonconformities.empty()) {
    return malformed("a FAIL outcome needs at least one nonconformity (code and text)");
  }
  return Verdict::accept();
}

Verdict shape(const HoldLot& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (Verdict v = check_time("heldAt", e.held_at); !v.ok()) return v;
  if (e.reason.empty()) return malformed("reason is empty: a hold says why");
  return check_text("reason", e.reason);
}

template <typename Estimate>
Verdict shape_estimate(const Estimate& e) {
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (e.season < 1970 || e.season > 9999) {
    return malformed("season must be a calendar year (e.g. 2026), not " + std::to_string(e.season));
  }
  if (e.form != Form::kCherry && e.form != Form::kWetBeans) {
    return malformed(
        "an estimate is in the harvest's form: CHERRY for coffee, WET_BEANS for cocoa");
  }
  if (Verdict v = check_mass("massG", e.mass_g); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const SetYieldEstimate& e) {
  return shape_estimate(e);
}

Verdict shape(const ApproveYieldEstimate& e) {
  return shape_estimate(e);
}

Verdict shape(const ReceiveLot& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_mass("massG", e.mass_g); !v.ok()) return v;
  if (Verdict v = check_time("receivedAt", e.received_at); !v.ok()) return v;
  if (Verdict v = check_text("quality.grade", e.quality.grade); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const ReleaseLot& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (Verdict v = check_time("releasedAt", e.released_at); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const Transfer& e) {
  if (Verdict v = check_id("lotId", e.lot_id); !v.ok()) return v;
  if (Verdict v = check_id("toOrganization", e.to_organization); !v.ok()) return v;
  if (Verdict v = check_mass("massG", e.mass_g); !v.ok()) return v;
  return check_time("transferredAt", e.transferred_at);
}

Verdict shape(const Export& e) {
  if (Verdict v = check_id("exportId", e.export_id); !v.ok()) return v;
  if (Verdict v = check_lot_amounts("lots", e.lots); !v.ok()) return v;
  const std::string& c = e.destination_country;
  if (c.size() != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
    return malformed("destinationCountry must be two uppercase letters (ISO 3166-1 alpha-2)");
  }
  if (Verdict v = check_text("destinationPort", e.destination_port); !v.ok()) return v;
  if (Verdict v = check_text("buyer", e.buyer); !v.ok()) return v;
  if (Verdict v = check_text("hsCode", e.hs_code); !v.ok()) return v;
  if (Verdict v = check_time("shippedAt", e.shipped_at); !v.ok()) return v;
  return check_schemes("claims", e.claims);
}

Verdict shape(const UpdatePlot& e) {
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (Verdict v = check_id("plotId", e.plot_id); !v.ok()) return v;
  if (e.area_m2 == 0) return malformed("areaM2 must be positive");
  if (e.geometry.type == Geometry::Type::kNone) {
    return Verdict::reject(RuleCode::kBadGeometry,
                           "plot " + e.plot_id + ": an updatePlot needs a geometry");
  }
  return check_plot_geometry(Plot{e.plot_id, e.area_m2, Crop::kUnspecified, e.geometry, ""});
}

Verdict shape(const AssessPlot& e) {
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (Verdict v = check_id("plotId", e.plot_id); !v.ok()) return v;
  if (e.result == Deforestation::kUnspecified) {
    return malformed("result is missing (DEFORESTATION_FREE, NOT_FREE or INSUFFICIENT_DATA)");
  }
  if (e.method.empty()) return malformed("method is missing: say how the finding was reached");
  if (Verdict v = check_text("method", e.method); !v.ok()) return v;
  if (Verdict v = check_text("reference", e.reference); !v.ok()) return v;
  return check_time("assessedAt", e.assessed_at);
}

Verdict shape(const SetCertificateMember& e) {
  if (Verdict v = check_id("certificateId", e.certificate_id); !v.ok()) return v;
  if (Verdict v = check_id("farmId", e.farm_id); !v.ok()) return v;
  if (e.status == MemberStatus::kUnspecified) {
    return malformed("status is missing (PROPOSED, APPROVED, SANCTIONED or EXCLUDED)");
  }
  if (e.conversion_start != 0) {
    if (Verdict v = check_time("conversionStart", e.conversion_start); !v.ok()) return v;
  }
  if (Verdict v = check_time("effectiveAt", e.effective_at); !v.ok()) return v;
  return check_text("reason", e.reason);
}

// A key id as the chain writes it: 64 lowercase hex digits.
Verdict check_key_id(std::string_view field, std::string_view id) {
  const bool hex = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) return malformed(std::string(field) + " is not a key id (64 lowercase hex digits)");
  return Verdict::accept();
}

Verdict check_public_key(std::string_view field, std::string_view key) {
  if (key.size() != kPublicKeySize) return malformed(std::string(field) + " is not a public key");
  return Verdict::accept();
}

// Governance changes are few and each is checked against the state when it applies; a
// proposal of more is a mistake, not a plan.
constexpr size_t kMaxChanges = 32;

Verdict change_shape(const AddOrganization& c) {
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  if (c.name.empty()) return malformed("name is missing");
  if (Verdict v = check_text("name", c.name); !v.ok()) return v;
  if (c.kind == OrgKind::kUnspecified) {
    return malformed("kind is missing (COOPERATIVE, PROCESSOR, CERTIFIER, EXPORTER or AUDITOR)");
  }
  if (c.public_keys.empty() || c.public_keys.size() > kMaxChanges) {
    return malformed("publicKeys needs 1 to 32 keys");
  }
  if (!all_unique(c.public_keys)) return malformed("publicKeys names a key twice");
  for (const auto& key : c.public_keys) {
    if (Verdict v = check_public_key("publicKeys", key); !v.ok()) return v;
  }
  return Verdict::accept();
}

Verdict change_shape(const SetOrganizationStatus& c) {
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  if (c.status == OrgStatus::kUnspecified) {
    return malformed("status is missing (ORG_ACTIVE, ORG_SUSPENDED or ORG_REMOVED)");
  }
  return Verdict::accept();
}

Verdict change_shape(const SetAccreditation& c) {
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  if (c.scheme == Scheme::kUnspecified) return malformed("scheme is missing");
  return Verdict::accept();
}

Verdict change_shape(const AddOrganizationKey& c) {
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  return check_public_key("publicKey", c.public_key);
}

Verdict change_shape(const RevokeOrganizationKey& c) {
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  return c.key_id.empty() ? Verdict::accept() : check_key_id("keyId", c.key_id);
}

// Each value is held to its bounds when the change is proposed and when it applies
// (PARAMETER_OUT_OF_RANGE): the bounds are the parameters', not the event's shape.
Verdict change_shape(const SetParameters& c) {
  if (c == SetParameters{}) return malformed("setParameters sets no parameter");
  return Verdict::accept();
}

// A pin or a vote key is 32 raw bytes; a peer address is host:port, as a node's config names it.
Verdict check_pin(std::string_view field, std::string_view pin) {
  if (pin.size() != 32) return malformed(std::string(field) + " is not a pin (64 hex digits)");
  return Verdict::accept();
}

Verdict check_peer_address(std::string_view address) {
  if (Verdict v = check_id("peerAddress", address); !v.ok()) return v;
  const size_t colon = address.rfind(':');
  const std::string_view port = colon == std::string_view::npos ? "" : address.substr(colon + 1);
  const bool port_ok =
      !port.empty() && port.size() <= 5 &&
      std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (colon == 0 || !port_ok) return malformed("peerAddress must be host:port");
  return Verdict::accept();
}

Verdict change_shape(const AddNode& c) {
  if (Verdict v = check_id("nodeId", c.node_id); !v.ok()) return v;
  if (Verdict v = check_id("orgId", c.org_id); !v.ok()) return v;
  if (c.role == NodeRole::kValidator) {
    return malformed(
        "a node joins as a LEARNER (to be promoted once it has caught up) or an OBSERVER, never "
        "as a validator with an empty chain");
  }
  if (c.role != NodeRole::kLearner && c.role != NodeRole::kObserver) {
    return malformed("role is missing (LEARNER or OBSERVER)");
  }
  if (Verdict v = check_public_key("voteKey", c.vote_key); !v.ok()) return v;
  if (!c.tls_pin.empty()) {
    if (Verdict v = check_pin("tlsPin", c.tls_pin); !v.ok()) return v;
  }
  return check_peer_address(c.peer_address);
}

Verdict change_shape(const PromoteNode& c) {
  return check_id("nodeId", c.node_id);
}

Verdict change_shape(const RemoveNode& c) {
  return check_id("nodeId", c.node_id);
}

Verdict change_shape(const RotateNode& c) {
  if (Verdict v = check_id("nodeId", c.node_id); !v.ok()) return v;
  if (c.vote_key.empty() && c.tls_pin.empty() && c.peer_address.empty()) {
    return malformed("rotateNode changes nothing: give voteKey, tlsPin or peerAddress");
  }
  if (!c.vote_key.empty()) {
    if (Verdict v = check_public_key("voteKey", c.vote_key); !v.ok()) return v;
  }
  if (!c.tls_pin.empty()) {
    if (Verdict v = check_pin("tlsPin", c.tls_pin); !v.ok()) return v;
  }
  return c.peer_address.empty() ? Verdict::accept() : check_peer_address(c.peer_address);
}

Verdict shape(const ProposeChange& e) {
  if (Verdict v = check_id("proposalId", e.proposal_id); !v.ok()) return v;
  if (e.changes.empty() || e.changes.size() > kMaxChanges) {
    return malformed("changes needs 1 to 32 changes");
  }
  for (const auto& change : e.changes) {
    Verdict v = std::visit([](const auto& c) { return change_shape(c); }, change);
    if (!v.ok()) return v;
  }
  if (Verdict v = check_time("expiresAt", e.expires_at); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const ApproveChange& e) {
  return check_id("proposalId", e.proposal_id);
}

Verdict shape(const WithdrawProposal& e) {
  if (Verdict v = check_id("proposalId", e.proposal_id); !v.ok()) return v;
  return check_text("reason", e.reason);
}

Verdict shape(const AddKey& e) {
  return check_public_key("publicKey", e.public_key);
}

Verdict shape(const RevokeKey& e) {
  if (Verdict v = check_key_id("keyId", e.key_id); !v.ok()) return v;
  return check_text("reason", e.reason);
}

}  // namespace

Verdict check_event_shape(const Event& event) {
  return std::visit([](const auto& e) { return shape(e); }, event);
}

}  // namespace coopchain::rules_internal

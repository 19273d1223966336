#include "coopchain/rules/queries.h"

#include <deque>
#include <set>

#include "coopchain/core/civil_time.h"
#include "coopchain/state/world.h"

namespace coopchain {

std::optional<LotRecord> get_lot(const StateReader& state, std::string_view lot_id) {
  return WorldView(state).lot(lot_id);
}

std::optional<CertificateRecord> get_certificate(const StateReader& state,
                                                 std::string_view certificate_id) {
  return WorldView(state).certificate(certificate_id);
}

std::optional<FarmRecord> get_farm(const StateReader& state, std::string_view farm_id) {
  return WorldView(state).farm(farm_id);
}

std::vector<CertificateMemberRecord> certificate_members(const StateReader& state,
                                                         std::string_view certificate_id) {
  const WorldView world(state);
  std::vector<CertificateMemberRecord> out;
  for (const auto& farm_id : world.certificate_members(certificate_id)) {
    if (auto m = world.certificate_member(certificate_id, farm_id)) out.push_back(std::move(*m));
  }
  return out;
}

std::vector<PlotAssessmentRecord> plot_assessments(const StateReader& state,
                                                   std::string_view farm_id,
                                                   std::string_view plot_id) {
  const WorldView world(state);
  std::vector<PlotAssessmentRecord> out;
  const uint64_t count = world.plot_assessment_count(farm_id, plot_id);
  for (uint64_t i = 0; i < count; ++i) {
    if (auto a = world.plot_assessment(farm_id, plot_id, i)) out.push_back(std::move(*a));
  }
  return out;
}

PlotGeometryHistory plot_geometry_history(const StateReader& state, const FarmRecord& farm,
                                          std::string_view plot_id) {
  PlotGeometryHistory out;
  out.earlier = WorldView(state).plot_revisions(farm.farm_id, plot_id);
  // The current geometry holds from where the last one it replaced stopped.
  out.since_height = out.earlier.empty() ? farm.registered_height : out.earlier.back().until_height;
  return out;
}

std::optional<OrgRecord> get_organization(const StateReader& state, std::string_view org_id) {
  return WorldView(state).org(org_id);
}

std::optional<ExportRecord> get_export(const StateReader& state, std::string_view export_id) {
  return WorldView(state).export_record(export_id);
}

std::vector<std::string> lots_by_farm(const StateReader& state, std::string_view farm_id) {
  return WorldView(state).farm_lots(farm_id);
}

std::vector<std::string> certificates_held_by(const StateReader& state, std::string_view holder) {
  return WorldView(state).holder_certificates(holder);
}

LotTrace trace_lot(const StateReader& state, std::string_view lot_id, size_t max_lots) {
  WorldView world(state);
  LotTrace out;
  std::set<std::string, std::less<>> seen{std::string(lot_id)};
  std::deque<std::string> queue{std::string(lot_id)};
  while (!queue.empty()) {
    if (out.lots.size() >= max_lots) {
      out.truncated = true;
      break;
    }
    std::optional<LotRecord> lot = world.lot(queue.front());
    queue.pop_front();
    if (!lot) continue;  // only the requested lot can be missing; inputs always exist
    for (const auto& in : lot->inputs) {
      if (seen.insert(in.lot_id).second) queue.push_back(in.lot_id);
    }
    out.lots.push_back(std::move(*lot));
  }
  return out;
}

CertStatus certificate_status_at(const CertificateRecord& cert, TimeMs t) {
  CertStatus status = CertStatus::kActive;
  const CertStatusChange* latest = nullptr;
  // Changes are in commit order; `>=` lets a later commit win a tie on effective_at.
  for (const auto& c : cert.changes) {
    if (c.effective_at > t) continue;
    if (latest == nullptr || c.effective_at >= latest->effective_at) latest = &c;
  }
  if (latest != nullptr) status = latest->status;
  return status;
}

Verdict certificate_valid_at(const CertificateRecord& cert, TimeMs t) {
  const std::string& id = cert.certificate_id;
  if (t < cert.valid_from) {
    return Verdict::reject(RuleCode::kCertNotYetValid, "certificate " + id + " is not yet valid");
  }
  if (t >= cert.valid_until) {
    return Verdict::reject(RuleCode::kCertExpired, "certificate " + id + " has expired");
  }
  switch (certificate_status_at(cert, t)) {
    case CertStatus::kSuspended:
      return Verdict::reject(RuleCode::kCertSuspended, "certificate " + id + " is suspended");
    case CertStatus::kWithdrawn:
      return Verdict::reject(RuleCode::kCertWithdrawn, "certificate " + id + " is withdrawn");
    default:
      return Verdict::accept();
  }
}

namespace {

// Lower is more specific (see holder_holds_scheme).
int reason_rank(RuleCode code) {
  switch (code) {
    case RuleCode::kCertExpired:
      return 0;
    case RuleCode::kCertNotYetValid:
      return 1;
    case RuleCode::kCertSuspended:
      return 2;
    case RuleCode::kCertWithdrawn:
      return 3;
    case RuleCode::kCertifierNotAccredited:
      return 4;
    default:
      return 5;  // CERT_SCOPE
  }
}

}  // namespace

Verdict holder_holds_scheme(const StateReader& state, std::string_view holder, Scheme scheme,
                            Crop crop, TimeMs t, std::string* certificate_id) {
  WorldView world(state);
  std::optional<Verdict> best;
  for (const auto& id : world.holder_certificates(holder)) {
    std::optional<CertificateRecord> cert = world.certificate(id);
    if (!cert || cert->scheme != scheme) continue;
    Verdict v;
    if (!cert->covers(crop)) {
      v = Verdict::reject(RuleCode::kCertScope,
                          "certificate " + id + " does not cover " + std::string(name_of(crop)));
    } else {
      v = certificate_valid_at(*cert, t);
      if (v.ok()) {
        std::optional<OrgRecord> issuer = world.org(cert->issuer);
        if (!issuer || !issuer->accredited_for(cert->scheme)) {
          v = Verdict::reject(RuleCode::kCertifierNotAccredited,
                              "issuer " + cert->issuer + " of certificate " + id +
                                  " is not accredited for " + std::string(name_of(cert->scheme)));
        }
      }
    }
    if (v.ok()) {
      if (certificate_id != nullptr) *certificate_id = id;
      return v;
    }
    if (!best || reason_rank(v.code) < reason_rank(best->code)) best = std::move(v);
  }
  if (best) {
    best->message = std::string(holder) + " holds no valid " + std::string(name_of(scheme)) +
                    " certificate: " + best->message;
    return *best;
  }
  return Verdict::reject(
      RuleCode::kClaimNotCertified,
      std::string(holder) + " holds no " + std::string(name_of(scheme)) + " certificate");
}

Verdict claim_holds(const StateReader& state, const LotRecord& lot, Scheme scheme, TimeMs t) {
  const LotClaim* claim = lot.find_claim(scheme);
  if (claim == nullptr) {
    return Verdict::reject(RuleCode::kClaimNotCertified,
                           "lot " + lot.lot_id + " does not carry " + std::string(name_of(scheme)));
  }
  if (const LotHold* held = lot.find_hold(scheme)) {
    return Verdict::reject(RuleCode::kLotOnHold,
                           "lot " + lot.lot_id + " is on hold for " + std::string(name_of(scheme)) +
                               " by " + held->by + " since " + format_rfc3339(held->held_at));
  }
  WorldView world(state);
  for (const auto& id : claim->certificate_ids) {
    std::optional<CertificateRecord> cert = world.certificate(id);
    if (!cert) {
      return Verdict::reject(RuleCode::kCertUnknown, "certificate " + id + " is unknown");
    }
    switch (certificate_status_at(*cert, t)) {
      case CertStatus::kSuspended:
        return Verdict::reject(RuleCode::kCertSuspended,
                               "lot " + lot.lot_id + ": " + std::string(name_of(scheme)) +
                                   " certificate " + id + " is suspended");
      case CertStatus::kWithdrawn:
        return Verdict::reject(RuleCode::kCertWithdrawn,
                               "lot " + lot.lot_id + ": " + std::string(name_of(scheme)) +
                                   " certificate " + id + " is withdrawn");
      default:
        break;
    }
  }
  return Verdict::accept();
}

std::vector<Scheme> usable_claims(const StateReader& state, const LotRecord& lot, TimeMs t) {
  std::vector<Scheme> out;
  for (const auto& c : lot.claims) {
    if (claim_holds(state, lot, c.scheme, t).ok()) out.push_back(c.scheme);
  }
  return out;
}

}  // namespace coopchain

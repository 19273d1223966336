// Read-only questions about the world state, answered exactly as the rules answer them: the
// Trace API, the CLI and the auditor call these, and the rules use them for their own checks, so
// "does this claim hold" has one definition. Pure functions over a StateReader; no writes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/core/rule_code.h"
#include "coopchain/state/records.h"
#include "coopchain/state/state_view.h"

namespace coopchain {

std::optional<LotRecord> get_lot(const StateReader& state, std::string_view lot_id);
std::optional<CertificateRecord> get_certificate(const StateReader& state,
                                                 std::string_view certificate_id);
std::optional<FarmRecord> get_farm(const StateReader& state, std::string_view farm_id);
// The member farms of a group certificate with their changes, by farm id; empty for one that
// has none (a farm's own certificate, or a group without members yet).
std::vector<CertificateMemberRecord> certificate_members(const StateReader& state,
                                                         std::string_view certificate_id);
std::optional<OrgRecord> get_organization(const StateReader& state, std::string_view org_id);
std::optional<ExportRecord> get_export(const StateReader& state, std::string_view export_id);

// A plot's geometries through time: since which height its current one holds (the farm's
// registration unless an updatePlot replaced it), and the earlier ones, oldest first.
struct PlotGeometryHistory {
  uint64_t since_height = 0;
  std::vector<PlotRevisionRecord> earlier;
};
PlotGeometryHistory plot_geometry_history(const StateReader& state, const FarmRecord& farm,
                                          std::string_view plot_id);

// The plot's deforestation assessments, oldest first; empty when none.
std::vector<PlotAssessmentRecord> plot_assessments(const StateReader& state,
                                                   std::string_view farm_id,
                                                   std::string_view plot_id);

// Lot ids whose origins include the farm, in creation order (harvests and processing outputs).
std::vector<std::string> lots_by_farm(const StateReader& state, std::string_view farm_id);
// Certificate ids held by a farm or organization, sorted.
std::vector<std::string> certificates_held_by(const StateReader& state, std::string_view holder);

struct LotTrace {
  // The lot itself first, then its ancestors breadth-first through `inputs` (nearest first,
  // each lot once). Empty when the lot is unknown.
  std::vector<LotRecord> lots;
  bool truncated = false;  // more ancestors exist beyond max_lots
};
LotTrace trace_lot(const StateReader& state, std::string_view lot_id, size_t max_lots);

// The certificate's status at t: that of the latest change (by effective_at, ties broken by the
// later commit) with effective_at ≤ t, or ACTIVE when there is none.
CertStatus certificate_status_at(const CertificateRecord& cert, TimeMs t);

// Whether the certificate is in force at t, ignoring crop, holder and issuer: CERT_NOT_YET_VALID
// (t < valid_from), CERT_EXPIRED (t ≥ valid_until), CERT_SUSPENDED, CERT_WITHDRAWN, or ok.
Verdict certificate_valid_at(const CertificateRecord& cert, TimeMs t);

// Whether `holder` (an organization or farm id) holds scheme S for crop C at t: some certificate
// it holds has that scheme, covers the crop, was issued by a certifier that is still accredited,
// and is valid and ACTIVE at t. On failure the most specific reason among its certificates of
// that scheme, by priority CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_SUSPENDED, CERT_WITHDRAWN,
// CERTIFIER_NOT_ACCREDITED, CERT_SCOPE; CLAIM_NOT_CERTIFIED when it holds none of that scheme.
// On success `certificate_id` (if given) receives the first (by id) certificate that holds.
Verdict holder_holds_scheme(const StateReader& state, std::string_view holder, Scheme scheme,
                            Crop crop, TimeMs t, std::string* certificate_id = nullptr);

// Whether the lot's claim for `scheme` can be used by an event at t: the lot carries the scheme
// (else CLAIM_NOT_CERTIFIED), no certifier holds the lot for it (LOT_ON_HOLD), and none of the
// claim's certificates is SUSPENDED (CERT_SUSPENDED) or WITHDRAWN (CERT_WITHDRAWN) at t. Expiry
// after the event that used a certificate does not void the claim.
Verdict claim_holds(const StateReader& state, const LotRecord& lot, Scheme scheme, TimeMs t);

// The schemes the lot carries whose claim holds at t (claim_holds), in scheme order.
std::vector<Scheme> usable_claims(const StateReader& state, const LotRecord& lot, TimeMs t);

}  // namespace coopchain

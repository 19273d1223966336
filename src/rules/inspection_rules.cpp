// A certifier's word on a lot: certifyLot (an inspection that passes or fails), holdLot and
// releaseLot. An inspection never creates a claim: a PASS confirms the claim the lot's lineage
// already carries, a FAIL takes it away — from the lot, and so from whatever is made of it
// afterwards, since processing passes on only the claims its inputs carry.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// The lot and the certificate a certifier names: UNKNOWN_LOT, CERT_UNKNOWN, CERT_NOT_ISSUER.
Verdict load_lot_and_own_certificate(const WorldView& world, const EventContext& ctx,
                                     const std::string& lot_id, const std::string& certificate_id,
                                     LotRecord* lot, CertificateRecord* cert) {
  std::optional<LotRecord> found_lot = world.lot(lot_id);
  if (!found_lot) return Verdict::reject(RuleCode::kUnknownLot, "lot " + lot_id + " is unknown");
  std::optional<CertificateRecord> found_cert = world.certificate(certificate_id);
  if (!found_cert) {
    return Verdict::reject(RuleCode::kCertUnknown, "certificate " + certificate_id + " is unknown");
  }
  if (found_cert->issuer != ctx.signer.id) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "certificate " + certificate_id +
                                                         " was issued by " + found_cert->issuer +
                                                         ", not by " + ctx.signer.id);
  }
  *lot = std::move(*found_lot);
  *cert = std::move(*found_cert);
  return Verdict::accept();
}

// CERT_HOLDER_MISMATCH unless the certificate is held by the lot's owner, an origin farm or an
// origin farm's cooperative: a certifier speaks only about lots its certificate concerns.
Verdict check_certificate_concerns_lot(const WorldView& world, const CertificateRecord& cert,
                                       const LotRecord& lot) {
  if (cert.holder == lot.owner) return Verdict::accept();
  for (const auto& origin : lot.origins) {
    if (cert.holder == origin.farm_id) return Verdict::accept();
    std::optional<FarmRecord> farm = world.farm(origin.farm_id);
    if (farm && cert.holder == farm->cooperative) return Verdict::accept();
  }
  return Verdict::reject(RuleCode::kCertHolderMismatch,
                         "certificate " + cert.certificate_id + " is held by " + cert.holder +
                             ", not by the owner of lot " + lot.lot_id +
                             ", an origin farm or its cooperative");
}

// TIME_ORDER when the event's time `t` is before `since`.
Verdict check_not_before(TimeMs t, std::string_view field, TimeMs since, const std::string& what) {
  if (t >= since) return Verdict::accept();
  return Verdict::reject(RuleCode::kTimeOrder, std::string(field) + " is before " + what + " at " +
                                                   format_rfc3339(since));
}

Verdict claim_not_supported(const LotRecord& lot, Scheme scheme, std::string_view why) {
  return Verdict::reject(RuleCode::kClaimNotSupported, "lot " + lot.lot_id + " does not carry " +
                                                           std::string(name_of(scheme)) + ": " +
                                                           std::string(why));
}

void remove_claim(LotRecord& lot, Scheme scheme) {
  std::erase_if(lot.claims, [scheme](const LotClaim& c) { return c.scheme == scheme; });
}

void remove_hold(LotRecord& lot, Scheme scheme) {
  std::erase_if(lot.holds, [scheme](const LotHold& h) { return h.scheme == scheme; });
}

}  // namespace

Verdict apply_certify_lot(World& world, const EventContext& ctx, const CertifyLot& e) {
  // Existence and authority.
  LotRecord lot;
  CertificateRecord cert;
  if (Verdict v = load_lot_and_own_certificate(world, ctx, e.lot_id, e.certificate_id, &lot, &cert);
      !v.ok()) {
    return v;
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.inspected_at, "inspectedAt"); !v.ok()) return v;
  if (Verdict v = check_not_before(e.inspected_at, "inspectedAt", lot.created_at,
                                   "lot " + e.lot_id + " was created");
      !v.ok()) {
    return v;
  }
  // Certificate and claim. A failure needs no valid certificate: an expired or suspended one
  // must not keep a claim alive that its issuer found broken.
  const bool pass = e.outcome == InspectionOutcome::kPass;
  if (pass) {
    if (Verdict v = check_certificate_use(world, e.certificate_id, lot.crop, e.inspected_at, &cert);
        !v.ok()) {
      return v;
    }
  }
  if (Verdict v = check_certificate_concerns_lot(world, cert, lot); !v.ok()) return v;
  const bool carried = lot.find_claim(cert.scheme) != nullptr;
  if (pass && !carried) {
    return claim_not_supported(lot, cert.scheme,
                               "an inspection confirms a claim the lot's lineage supports and "
                               "never creates one");
  }

  if (pass) {
    add_claim(lot, cert.scheme, e.certificate_id);
  } else {
    remove_claim(lot, cert.scheme);
    remove_hold(lot, cert.scheme);
  }
  lot.last_event_at = std::max(lot.last_event_at, e.inspected_at);
  LotEventRecord& entry =
      add_history(lot, ctx, LotEventKind::kCertifyLot, e.inspected_at, {e.certificate_id}, 0);
  entry.findings = e.findings;
  entry.outcome = e.outcome;
  entry.nonconformities = e.nonconformities;
  entry.scheme = cert.scheme;
  entry.claim_removed = !pass && carried;
  world.put_lot(lot);
  return Verdict::accept();
}

Verdict apply_hold_lot(World& world, const EventContext& ctx, const HoldLot& e) {
  // Existence and authority.
  LotRecord lot;
  CertificateRecord cert;
  if (Verdict v = load_lot_and_own_certificate(world, ctx, e.lot_id, e.certificate_id, &lot, &cert);
      !v.ok()) {
    return v;
  }
  if (Verdict v = check_certificate_concerns_lot(world, cert, lot); !v.ok()) return v;
  // Time.
  if (Verdict v = check_event_time(ctx, e.held_at, "heldAt"); !v.ok()) return v;
  if (Verdict v =
          check_not_before(e.held_at, "heldAt", lot.created_at, "lot " + e.lot_id + " was created");
      !v.ok()) {
    return v;
  }
  // Claim.
  if (lot.find_claim(cert.scheme) == nullptr) {
    return claim_not_supported(lot, cert.scheme, "there is no claim to hold");
  }
  if (const LotHold* held = lot.find_hold(cert.scheme)) {
    return Verdict::reject(RuleCode::kLotOnHold, "lot " + e.lot_id + " is already on hold for " +
                                                     std::string(name_of(cert.scheme)) + " by " +
                                                     held->by + " since " +
                                                     format_rfc3339(held->held_at));
  }

  auto at = std::find_if(lot.holds.begin(), lot.holds.end(),
                         [&](const LotHold& h) { return h.scheme > cert.scheme; });
  lot.holds.insert(at, LotHold{cert.scheme, e.certificate_id, ctx.signer.id, e.held_at});
  lot.last_event_at = std::max(lot.last_event_at, e.held_at);
  LotEventRecord& entry =
      add_history(lot, ctx, LotEventKind::kHold, e.held_at, {e.certificate_id}, 0);
  entry.findings = e.reason;
  entry.scheme = cert.scheme;
  world.put_lot(lot);
  return Verdict::accept();
}

Verdict apply_release_lot(World& world, const EventContext& ctx, const ReleaseLot& e) {
  // Existence and authority: only the certifier that holds the lot releases it.
  LotRecord lot;
  CertificateRecord cert;
  if (Verdict v = load_lot_and_own_certificate(world, ctx, e.lot_id, e.certificate_id, &lot, &cert);
      !v.ok()) {
    return v;
  }
  const LotHold* held = lot.find_hold(cert.scheme);
  if (held == nullptr) {
    return Verdict::reject(RuleCode::kLotNotHeld, "lot " + e.lot_id + " is not on hold for " +
                                                      std::string(name_of(cert.scheme)));
  }
  if (held->by != ctx.signer.id) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "lot " + e.lot_id + " was put on hold for " +
                                                         std::string(name_of(cert.scheme)) +
                                                         " by " + held->by + ", not by " +
                                                         ctx.signer.id);
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.released_at, "releasedAt"); !v.ok()) return v;
  if (Verdict v = check_not_before(e.released_at, "releasedAt", held->held_at,
                                   "the hold on lot " + e.lot_id + " began");
      !v.ok()) {
    return v;
  }

  remove_hold(lot, cert.scheme);
  lot.last_event_at = std::max(lot.last_event_at, e.released_at);
  LotEventRecord& entry =
      add_history(lot, ctx, LotEventKind::kRelease, e.released_at, {e.certificate_id}, 0);
  entry.findings = e.reason;
  entry.scheme = cert.scheme;
  world.put_lot(lot);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

// setYieldEstimate and approveYieldEstimate: what a member farm of a group certificate can
// produce in a season, as the cooperative's internal control system estimates it and the
// certifier approves it. It catches the classic organic fraud — conventional coffee bought from
// neighbours and delivered as a member's harvest — far below the global per-hectare cap.
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// The membership an estimate is about: CERT_UNKNOWN, CERT_HOLDER_MISMATCH (a farm's own
// certificate has no members), CERT_SCOPE (the certificate does not cover the form's crop),
// UNKNOWN_FARM, NOT_A_MEMBER (another cooperative's farm, or never proposed).
Verdict load_membership(const WorldView& world, const std::string& certificate_id,
                        const std::string& farm_id, Form form, CertificateRecord* cert,
                        CertificateMemberRecord* member) {
  std::optional<CertificateRecord> found = world.certificate(certificate_id);
  if (!found) {
    return Verdict::reject(RuleCode::kCertUnknown, "certificate " + certificate_id + " is unknown");
  }
  if (!world.has_org(found->holder)) {
    return Verdict::reject(RuleCode::kCertHolderMismatch,
                           "certificate " + certificate_id + " is held by farm " + found->holder +
                               ": only a group certificate's members have yield estimates");
  }
  const Crop crop = form == Form::kCherry ? Crop::kCoffee : Crop::kCocoa;
  if (!found->covers(crop)) {
    return Verdict::reject(
        RuleCode::kCertScope,
        "certificate " + certificate_id + " does not cover " + std::string(name_of(crop)));
  }
  std::optional<FarmRecord> farm = world.farm(farm_id);
  if (!farm) return Verdict::reject(RuleCode::kUnknownFarm, "farm " + farm_id + " is unknown");
  std::optional<CertificateMemberRecord> found_member =
      world.certificate_member(certificate_id, farm_id);
  if (farm->cooperative != found->holder || !found_member) {
    return Verdict::reject(
        RuleCode::kNotAMember,
        "farm " + farm_id + " is no listed member of certificate " + certificate_id);
  }
  *cert = std::move(*found);
  *member = std::move(*found_member);
  return Verdict::accept();
}

}  // namespace

Verdict apply_set_yield_estimate(World& world, const EventContext& ctx, const SetYieldEstimate& e) {
  CertificateRecord cert;
  CertificateMemberRecord member;
  if (Verdict v = load_membership(world, e.certificate_id, e.farm_id, e.form, &cert, &member);
      !v.ok()) {
    return v;
  }
  if (ctx.signer.id != cert.holder) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "the yield estimates of certificate " +
                                                         e.certificate_id +
                                                         " are set by its holder " + cert.holder +
                                                         ", not by " + ctx.signer.id);
  }
  member.estimate(e.season, e.form).proposed_g = e.mass_g;
  world.update_certificate_member(member);
  return Verdict::accept();
}

Verdict apply_approve_yield_estimate(World& world, const EventContext& ctx,
                                     const ApproveYieldEstimate& e) {
  CertificateRecord cert;
  CertificateMemberRecord member;
  if (Verdict v = load_membership(world, e.certificate_id, e.farm_id, e.form, &cert, &member);
      !v.ok()) {
    return v;
  }
  if (ctx.signer.id != cert.issuer) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "only the issuing certifier " + cert.issuer +
                                                         " approves yield estimates of " +
                                                         e.certificate_id);
  }
  member.estimate(e.season, e.form).approved_g = e.mass_g;
  world.update_certificate_member(member);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

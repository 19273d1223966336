// setCertificateMember: the member farms of a group certificate (one held by an organization),
// as the holding cooperative's internal control system and the issuing certifier record them.
// The cooperative may only take standing away (PROPOSED, SANCTIONED, EXCLUDED grant nothing); only
// the certifier may approve a member, reinstate one, or record when its conversion started.
#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict apply_set_certificate_member(World& world, const EventContext& ctx,
                                     const SetCertificateMember& e) {
  // Existence and scope.
  std::optional<CertificateRecord> cert = world.certificate(e.certificate_id);
  if (!cert) {
    return Verdict::reject(RuleCode::kCertUnknown,
                           "certificate " + e.certificate_id + " is unknown");
  }
  if (!world.has_org(cert->holder)) {
    return Verdict::reject(RuleCode::kCertHolderMismatch,
                           "certificate " + e.certificate_id + " is held by farm " + cert->holder +
                               ": only a group certificate, held by an organization, has members");
  }
  std::optional<FarmRecord> farm = world.farm(e.farm_id);
  if (!farm) return Verdict::reject(RuleCode::kUnknownFarm, "farm " + e.farm_id + " is unknown");
  if (farm->cooperative != cert->holder) {
    return Verdict::reject(RuleCode::kNotAMember, "farm " + e.farm_id + " belongs to " +
                                                      farm->cooperative + ", not to " +
                                                      cert->holder + ", the certificate's holder");
  }
  // Authority.
  const bool issuer = ctx.signer.id == cert->issuer;
  if (!issuer && ctx.signer.id != cert->holder) {
    return Verdict::reject(RuleCode::kCertNotIssuer,
                           "the members of certificate " + e.certificate_id + " are set by " +
                               cert->holder + " and " + cert->issuer + ", not by " + ctx.signer.id);
  }
  if (!issuer && e.status == MemberStatus::kApproved) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "only the issuing certifier " + cert->issuer +
                                                         " may approve a member of certificate " +
                                                         e.certificate_id);
  }
  if (!issuer && e.conversion_start != 0) {
    return Verdict::reject(RuleCode::kCertNotIssuer,
                           "only the issuing certifier " + cert->issuer +
                               " may record when a member's conversion started");
  }
  CertificateMemberRecord member =
      world.certificate_member(e.certificate_id, e.farm_id)
          .value_or(CertificateMemberRecord{e.certificate_id, e.farm_id, {}});
  if (member.changes.empty() && e.status != MemberStatus::kProposed) {
    return Verdict::reject(RuleCode::kNotAMember,
                           "farm " + e.farm_id + " was never proposed for certificate " +
                               e.certificate_id + ": its cooperative proposes members first");
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.effective_at, "effectiveAt"); !v.ok()) return v;
  if (Verdict v = check_not_future(ctx, e.conversion_start, "conversionStart"); !v.ok()) return v;

  member.changes.push_back(
      MemberChange{e.status, e.effective_at, e.conversion_start, ctx.signer.id, e.reason});
  world.put_certificate_member(member);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

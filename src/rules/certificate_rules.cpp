// Certifiers' events about certificates: issueCertificate and changeCertificateStatus.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "coopchain/rules/queries.h"
#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict apply_issue_certificate(World& world, const EventContext& ctx, const IssueCertificate& e) {
  if (!ctx.signer.accredited_for(e.scheme)) {
    return Verdict::reject(
        RuleCode::kCertifierNotAccredited,
        ctx.signer.id + " is not accredited for " + std::string(name_of(e.scheme)));
  }
  if (world.has_certificate(e.certificate_id)) {
    return Verdict::reject(RuleCode::kCertExists,
                           "certificate " + e.certificate_id + " already exists");
  }
  if (!world.has_farm(e.holder) && !world.has_org(e.holder)) {
    return Verdict::reject(
        RuleCode::kUnknownOrganization,
        "holder " + e.holder + " is neither a registered farm nor an organization");
  }
  if (Verdict v = check_not_future(ctx, e.conversion_start, "conversionStart"); !v.ok()) return v;
  world.put_certificate(CertificateRecord{e.certificate_id,
                                          e.scheme,
                                          ctx.signer.id,
                                          e.holder,
                                          e.crops,
                                          e.valid_from,
                                          e.valid_until,
                                          ctx.block.block_time,
                                          {},
                                          e.conversion_start});
  world.add_holder_certificate(e.holder, e.certificate_id);
  return Verdict::accept();
}

Verdict apply_change_certificate_status(World& world, const EventContext& ctx,
                                        const ChangeCertificateStatus& e) {
  std::optional<CertificateRecord> cert = world.certificate(e.certificate_id);
  if (!cert) {
    return Verdict::reject(RuleCode::kCertUnknown,
                           "certificate " + e.certificate_id + " is unknown");
  }
  if (cert->issuer != ctx.signer.id) {
    return Verdict::reject(RuleCode::kCertNotIssuer, "certificate " + e.certificate_id +
                                                         " was issued by " + cert->issuer +
                                                         ", not by " + ctx.signer.id);
  }
  if (Verdict v = check_event_time(ctx, e.effective_at, "effectiveAt"); !v.ok()) return v;
  // Withdrawal is final: once any withdrawal is committed, no further change is accepted.
  for (const auto& c : cert->changes) {
    if (c.status == CertStatus::kWithdrawn) {
      return Verdict::reject(RuleCode::kCertWithdrawn, "certificate " + e.certificate_id +
                                                           " was withdrawn effective " +
                                                           format_rfc3339(c.effective_at));
    }
  }
  cert->changes.push_back(CertStatusChange{e.status, e.effective_at, e.reason});
  world.put_certificate(*cert);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

// Who signed a transaction, and which organization kinds may submit which event.
#include <variant>

#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict key_revoked(const KeyRecord& key) {
  return Verdict::reject(RuleCode::kKeyRevoked, "key " + key.key_id + " of " + key.org_id +
                                                    " was revoked in block " +
                                                    std::to_string(key.revoked_height));
}

Verdict load_signer(const WorldView& world, const Transaction& tx, OrgRecord* out) {
  // The key id was derived from the signed public key when the payload was decoded (off the
  // strand); it is not a field the submitter could set independently.
  std::optional<KeyRecord> key = world.signing_key(tx.signer_key_id);
  std::optional<OrgRecord> org = key ? world.org(key->org_id) : std::nullopt;
  if (!org) {
    return Verdict::reject(RuleCode::kUnknownSigner,
                           "the signing key is not registered to any organization");
  }
  if (key->revoked()) return key_revoked(*key);
  if (org->status == OrgStatus::kSuspended) {
    return Verdict::reject(
        RuleCode::kOrganizationSuspended,
        org->id + " is suspended: its events are refused until it is reinstated");
  }
  if (org->status == OrgStatus::kRemoved) {
    return Verdict::reject(RuleCode::kOrganizationRemoved,
                           org->id + " was removed from the network");
  }
  *out = std::move(*org);
  return Verdict::accept();
}

bool role_allowed(OrgKind kind, const Event& event) {
  const bool coop = kind == OrgKind::kCooperative;
  const bool processor = kind == OrgKind::kProcessor;
  const bool certifier = kind == OrgKind::kCertifier;
  const bool exporter = kind == OrgKind::kExporter;
  if (std::holds_alternative<RegisterFarm>(event) || std::holds_alternative<Harvest>(event) ||
      std::holds_alternative<UpdatePlot>(event)) {
    return coop;
  }
  if (std::holds_alternative<Processing>(event)) return processor || coop;
  if (std::holds_alternative<IssueCertificate>(event) ||
      std::holds_alternative<ChangeCertificateStatus>(event) ||
      std::holds_alternative<CertifyLot>(event) || std::holds_alternative<AssessPlot>(event) ||
      std::holds_alternative<HoldLot>(event) || std::holds_alternative<ReleaseLot>(event)) {
    return certifier;
  }
  // The holding cooperative proposes, sanctions and excludes; the issuing certifier approves.
  if (std::holds_alternative<SetCertificateMember>(event)) return coop || certifier;
  // The cooperative's internal control system estimates; the issuing certifier approves.
  if (std::holds_alternative<SetYieldEstimate>(event)) return coop;
  if (std::holds_alternative<ApproveYieldEstimate>(event)) return certifier;
  if (std::holds_alternative<Transfer>(event) || std::holds_alternative<ReceiveLot>(event)) {
    return coop || processor || exporter;
  }
  if (std::holds_alternative<Export>(event)) return exporter || coop;
  // Any organization manages its own keys; the governance rules say who governs (NOT_A_GOVERNOR
  // names the reason better than a role would).
  if (std::holds_alternative<AddKey>(event) || std::holds_alternative<RevokeKey>(event) ||
      std::holds_alternative<ProposeChange>(event) ||
      std::holds_alternative<ApproveChange>(event) ||
      std::holds_alternative<WithdrawProposal>(event)) {
    return true;
  }
  return false;
}

}  // namespace coopchain::rules_internal

// Who signed a transaction, and which organization kinds may submit which event.
#include <variant>

#include "event_rules.h"

namespace coopchain::rules_internal {

std::optional<OrgRecord> signer_org(const WorldView& world, const Transaction& tx) {
  // The key id was derived from the signed public key when the payload was decoded (off the
  // strand); it is not a field the submitter could set independently.
  std::optional<KeyRecord> key = world.signing_key(tx.signer_key_id);
  if (!key) return std::nullopt;
  return world.org(key->org_id);
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
  return false;
}

}  // namespace coopchain::rules_internal

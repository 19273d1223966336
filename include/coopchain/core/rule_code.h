// Rule codes: the reasons a transaction is refused, as the contract names them. A code is never
// renamed; new ones are only appended. `Verdict` is the outcome of checking one transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coopchain {

enum class RuleCode {
  kOk = 0,
  kMalformed,
  kBadSignature,
  kUnknownSigner,
  kRoleNotAllowed,
  kDuplicateTx,
  kUnknownOrganization,
  kUnknownFarm,
  kUnknownPlot,
  kNotAMember,
  kBadGeometry,
  kLotExists,
  kUnknownLot,
  kNotOwner,
  kTimeOrder,
  kFutureTimestamp,
  kTooLate,
  kYieldImplausible,
  kMassBalanceExceeded,
  kConversionImplausible,
  kCertUnknown,
  kCertNotYetValid,
  kCertExpired,
  kCertSuspended,
  kCertWithdrawn,
  kCertScope,
  kCertHolderMismatch,
  kCertifierNotAccredited,
  kCertNotIssuer,
  kOrganicMixing,
  kClaimNotCertified,
  kEudrGeolocationMissing,
  // Added beyond the contract's first list (docs/rules.md explains each).
  kFarmExists,
  kCertExists,
  kExportExists,
  kCropMismatch,
  kMassMismatch,
  kWrongChain,
  kHsCodeMismatch,
  kAreaMismatch,
  kBadCountry,
  kPlotOverlap,
  kEudrAssessmentMissing,
  kEudrDeforestation,
  kFarmNotInScope,
  kFarmSanctioned,
  kFarmInConversion,
  kClaimNotSupported,
  kLotOnHold,
  kLotNotHeld,
  kYieldEstimateExceeded,
  kReceptionMismatch,
  kQualityOutOfRange,
  kOrganizationExists,
  kOrganizationSuspended,
  kOrganizationRemoved,
  kKeyRevoked,
  kKeyExists,
  kUnknownKey,
  kLastKey,
  kNotAGovernor,
  kUnknownProposal,
  kProposalExists,
  kProposalExpired,
  kProposalClosed,
  kDuplicateApproval,
  kNotProposer,
  kUnsafeMembership,
  kParameterOutOfRange,
  kMembershipChangePending,
  kNodeExists,
  kUnknownNode,
};
// The last code: state records store a code by its number, and a number past it is corrupt.
inline constexpr RuleCode kLastRuleCode = RuleCode::kUnknownNode;

// The contract's spelling, e.g. "MASS_BALANCE_EXCEEDED"; "OK" for kOk.
std::string_view rule_code_name(RuleCode code);
std::optional<RuleCode> parse_rule_code(std::string_view name);

// The outcome of checking a transaction against the rules. A rejection is a verdict about the
// input, not a failure of the node.
struct Verdict {
  RuleCode code = RuleCode::kOk;
  std::string message;

  bool ok() const { return code == RuleCode::kOk; }
  static Verdict accept() { return {}; }
  static Verdict reject(RuleCode c, std::string msg) { return {c, std::move(msg)}; }
  // "RULE_CODE: message", the one-line form users see.
  std::string to_string() const;
};

}  // namespace coopchain

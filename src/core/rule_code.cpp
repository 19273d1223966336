#include "coopchain/core/rule_code.h"

#include <array>
#include <utility>

namespace coopchain {
namespace {

constexpr std::array<std::pair<RuleCode, std::string_view>, 72> kNames = {{
    {RuleCode::kOk, "OK"},
    {RuleCode::kMalformed, "MALFORMED"},
    {RuleCode::kBadSignature, "BAD_SIGNATURE"},
    {RuleCode::kUnknownSigner, "UNKNOWN_SIGNER"},
    {RuleCode::kRoleNotAllowed, "ROLE_NOT_ALLOWED"},
    {RuleCode::kDuplicateTx, "DUPLICATE_TX"},
    {RuleCode::kUnknownOrganization, "UNKNOWN_ORGANIZATION"},
    {RuleCode::kUnknownFarm, "UNKNOWN_FARM"},
    {RuleCode::kUnknownPlot, "UNKNOWN_PLOT"},
    {RuleCode::kNotAMember, "NOT_A_MEMBER"},
    {RuleCode::kBadGeometry, "BAD_GEOMETRY"},
    {RuleCode::kLotExists, "LOT_EXISTS"},
    {RuleCode::kUnknownLot, "UNKNOWN_LOT"},
    {RuleCode::kNotOwner, "NOT_OWNER"},
    {RuleCode::kTimeOrder, "TIME_ORDER"},
    {RuleCode::kFutureTimestamp, "FUTURE_TIMESTAMP"},
    {RuleCode::kTooLate, "TOO_LATE"},
    {RuleCode::kYieldImplausible, "YIELD_IMPLAUSIBLE"},
    {RuleCode::kMassBalanceExceeded, "MASS_BALANCE_EXCEEDED"},
    {RuleCode::kConversionImplausible, "CONVERSION_IMPLAUSIBLE"},
    {RuleCode::kCertUnknown, "CERT_UNKNOWN"},
    {RuleCode::kCertNotYetValid, "CERT_NOT_YET_VALID"},
    {RuleCode::kCertExpired, "CERT_EXPIRED"},
    {RuleCode::kCertSuspended, "CERT_SUSPENDED"},
    {RuleCode::kCertWithdrawn, "CERT_WITHDRAWN"},
    {RuleCode::kCertScope, "CERT_SCOPE"},
    {RuleCode::kCertHolderMismatch, "CERT_HOLDER_MISMATCH"},
    {RuleCode::kCertifierNotAccredited, "CERTIFIER_NOT_ACCREDITED"},
    {RuleCode::kCertNotIssuer, "CERT_NOT_ISSUER"},
    {RuleCode::kOrganicMixing, "ORGANIC_MIXING"},
    {RuleCode::kClaimNotCertified, "CLAIM_NOT_CERTIFIED"},
    {RuleCode::kEudrGeolocationMissing, "EUDR_GEOLOCATION_MISSING"},
    {RuleCode::kFarmExists, "FARM_EXISTS"},
    {RuleCode::kCertExists, "CERT_EXISTS"},
    {RuleCode::kExportExists, "EXPORT_EXISTS"},
    {RuleCode::kCropMismatch, "CROP_MISMATCH"},
    {RuleCode::kMassMismatch, "MASS_MISMATCH"},
    {RuleCode::kWrongChain, "WRONG_CHAIN"},
    {RuleCode::kHsCodeMismatch, "HS_CODE_MISMATCH"},
    {RuleCode::kAreaMismatch, "AREA_MISMATCH"},
    {RuleCode::kBadCountry, "BAD_COUNTRY"},
    {RuleCode::kPlotOverlap, "PLOT_OVERLAP"},
    {RuleCode::kEudrAssessmentMissing, "EUDR_ASSESSMENT_MISSING"},
    {RuleCode::kEudrDeforestation, "EUDR_DEFORESTATION"},
    {RuleCode::kFarmNotInScope, "FARM_NOT_IN_SCOPE"},
    {RuleCode::kFarmSanctioned, "FARM_SANCTIONED"},
    {RuleCode::kFarmInConversion, "FARM_IN_CONVERSION"},
    {RuleCode::kClaimNotSupported, "CLAIM_NOT_SUPPORTED"},
    {RuleCode::kLotOnHold, "LOT_ON_HOLD"},
    {RuleCode::kLotNotHeld, "LOT_NOT_HELD"},
    {RuleCode::kYieldEstimateExceeded, "YIELD_ESTIMATE_EXCEEDED"},
    {RuleCode::kReceptionMismatch, "RECEPTION_MISMATCH"},
    {RuleCode::kQualityOutOfRange, "QUALITY_OUT_OF_RANGE"},
    {RuleCode::kOrganizationExists, "ORGANIZATION_EXISTS"},
    {RuleCode::kOrganizationSuspended, "ORGANIZATION_SUSPENDED"},
    {RuleCode::kOrganizationRemoved, "ORGANIZATION_REMOVED"},
    {RuleCode::kKeyRevoked, "KEY_REVOKED"},
    {RuleCode::kKeyExists, "KEY_EXISTS"},
    {RuleCode::kUnknownKey, "UNKNOWN_KEY"},
    {RuleCode::kLastKey, "LAST_KEY"},
    {RuleCode::kNotAGovernor, "NOT_A_GOVERNOR"},
    {RuleCode::kUnknownProposal, "UNKNOWN_PROPOSAL"},
    {RuleCode::kProposalExists, "PROPOSAL_EXISTS"},
    {RuleCode::kProposalExpired, "PROPOSAL_EXPIRED"},
    {RuleCode::kProposalClosed, "PROPOSAL_CLOSED"},
    {RuleCode::kDuplicateApproval, "DUPLICATE_APPROVAL"},
    {RuleCode::kNotProposer, "NOT_PROPOSER"},
    {RuleCode::kUnsafeMembership, "UNSAFE_MEMBERSHIP"},
    {RuleCode::kParameterOutOfRange, "PARAMETER_OUT_OF_RANGE"},
    {RuleCode::kMembershipChangePending, "MEMBERSHIP_CHANGE_PENDING"},
    {RuleCode::kNodeExists, "NODE_EXISTS"},
    {RuleCode::kUnknownNode, "UNKNOWN_NODE"},
}};

}  // namespace

std::string_view rule_code_name(RuleCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "UNKNOWN_RULE";
}

std::optional<RuleCode> parse_rule_code(std::string_view name) {
  for (const auto& [c, n] : kNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

std::string Verdict::to_string() const {
  std::string out(rule_code_name(code));
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

}  // namespace coopchain

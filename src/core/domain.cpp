#include "coopchain/core/domain.h"

#include <iterator>

namespace coopchain {

std::string_view name_of(Crop v) {
  switch (v) {
    case Crop::kCoffee:
      return "COFFEE";
    case Crop::kCocoa:
      return "COCOA";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(Form v) {
  switch (v) {
    case Form::kCherry:
      return "CHERRY";
    case Form::kWetBeans:
      return "WET_BEANS";
    case Form::kParchment:
      return "PARCHMENT";
    case Form::kGreen:
      return "GREEN";
    case Form::kDryBeans:
      return "DRY_BEANS";
    case Form::kCascara:
      return "CASCARA";
    case Form::kCocoaShell:
      return "COCOA_SHELL";
    case Form::kCocoaPulp:
      return "COCOA_PULP";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(Scheme v) {
  switch (v) {
    case Scheme::kEuOrganic:
      return "EU_ORGANIC";
    case Scheme::kUsdaOrganic:
      return "USDA_ORGANIC";
    case Scheme::kFairtrade:
      return "FAIRTRADE";
    case Scheme::kRainforestAlliance:
      return "RAINFOREST_ALLIANCE";
    case Scheme::kFourC:
      return "FOUR_C";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(CertStatus v) {
  switch (v) {
    case CertStatus::kActive:
      return "ACTIVE";
    case CertStatus::kSuspended:
      return "SUSPENDED";
    case CertStatus::kWithdrawn:
      return "WITHDRAWN";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(Deforestation v) {
  switch (v) {
    case Deforestation::kFree:
      return "DEFORESTATION_FREE";
    case Deforestation::kNotFree:
      return "NOT_FREE";
    case Deforestation::kInsufficientData:
      return "INSUFFICIENT_DATA";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(OrgKind v) {
  switch (v) {
    case OrgKind::kCooperative:
      return "COOPERATIVE";
    case OrgKind::kProcessor:
      return "PROCESSOR";
    case OrgKind::kCertifier:
      return "CERTIFIER";
    case OrgKind::kExporter:
      return "EXPORTER";
    case OrgKind::kAuditor:
      return "AUDITOR";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(OrgStatus v) {
  switch (v) {
    case OrgStatus::kActive:
      return "ACTIVE";
    case OrgStatus::kSuspended:
      return "SUSPENDED";
    case OrgStatus::kRemoved:
      return "REMOVED";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view name_of(ProcessingStep v) {
  switch (v) {
    case ProcessingStep::kWetMill:
      return "WET_MILL";
    case ProcessingStep::kFermentation:
      return "FERMENTATION";
    case ProcessingStep::kDrying:
      return "DRYING";
    case ProcessingStep::kDryMill:
      return "DRY_MILL";
    case ProcessingStep::kSorting:
      return "SORTING";
    case ProcessingStep::kSplit:
      return "SPLIT";
    case ProcessingStep::kBlend:
      return "BLEND";
    default:
      return "UNSPECIFIED";
  }
}

std::optional<OrgKind> parse_org_kind(std::string_view name) {
  for (auto k : {OrgKind::kCooperative, OrgKind::kProcessor, OrgKind::kCertifier,
                 OrgKind::kExporter, OrgKind::kAuditor}) {
    if (name_of(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view name_of(InspectionOutcome v) {
  return v == InspectionOutcome::kFail ? "FAIL" : "PASS";
}

std::string_view name_of(MemberStatus v) {
  switch (v) {
    case MemberStatus::kProposed:
      return "PROPOSED";
    case MemberStatus::kApproved:
      return "APPROVED";
    case MemberStatus::kSanctioned:
      return "SANCTIONED";
    case MemberStatus::kExcluded:
      return "EXCLUDED";
    default:
      return "UNSPECIFIED";
  }
}

bool is_organic(Scheme s) {
  return s == Scheme::kEuOrganic || s == Scheme::kUsdaOrganic;
}

std::string_view event_type_name(const Event& event) {
  static constexpr std::string_view kNames[] = {"registerFarm",
                                                "harvest",
                                                "processing",
                                                "issueCertificate",
                                                "changeCertificateStatus",
                                                "certifyLot",
                                                "transfer",
                                                "export",
                                                "updatePlot",
                                                "assessPlot",
                                                "setCertificateMember",
                                                "holdLot",
                                                "releaseLot",
                                                "setYieldEstimate",
                                                "approveYieldEstimate",
                                                "receiveLot",
                                                "proposeChange",
                                                "approveChange",
                                                "withdrawProposal",
                                                "addKey",
                                                "revokeKey"};
  static_assert(std::size(kNames) == std::variant_size_v<Event>);
  return kNames[event.index()];
}

}  // namespace coopchain

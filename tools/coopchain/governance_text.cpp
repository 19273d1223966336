#include "governance_text.h"

#include <type_traits>
#include <variant>

#include "coopchain/core/ed25519.h"

namespace coopchain::cli {

namespace {

// "receptionToleranceBp 80, euCountries [DE ES FR]": each parameter set, by its JSON name.
std::string describe_parameters(const SetParameters& c) {
  std::string out;
  auto add = [&](std::string_view name, const std::string& value) {
    if (!out.empty()) out += ", ";
    out += std::string(name) + " " + value;
  };
  auto number = [&](std::string_view name, const auto& field) {
    if (field) add(name, std::to_string(*field));
  };
  number("coffeeYieldCapGPerHa", c.coffee_yield_cap_g_per_ha);
  number("cocoaYieldCapGPerHa", c.cocoa_yield_cap_g_per_ha);
  if (c.conversion_caps) {
    std::string caps;
    for (const auto& cap : *c.conversion_caps) {
      caps += (caps.empty() ? "" : " ") + std::string(name_of(cap.from)) + "→" +
              std::string(name_of(cap.to)) + " " + std::to_string(cap.per_mille);
    }
    add("conversionCaps", "[" + caps + "]");
  }
  number("futureSkewMs", c.future_skew_ms);
  number("latenessMs", c.lateness_ms);
  if (c.eu_countries) {
    std::string countries;
    for (const auto& country : *c.eu_countries)
      countries += (countries.empty() ? "" : " ") + country;
    add("euCountries", "[" + countries + "]");
  }
  number("eudrPolygonMinAreaM2", c.eudr_polygon_min_area_m2);
  number("maxBlockTxs", c.max_block_txs);
  number("maxBlockBytes", c.max_block_bytes);
  if (c.default_country) add("defaultCountry", "\"" + *c.default_country + "\"");
  if (c.eudr_require_assessment) {
    add("eudrRequireAssessment", *c.eudr_require_assessment ? "true" : "false");
  }
  if (c.conversion_periods) {
    std::string periods;
    for (const auto& p : *c.conversion_periods) {
      periods += (periods.empty() ? "" : " ") + std::string(name_of(p.scheme)) + " " +
                 std::to_string(p.months) + " months";
    }
    add("conversionPeriods", "[" + periods + "]");
  }
  number("receptionToleranceBp", c.reception_tolerance_bp);
  number("governanceThresholdPerMille", c.governance_threshold_per_mille);
  return out;
}

}  // namespace

std::string describe_change(const GovernanceChange& change) {
  return std::visit(
      [](const auto& c) -> std::string {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, AddOrganization>) {
          return "add " + std::string(name_of(c.kind)) + " " + c.org_id + " (" + c.name + "), " +
                 std::to_string(c.public_keys.size()) + " key(s)";
        } else if constexpr (std::is_same_v<C, SetOrganizationStatus>) {
          switch (c.status) {
            case OrgStatus::kActive:
              return "reinstate " + c.org_id;
            case OrgStatus::kSuspended:
              return "suspend " + c.org_id;
            case OrgStatus::kRemoved:
              return "remove " + c.org_id;
            default:
              return "set the status of " + c.org_id;
          }
        } else if constexpr (std::is_same_v<C, SetAccreditation>) {
          return (c.accredited ? "accredit " : "withdraw the accreditation of ") + c.org_id +
                 " for " + std::string(name_of(c.scheme));
        } else if constexpr (std::is_same_v<C, AddOrganizationKey>) {
          return "add key " + key_id(c.public_key) + " to " + c.org_id;
        } else if constexpr (std::is_same_v<C, RevokeOrganizationKey>) {
          return c.key_id.empty() ? "revoke every key of " + c.org_id
                                  : "revoke key " + c.key_id + " of " + c.org_id;
        } else if constexpr (std::is_same_v<C, SetParameters>) {
          return "set " + describe_parameters(c);
        } else if constexpr (std::is_same_v<C, AddNode>) {
          return std::string("add ") + (c.role == NodeRole::kObserver ? "observer" : "learner") +
                 " node " + c.node_id + " of " + c.org_id + " at " + c.peer_address;
        } else if constexpr (std::is_same_v<C, PromoteNode>) {
          return "promote node " + c.node_id + " to validator";
        } else if constexpr (std::is_same_v<C, RemoveNode>) {
          return "remove node " + c.node_id;
        } else {
          static_assert(std::is_same_v<C, RotateNode>);
          std::string what;
          auto add = [&](bool given, const std::string& part) {
            if (given) what += (what.empty() ? "" : ", ") + part;
          };
          add(!c.vote_key.empty(), "vote key");
          add(!c.tls_pin.empty(), "TLS pin");
          add(!c.peer_address.empty(), "address " + c.peer_address);
          return "rotate node " + c.node_id + ": " + what;
        }
      },
      change);
}

}  // namespace coopchain::cli

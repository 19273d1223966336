#include "governance_text.h"

#include <type_traits>
#include <variant>

#include "coopchain/core/ed25519.h"

namespace coopchain::cli {

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
        } else {
          return c.key_id.empty() ? "revoke every key of " + c.org_id
                                  : "revoke key " + c.key_id + " of " + c.org_id;
        }
      },
      change);
}

}  // namespace coopchain::cli

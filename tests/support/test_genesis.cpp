#include "test_genesis.h"

#include "test_keys.h"

namespace coopchain::testing {

std::vector<TestOrg> devnet_orgs() {
  return {{"coop-1", OrgKind::kCooperative, false},
          {"mill-1", OrgKind::kProcessor, false},
          {"cert-1", OrgKind::kCertifier, true},
          {"exp-1", OrgKind::kExporter, false},
          {"audit-1", OrgKind::kAuditor, false}};
}

std::vector<TestOrg> devnet_orgs_with_rivals() {
  return {{"coop-1", OrgKind::kCooperative, false}, {"coop-2", OrgKind::kCooperative, false},
          {"mill-1", OrgKind::kProcessor, false},   {"cert-1", OrgKind::kCertifier, true},
          {"cert-2", OrgKind::kCertifier, false},   {"exp-1", OrgKind::kExporter, false},
          {"audit-1", OrgKind::kAuditor, false}};
}

Genesis test_genesis(std::string chain_id, TimeMs genesis_time, std::string_view key_prefix,
                     const std::vector<TestOrg>& orgs, int validators) {
  const std::string prefix(key_prefix);
  Genesis g;
  g.chain_id = std::move(chain_id);
  g.genesis_time = genesis_time;
  g.params = RuleParams::defaults();
  g.params.default_country = "PE";  // as the devnet's
  for (const auto& org : orgs) {
    g.organizations.push_back({org.id,
                               "Org " + org.id,
                               org.kind,
                               org.accredited,
                               {key_for(prefix + org.id).public_key()}});
  }
  for (int i = 1; i <= validators; ++i) {
    const std::string id = "node-" + std::to_string(i);
    g.validators.push_back({id, key_for(prefix + id).public_key()});
  }
  return g;
}

}  // namespace coopchain::testing

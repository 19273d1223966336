// Genesis files for tests: organizations and validators whose keys come from key_for(prefix +
// id), so that a test's chain is the same in every run. Each organization is named "Org <id>";
// validators are node-1 … node-N.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/genesis.h"

namespace coopchain::testing {

struct TestOrg {
  std::string id;
  OrgKind kind = OrgKind::kUnspecified;
  bool accredited = false;
};

// The devnet's organizations: coop-1, mill-1, cert-1 (accredited), exp-1, audit-1.
std::vector<TestOrg> devnet_orgs();
// The same with a second cooperative and an unaccredited certifier for the rules to refuse:
// coop-1, coop-2, mill-1, cert-1, cert-2, exp-1, audit-1.
std::vector<TestOrg> devnet_orgs_with_rivals();

// Default rule parameters, the genesis time given.
Genesis test_genesis(std::string chain_id, TimeMs genesis_time, std::string_view key_prefix,
                     const std::vector<TestOrg>& orgs, int validators);

}  // namespace coopchain::testing

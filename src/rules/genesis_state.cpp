// The state that genesis establishes: one record per organization and one per signing key.
#include "coopchain/core/ed25519.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/world.h"

namespace coopchain {

StateChanges genesis_state(const Genesis& genesis) {
  StateChanges out;
  for (const auto& org : genesis.organizations) {
    put_record(out, org_key(org.id),
               OrgRecord{org.id, org.name, org.kind, org.accredited, org.accredited_schemes});
    for (const auto& pk : org.public_keys) {
      const std::string id = key_id(pk);
      put_record(out, signing_key_key(id), KeyRecord{id, org.id});
    }
  }
  return out;
}

}  // namespace coopchain

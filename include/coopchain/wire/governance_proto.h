// Governance in its wire form: a proposal's changes and the chain parameters in force, as the
// Governance service answers them and as the CLI prints them.
#pragma once

#include "coopchain/core/domain.h"
#include "coopchain/core/params.h"
#include "coopchain/v1/events.pb.h"
#include "coopchain/v1/genesis.pb.h"

namespace coopchain::wire {

v1::GovernanceChange governance_change_to_proto(const GovernanceChange& change);
// Every parameter set, so the JSON form names each one (the genesis's "params" object).
v1::GenesisParams params_to_proto(const RuleParams& params);

}  // namespace coopchain::wire

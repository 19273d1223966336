// genesis.json: reading and writing a network's genesis in its proto3 JSON form.
#pragma once

#include <string>
#include <string_view>

#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"

namespace coopchain::wire {

// Refuses unknown fields, bad hex keys, unknown organization kinds, duplicate ids, and a genesis
// without validators. Omitted parameters take RuleParams::defaults().
Result<Genesis> genesis_from_json(std::string_view json);
std::string genesis_to_json(const Genesis& genesis);

}  // namespace coopchain::wire

// genesis.json: reading and writing a network's genesis in its proto3 JSON form.
#pragma once

#include <string>
#include <string_view>

#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"
#include "coopchain/v1/genesis.pb.h"

namespace coopchain::wire {

// Refuses unknown fields, bad hex keys, unknown organization kinds, duplicate ids, and a genesis
// without validators. Omitted parameters take RuleParams::defaults().
Result<Genesis> genesis_from_json(std::string_view json);
// The same checks and defaults, of a genesis already parsed.
Result<Genesis> genesis_from_proto(const v1::Genesis& genesis);
std::string genesis_to_json(const Genesis& genesis);

// A member card (`coopchain node init`), read strictly: unknown fields refused, an organization
// id, and a node with its id and peer address when it has one. Keys and pins are checked when
// the cards make a genesis.
Result<v1::MemberCard> member_card_from_json(std::string_view json);
// A member card as `coopchain node init` writes it: indented, every field named.
std::string member_card_to_json(const v1::MemberCard& card);
// The genesis founded by these cards: their organizations and, for each card with a node, a
// validator with its vote key and TLS pin, in the cards' order; `params_json` (a genesis
// "params" object, or empty for the defaults). Held to every check genesis_from_json makes.
Result<Genesis> genesis_from_cards(const std::string& chain_id, TimeMs genesis_time,
                                   const std::vector<v1::MemberCard>& cards,
                                   std::string_view params_json);

}  // namespace coopchain::wire

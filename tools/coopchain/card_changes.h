// The governance changes that admit what a member card describes: its organization, and its node
// as a learner or an observer. `gov admit` prints them for `gov propose`, so that the keys and
// the pin travel from the newcomer's card to the proposal without being copied by hand.
#pragma once

#include <string>

#include "coopchain/core/status.h"
#include "coopchain/v1/events.pb.h"
#include "coopchain/v1/genesis.pb.h"

namespace coopchain::cli {

struct CardAdmission {
  bool organization = true;         // addOrganization, unless it is a member already
  v1::NodeRole role = v1::LEARNER;  // for the card's node, if it has one
};

// The changes, in the order they apply (the organization before the node it runs). An error
// when the card admits nothing or names an unknown kind.
Result<std::vector<v1::GovernanceChange>> changes_from_card(const v1::MemberCard& card,
                                                            const CardAdmission& admission);

// The rotateNode change that moves the card's node to the new server the card describes: its
// TLS pin and peer address, and its vote key unless the old one is kept. An error for a card
// without a node.
Result<v1::GovernanceChange> rotation_from_card(const v1::MemberCard& card, bool keep_vote_key);

}  // namespace coopchain::cli

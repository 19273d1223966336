#include "card_changes.h"

namespace coopchain::cli {

Result<std::vector<v1::GovernanceChange>> changes_from_card(const v1::MemberCard& card,
                                                            const CardAdmission& admission) {
  std::vector<v1::GovernanceChange> changes;
  const v1::GenesisOrganization& org = card.organization();
  if (admission.organization) {
    v1::OrganizationKind kind;
    if (!v1::OrganizationKind_Parse(org.kind(), &kind)) {
      return Status::InvalidArgument("the card's organization kind \"" + org.kind() +
                                     "\" is none of COOPERATIVE, PROCESSOR, CERTIFIER, "
                                     "EXPORTER, AUDITOR");
    }
    auto* add = changes.emplace_back().mutable_add_organization();
    add->set_org_id(org.id());
    add->set_name(org.name());
    add->set_kind(kind);
    for (const auto& key : org.public_keys()) add->add_public_keys(key);
  }
  if (card.has_node()) {
    auto* add = changes.emplace_back().mutable_add_node();
    add->set_node_id(card.node().id());
    add->set_org_id(org.id());
    add->set_role(admission.role);
    add->set_vote_key(card.node().public_key());
    add->set_tls_pin(card.node().tls_pin());
    add->set_peer_address(card.node().peer_address());
  }
  if (changes.empty()) {
    return Status::InvalidArgument("the card has no node, and its organization is not to be added");
  }
  return changes;
}

Result<v1::GovernanceChange> rotation_from_card(const v1::MemberCard& card, bool keep_vote_key) {
  if (!card.has_node()) {
    return Status::InvalidArgument("the card has no node: `node init --peer-address` makes one");
  }
  v1::GovernanceChange change;
  auto* rotate = change.mutable_rotate_node();
  rotate->set_node_id(card.node().id());
  if (!keep_vote_key) rotate->set_vote_key(card.node().public_key());
  rotate->set_tls_pin(card.node().tls_pin());
  rotate->set_peer_address(card.node().peer_address());
  return change;
}

}  // namespace coopchain::cli

#include "coopchain/devnet/member.h"

#include "coopchain/core/hash.h"

namespace coopchain::devnet {

Result<Member> make_member(const MemberSpec& spec) {
  auto signing = PrivateKey::generate();
  if (!signing.ok()) return signing.status();
  v1::MemberCard card;
  auto* org = card.mutable_organization();
  org->set_id(spec.org_id);
  org->set_name(spec.name);
  org->set_kind(spec.kind);
  org->set_accredited(spec.accredited);
  org->add_public_keys(to_hex(signing->public_key()));
  if (spec.node_id.empty()) return Member{std::move(card), std::move(signing).value(), {}};

  auto vote = PrivateKey::generate();
  if (!vote.ok()) return vote.status();
  auto tls = make_self_signed_node_certificate(spec.node_id, kNodeCertificateDays);
  if (!tls.ok()) return tls.status();
  auto pin = certificate_public_key_pin(tls->certificate);
  if (!pin.ok()) return pin.status();
  auto* node = card.mutable_node();
  node->set_id(spec.node_id);
  node->set_public_key(to_hex(vote->public_key()));
  node->set_tls_pin(to_hex(*pin));
  node->set_peer_address(spec.peer_address);
  return Member{std::move(card), std::move(signing).value(),
                NodeIdentity{std::move(vote).value(), std::move(tls).value()}};
}

}  // namespace coopchain::devnet

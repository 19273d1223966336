// Governance: the member cooperatives change the network's organizations, their keys, the
// certifiers' accreditations, the nodes and the chain parameters by majority. A proposal's changes
// apply together, in order, in the block whose approval takes the approvals past the governance
// threshold (by default half of the active member cooperatives); each
// change is checked against the state when proposed and again when it applies, so a change that
// no longer fits (an organization added meanwhile) refuses the approval that would apply it.
// An organization also manages its own keys (addKey, revokeKey), signing with one it holds.
#include <algorithm>
#include <type_traits>
#include <variant>

#include "coopchain/core/ed25519.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// How far ahead a proposal may expire: a vote that runs longer is a different vote.
constexpr TimeMs kMaxProposalLifeMs = int64_t{366} * 24 * 60 * 60 * 1000;

Verdict require_governor(const GovernanceRecord& g, const OrgRecord& signer) {
  if (g.governs(signer.id)) return Verdict::accept();
  return Verdict::reject(RuleCode::kNotAGovernor,
                         std::string(name_of(signer.kind)) + " " + signer.id +
                             " does not govern: only the active member cooperatives do");
}

void set_governor(GovernanceRecord& g, const std::string& org_id, bool governing) {
  auto it = std::lower_bound(g.governors.begin(), g.governors.end(), org_id);
  const bool present = it != g.governors.end() && *it == org_id;
  if (governing && !present) g.governors.insert(it, org_id);
  if (!governing && present) g.governors.erase(it);
}

Verdict load_org(const WorldView& world, const std::string& org_id, OrgRecord* out) {
  std::optional<OrgRecord> org = world.org(org_id);
  if (!org) {
    return Verdict::reject(RuleCode::kUnknownOrganization,
                           "organization " + org_id + " is unknown");
  }
  if (org->status == OrgStatus::kRemoved) {
    return Verdict::reject(RuleCode::kOrganizationRemoved,
                           org_id + " was removed from the network; nothing about it changes");
  }
  *out = std::move(*org);
  return Verdict::accept();
}

Verdict register_key(World& world, OrgRecord& org, const std::string& public_key) {
  const std::string id = key_id(public_key);
  if (std::optional<KeyRecord> existing = world.signing_key(id)) {
    return Verdict::reject(RuleCode::kKeyExists,
                           "key " + id + " is already registered to " + existing->org_id);
  }
  world.put_signing_key(KeyRecord{id, org.id});
  org.key_ids.push_back(id);
  return Verdict::accept();
}

size_t keys_in_force(const WorldView& world, const OrgRecord& org) {
  return std::count_if(org.key_ids.begin(), org.key_ids.end(), [&](const std::string& id) {
    std::optional<KeyRecord> k = world.signing_key(id);
    return k && !k->revoked();
  });
}

Verdict revoke(World& world, const OrgRecord& org, const std::string& key_id, uint64_t height) {
  std::optional<KeyRecord> key = world.signing_key(key_id);
  if (!key || key->org_id != org.id) {
    return Verdict::reject(RuleCode::kUnknownKey, "key " + key_id + " is not a key of " + org.id);
  }
  if (key->revoked()) return key_revoked(*key);
  key->revoked_height = height;
  world.put_signing_key(*key);
  return Verdict::accept();
}

std::vector<Scheme> accredited_schemes_of(const OrgRecord& org) {
  if (!org.accredited) return {};
  if (!org.accredited_schemes.empty()) return org.accredited_schemes;
  std::vector<Scheme> all;
  for (uint8_t s = 1; s <= static_cast<uint8_t>(Scheme::kFourC); ++s) {
    all.push_back(static_cast<Scheme>(s));
  }
  return all;
}

class ChangeApplier {
 public:
  ChangeApplier(World& world, const EventContext& ctx, GovernanceRecord& governance)
      : world_(world), ctx_(ctx), governance_(governance) {}

  Verdict operator()(const AddOrganization& c) {
    if (world_.has_org(c.org_id)) {
      return Verdict::reject(RuleCode::kOrganizationExists,
                             "organization " + c.org_id + " already exists");
    }
    OrgRecord org{c.org_id, c.name, c.kind};
    for (const auto& pk : c.public_keys) {
      if (Verdict v = register_key(world_, org, pk); !v.ok()) return v;
    }
    world_.put_org(org);
    governance_.org_ids.push_back(org.id);
    if (org.kind == OrgKind::kCooperative) set_governor(governance_, org.id, true);
    return Verdict::accept();
  }

  Verdict operator()(const SetOrganizationStatus& c) {
    OrgRecord org;
    if (Verdict v = load_org(world_, c.org_id, &org); !v.ok()) return v;
    org.status = c.status;
    world_.put_org(org);
    if (org.kind != OrgKind::kCooperative) return Verdict::accept();
    set_governor(governance_, org.id, c.status == OrgStatus::kActive);
    if (governance_.governors.empty()) {
      return Verdict::reject(RuleCode::kUnsafeMembership,
                             "no active cooperative would be left to govern the network");
    }
    return Verdict::accept();
  }

  Verdict operator()(const SetAccreditation& c) {
    OrgRecord org;
    if (Verdict v = load_org(world_, c.org_id, &org); !v.ok()) return v;
    if (org.kind != OrgKind::kCertifier) {
      return Verdict::reject(RuleCode::kRoleNotAllowed,
                             std::string(name_of(org.kind)) + " " + org.id +
                                 " cannot be accredited: only certifiers are");
    }
    std::vector<Scheme> schemes = accredited_schemes_of(org);
    auto it = std::lower_bound(schemes.begin(), schemes.end(), c.scheme);
    const bool present = it != schemes.end() && *it == c.scheme;
    if (c.accredited && !present) schemes.insert(it, c.scheme);
    if (!c.accredited && present) schemes.erase(it);
    org.accredited = !schemes.empty();
    org.accredited_schemes = std::move(schemes);
    world_.put_org(org);
    return Verdict::accept();
  }

  Verdict operator()(const AddOrganizationKey& c) {
    OrgRecord org;
    if (Verdict v = load_org(world_, c.org_id, &org); !v.ok()) return v;
    if (Verdict v = register_key(world_, org, c.public_key); !v.ok()) return v;
    world_.put_org(org);
    return Verdict::accept();
  }

  Verdict operator()(const RevokeOrganizationKey& c) {
    OrgRecord org;
    if (Verdict v = load_org(world_, c.org_id, &org); !v.ok()) return v;
    if (!c.key_id.empty()) return revoke(world_, org, c.key_id, ctx_.block.height);
    if (keys_in_force(world_, org) == 0) {
      return Verdict::reject(RuleCode::kUnknownKey, org.id + " has no key in force to revoke");
    }
    for (const auto& id : org.key_ids) {
      std::optional<KeyRecord> key = world_.signing_key(id);
      if (key && !key->revoked()) {
        if (Verdict v = revoke(world_, org, id, ctx_.block.height); !v.ok()) return v;
      }
    }
    return Verdict::accept();
  }

  Verdict operator()(const SetParameters& c) {
    const RuleParams next = world_.params().with(c);
    if (std::string why = check_rule_params(next); !why.empty()) {
      return Verdict::reject(RuleCode::kParameterOutOfRange, why);
    }
    world_.put_params(next);
    return Verdict::accept();
  }

  Verdict operator()(const AddNode& c) {
    NodeSetRecord nodes = world_.nodes();
    if (nodes.find(c.node_id) != nullptr) {
      return Verdict::reject(RuleCode::kNodeExists, "node " + c.node_id + " already exists");
    }
    OrgRecord org;
    if (Verdict v = load_org(world_, c.org_id, &org); !v.ok()) return v;
    if (org.status != OrgStatus::kActive) {
      return Verdict::reject(RuleCode::kOrganizationSuspended,
                             c.org_id + " is suspended: it runs no new node until reinstated");
    }
    if (Verdict v = identity_unused(nodes, c.node_id, c.vote_key, c.tls_pin); !v.ok()) return v;
    if (Verdict v = pin_fits(nodes, c.tls_pin); !v.ok()) return v;
    nodes.nodes.push_back({c.node_id, c.vote_key, c.role, c.tls_pin, c.org_id, c.peer_address});
    world_.put_nodes(nodes);
    return Verdict::accept();
  }

  Verdict operator()(const PromoteNode& c) {
    NodeSetRecord nodes = world_.nodes();
    NodeRecord* node = nodes.find(c.node_id);
    if (node == nullptr) return unknown_node(c.node_id);
    if (node->role != NodeRole::kLearner) {
      return Verdict::reject(RuleCode::kRoleNotAllowed,
                             "node " + c.node_id + " is " + std::string(name_of(node->role)) +
                                 ": only a learner is promoted to validator");
    }
    if (Verdict v = begin_validator_change(nodes); !v.ok()) return v;
    nodes.find(c.node_id)->role = NodeRole::kValidator;
    world_.put_nodes(nodes);
    return Verdict::accept();
  }

  Verdict operator()(const RemoveNode& c) {
    NodeSetRecord nodes = world_.nodes();
    const NodeRecord* node = nodes.find(c.node_id);
    if (node == nullptr) return unknown_node(c.node_id);
    const bool validator = node->role == NodeRole::kValidator;
    if (validator) {
      if (Verdict v = begin_validator_change(nodes); !v.ok()) return v;
    }
    std::erase_if(nodes.nodes, [&](const NodeRecord& n) { return n.node_id == c.node_id; });
    if (validator && nodes.validators_for(ctx_.block.height + 1).empty()) {
      return Verdict::reject(
          RuleCode::kUnsafeMembership,
          "removing " + c.node_id + " would leave no validator to certify blocks");
    }
    world_.put_nodes(nodes);
    return Verdict::accept();
  }

  Verdict operator()(const RotateNode& c) {
    NodeSetRecord nodes = world_.nodes();
    const NodeRecord* node = nodes.find(c.node_id);
    if (node == nullptr) return unknown_node(c.node_id);
    if (Verdict v = identity_unused(nodes, c.node_id, c.vote_key, c.tls_pin); !v.ok()) return v;
    if (!c.tls_pin.empty()) {
      if (Verdict v = pin_fits(nodes, c.tls_pin); !v.ok()) return v;
    }
    // A validator's vote key and pin are part of the validators in force: their change is one.
    if (node->role == NodeRole::kValidator && (!c.vote_key.empty() || !c.tls_pin.empty())) {
      if (Verdict v = begin_validator_change(nodes); !v.ok()) return v;
    }
    NodeRecord& rotated = *nodes.find(c.node_id);
    if (!c.vote_key.empty()) rotated.vote_key = c.vote_key;
    if (!c.tls_pin.empty()) rotated.tls_pin = c.tls_pin;
    if (!c.peer_address.empty()) rotated.peer_address = c.peer_address;
    world_.put_nodes(nodes);
    return Verdict::accept();
  }

  // How many changes of the validators in force the changes applied so far made.
  size_t validator_changes() const { return validator_changes_; }

 private:
  static Verdict unknown_node(const std::string& node_id) {
    return Verdict::reject(RuleCode::kUnknownNode, "node " + node_id + " is not in the network");
  }

  // No two nodes share a vote key (a vote would count for both) or a TLS pin (a peer would be
  // taken for the other).
  static Verdict identity_unused(const NodeSetRecord& nodes, std::string_view node_id,
                                 std::string_view vote_key, std::string_view tls_pin) {
    for (const auto& n : nodes.nodes) {
      if (n.node_id == node_id) continue;
      if (!vote_key.empty() && n.vote_key == vote_key) {
        return Verdict::reject(RuleCode::kKeyExists, "the vote key is node " + n.node_id + "'s");
      }
      if (!tls_pin.empty() && n.tls_pin == tls_pin) {
        return Verdict::reject(RuleCode::kKeyExists, "the TLS pin is node " + n.node_id + "'s");
      }
    }
    return Verdict::accept();
  }

  // A network knows its peers either by pins or by a certificate authority, never by a mix.
  static Verdict pin_fits(const NodeSetRecord& nodes, std::string_view tls_pin) {
    const bool pinned = std::any_of(nodes.nodes.begin(), nodes.nodes.end(),
                                    [](const NodeRecord& n) { return !n.tls_pin.empty(); });
    if (nodes.nodes.empty() || pinned == !tls_pin.empty()) return Verdict::accept();
    return Verdict::reject(RuleCode::kMalformed,
                           pinned ? "tlsPin is missing: this network knows its peers by their pins"
                                  : "tlsPin is given, but this network's peers trust a certificate "
                                    "authority and carry no pins");
  }

  // The validators in force change from the next block. One change at a time: sets that differ
  // by one validator have intersecting majorities, and a node holds one change committed before
  // it takes the next (a leader proposes a block that changes them only with none in flight).
  Verdict begin_validator_change(NodeSetRecord& nodes) {
    if (++validator_changes_ > 1) {
      return Verdict::reject(RuleCode::kMembershipChangePending,
                             "a proposal changes at most one validator: propose the next change "
                             "once this one has passed");
    }
    if (nodes.changed_height == ctx_.block.height && ctx_.block.height != 0) {
      return Verdict::reject(RuleCode::kMembershipChangePending,
                             "block " + std::to_string(ctx_.block.height) +
                                 " already changes the validators; approve again in a later block");
    }
    nodes.previous_validators.clear();
    for (const auto& n : nodes.nodes) {
      if (n.role == NodeRole::kValidator) nodes.previous_validators.push_back(n);
    }
    nodes.changed_height = ctx_.block.height;
    return Verdict::accept();
  }

  World& world_;
  const EventContext& ctx_;
  GovernanceRecord& governance_;
  size_t validator_changes_ = 0;
};

// Whether a pending proposal changes the validators when it passes (as the nodes are now).
bool changes_validators(const ProposalRecord& p, const NodeSetRecord& nodes) {
  for (const auto& change : p.changes) {
    if (std::holds_alternative<PromoteNode>(change)) return true;
    std::string node_id;
    if (const auto* c = std::get_if<RemoveNode>(&change)) node_id = c->node_id;
    if (const auto* c = std::get_if<RotateNode>(&change)) {
      if (!c->vote_key.empty() || !c->tls_pin.empty()) node_id = c->node_id;
    }
    const NodeRecord* node = node_id.empty() ? nullptr : nodes.find(node_id);
    if (node != nullptr && node->role == NodeRole::kValidator) return true;
  }
  return false;
}

// A proposal that changes the validators waits while another that does is open.
Verdict no_validator_change_open(const WorldView& world, const EventContext& ctx,
                                 const GovernanceRecord& governance) {
  const NodeSetRecord nodes = world.nodes();
  for (const auto& id : governance.proposal_ids) {
    std::optional<ProposalRecord> other = world.proposal(id);
    if (!other || other->status != ProposalStatus::kPending ||
        ctx.block.block_time > other->expires_at) {
      continue;
    }
    if (changes_validators(*other, nodes)) {
      return Verdict::reject(RuleCode::kMembershipChangePending,
                             "proposal " + id +
                                 " changes the validators and is still open: one validator "
                                 "change at a time (approve, withdraw or let it expire first)");
    }
  }
  return Verdict::accept();
}

// Applies the changes in order; the first that does not fit refuses them all. Counts the
// changes of the validators into `validator_changes` when given.
Verdict apply_changes(World& world, const EventContext& ctx, const ProposalRecord& p,
                      GovernanceRecord& governance, size_t* validator_changes = nullptr) {
  ChangeApplier applier(world, ctx, governance);
  for (size_t i = 0; i < p.changes.size(); ++i) {
    Verdict v = std::visit(applier, p.changes[i]);
    if (!v.ok()) {
      v.message =
          "proposal " + p.proposal_id + ", change " + std::to_string(i + 1) + ": " + v.message;
      return v;
    }
  }
  if (validator_changes != nullptr) *validator_changes = applier.validator_changes();
  return Verdict::accept();
}

// Approves `p` for the signer and, when the approvals pass, applies its changes.
Verdict record_approval(World& world, const EventContext& ctx, ProposalRecord& p,
                        GovernanceRecord& governance) {
  p.approvals.push_back(ctx.signer.id);
  // An approval by a cooperative that no longer governs does not count.
  if (governance.approvals_counted(p.approvals) >=
      ctx.params.approvals_needed(governance.governors.size())) {
    if (Verdict v = apply_changes(world, ctx, p, governance); !v.ok()) return v;
    p.status = ProposalStatus::kPassed;
    p.closed_height = ctx.block.height;
  }
  world.put_proposal(p);
  world.put_governance(governance);
  return Verdict::accept();
}

Verdict load_open_proposal(const WorldView& world, const EventContext& ctx,
                           const std::string& proposal_id, ProposalRecord* out) {
  std::optional<ProposalRecord> p = world.proposal(proposal_id);
  if (!p) {
    return Verdict::reject(RuleCode::kUnknownProposal, "proposal " + proposal_id + " is unknown");
  }
  if (p->status != ProposalStatus::kPending) {
    return Verdict::reject(RuleCode::kProposalClosed,
                           "proposal " + proposal_id + " is " + std::string(name_of(p->status)) +
                               " since block " + std::to_string(p->closed_height));
  }
  if (ctx.block.block_time > p->expires_at) {
    return Verdict::reject(RuleCode::kProposalExpired,
                           "proposal " + proposal_id + " expired at its expiresAt");
  }
  *out = std::move(*p);
  return Verdict::accept();
}

}  // namespace

Verdict apply_propose_change(World& world, const EventContext& ctx, const ProposeChange& e) {
  GovernanceRecord governance = world.governance();
  if (Verdict v = require_governor(governance, ctx.signer); !v.ok()) return v;
  if (world.proposal(e.proposal_id)) {
    return Verdict::reject(RuleCode::kProposalExists,
                           "proposal " + e.proposal_id + " already exists");
  }
  if (e.expires_at <= ctx.block.block_time) {
    return Verdict::reject(RuleCode::kProposalExpired,
                           "expiresAt is not after the block's time: no one could approve it");
  }
  if (e.expires_at - ctx.block.block_time > kMaxProposalLifeMs) {
    return Verdict::reject(RuleCode::kMalformed, "expiresAt is more than a year ahead");
  }
  ProposalRecord p{e.proposal_id, ctx.signer.id, e.changes,
                   e.expires_at,  e.reason,      ctx.block.height};
  // The changes must fit the state as it is now, or no approval could ever apply them.
  {
    StateOverlay scratch(world.reader());
    World trial(scratch);
    GovernanceRecord trial_governance = governance;
    size_t validator_changes = 0;
    if (Verdict v = apply_changes(trial, ctx, p, trial_governance, &validator_changes); !v.ok()) {
      return v;
    }
    if (validator_changes > 0) {
      if (Verdict v = no_validator_change_open(world, ctx, governance); !v.ok()) return v;
    }
  }
  governance.proposal_ids.push_back(p.proposal_id);
  return record_approval(world, ctx, p, governance);
}

Verdict apply_approve_change(World& world, const EventContext& ctx, const ApproveChange& e) {
  GovernanceRecord governance = world.governance();
  if (Verdict v = require_governor(governance, ctx.signer); !v.ok()) return v;
  ProposalRecord p;
  if (Verdict v = load_open_proposal(world, ctx, e.proposal_id, &p); !v.ok()) return v;
  if (std::find(p.approvals.begin(), p.approvals.end(), ctx.signer.id) != p.approvals.end()) {
    return Verdict::reject(RuleCode::kDuplicateApproval,
                           ctx.signer.id + " has approved proposal " + e.proposal_id + " already");
  }
  return record_approval(world, ctx, p, governance);
}

Verdict apply_withdraw_proposal(World& world, const EventContext& ctx, const WithdrawProposal& e) {
  ProposalRecord p;
  if (Verdict v = load_open_proposal(world, ctx, e.proposal_id, &p); !v.ok()) return v;
  if (p.proposer != ctx.signer.id) {
    return Verdict::reject(RuleCode::kNotProposer, "proposal " + e.proposal_id +
                                                       " is withdrawn by its proposer " +
                                                       p.proposer + ", not by " + ctx.signer.id);
  }
  p.status = ProposalStatus::kWithdrawn;
  p.closed_height = ctx.block.height;
  world.put_proposal(p);
  return Verdict::accept();
}

Verdict apply_add_key(World& world, const EventContext& ctx, const AddKey& e) {
  OrgRecord org = ctx.signer;
  if (Verdict v = register_key(world, org, e.public_key); !v.ok()) return v;
  world.put_org(org);
  return Verdict::accept();
}

Verdict apply_revoke_key(World& world, const EventContext& ctx, const RevokeKey& e) {
  const OrgRecord& org = ctx.signer;
  if (Verdict v = revoke(world, org, e.key_id, ctx.block.height); !v.ok()) return v;
  // A key of its own is revoked only while another remains; losing the last is a matter for
  // the majority (a recovery adds new keys with the revocation).
  if (keys_in_force(world, org) == 0) {
    return Verdict::reject(RuleCode::kLastKey,
                           "key " + e.key_id + " is the last key in force of " + org.id +
                               ": add another first, or ask the cooperatives for a recovery");
  }
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

// The Governance service: who is in the network and what is being voted on, at the head, read
// from the same records the rules write (governance/, org/, key/, prop/).
#include <algorithm>
#include <variant>

#include "coopchain/api/convert.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/governance_proto.h"
#include "service_impls.h"

namespace coopchain::api {
namespace {

void fill_proposal(const ProposalRecord& p, const GovernanceRecord& g, const RuleParams& params,
                   TimeMs head_time, v1::Proposal* out) {
  out->set_proposal_id(p.proposal_id);
  out->set_proposer(p.proposer);
  out->set_status(std::string(name_of(p.status)));
  *out->mutable_expires_at() = to_timestamp(p.expires_at);
  out->set_expired(p.status == ProposalStatus::kPending && head_time > p.expires_at);
  out->set_reason(p.reason);
  out->set_proposed_height(p.proposed_height);
  out->set_closed_height(p.closed_height);
  for (const auto& org : p.approvals) out->add_approvals(org);
  // Counting against today's governors means something only while the vote is open.
  if (p.status != ProposalStatus::kPending) {
    for (const auto& c : p.changes) *out->add_changes() = wire::governance_change_to_proto(c);
    return;
  }
  out->set_approvals_counted(static_cast<uint32_t>(g.approvals_counted(p.approvals)));
  for (const auto& org : g.governors) {
    if (std::find(p.approvals.begin(), p.approvals.end(), org) == p.approvals.end()) {
      out->add_missing(org);
    }
  }
  out->set_approvals_needed(static_cast<uint32_t>(params.approvals_needed(g.governors.size())));
  for (const auto& c : p.changes) *out->add_changes() = wire::governance_change_to_proto(c);
}

}  // namespace

grpc::Status GovernanceService::serve_list_members(v1::Members* response) {
  auto view = reader_.committed();
  const WorldView world(*view);
  const GovernanceRecord g = world.governance();
  response->set_height(view->head().height);
  for (const auto& id : g.org_ids) {
    std::optional<OrgRecord> org = world.org(id);
    if (!org) continue;
    auto* m = response->add_organizations();
    m->set_id(org->id);
    m->set_name(org->name);
    m->set_kind(std::string(name_of(org->kind)));
    m->set_status(std::string(name_of(org->status)));
    m->set_governs(g.governs(org->id));
    m->set_accredited(org->accredited);
    for (Scheme s : org->accredited_schemes) m->add_accredited_schemes(static_cast<v1::Scheme>(s));
    for (const auto& key_id : org->key_ids) {
      auto* k = m->add_keys();
      k->set_key_id(key_id);
      if (std::optional<KeyRecord> key = world.signing_key(key_id)) {
        k->set_revoked_height(key->revoked_height);
      }
    }
  }
  for (const auto& id : g.governors) response->add_governors(id);
  const RuleParams params = world.params();
  response->set_approvals_needed(
      static_cast<uint32_t>(params.approvals_needed(g.governors.size())));
  *response->mutable_params() = wire::params_to_proto(params);
  // Those in force for the next block.
  for (const auto& v : world.nodes().validators_for(view->head().height + 1)) {
    auto* out = response->add_validators();
    out->set_id(v.id);
    out->set_public_key(to_hex(v.public_key));
  }
  for (const auto& n : world.nodes().nodes) {
    auto* out = response->add_nodes();
    out->set_node_id(n.node_id);
    out->set_role(static_cast<v1::NodeRole>(n.role));
    out->set_org_id(n.org_id);
    out->set_vote_key(to_hex(n.vote_key));
    out->set_tls_pin(to_hex(n.tls_pin));
    out->set_peer_address(n.peer_address);
  }
  return grpc::Status::OK;
}

grpc::Status GovernanceService::serve_list_proposals(v1::ListProposalsResponse* response) {
  auto view = reader_.committed();
  const WorldView world(*view);
  const GovernanceRecord g = world.governance();
  const RuleParams params = world.params();
  for (const auto& id : g.proposal_ids) {
    if (std::optional<ProposalRecord> p = world.proposal(id)) {
      fill_proposal(*p, g, params, view->head().time_ms, response->add_proposals());
    }
  }
  return grpc::Status::OK;
}

grpc::Status GovernanceService::serve_get_proposal(const v1::GetProposalRequest& request,
                                                   v1::Proposal* response) {
  auto view = reader_.committed();
  const WorldView world(*view);
  std::optional<ProposalRecord> p = world.proposal(request.proposal_id());
  if (!p) {
    return to_grpc(Status(StatusCode::kNotFound, "no proposal " + request.proposal_id(),
                          RuleCode::kUnknownProposal));
  }
  fill_proposal(*p, world.governance(), world.params(), view->head().time_ms, response);
  return grpc::Status::OK;
}

grpc::Status GovernanceService::StreamedListMembers(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::ListMembersRequest, v1::Members>* stream) {
  return serve_query(stream,
                     [this](const auto&, auto* response) { return serve_list_members(response); });
}

grpc::Status GovernanceService::StreamedListProposals(
    grpc::ServerContext*,
    grpc::ServerUnaryStreamer<v1::ListProposalsRequest, v1::ListProposalsResponse>* stream) {
  return serve_query(
      stream, [this](const auto&, auto* response) { return serve_list_proposals(response); });
}

grpc::Status GovernanceService::StreamedGetProposal(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetProposalRequest, v1::Proposal>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_proposal(request, response);
  });
}

}  // namespace coopchain::api

#include "validator_majority.h"

#include <algorithm>
#include <set>
#include <type_traits>
#include <variant>

#include "coopchain/core/quorum.h"

namespace coopchain::cli {
namespace {

std::string listed(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string validators_left_without_majority(NodeClient& client,
                                             const std::vector<GovernanceChange>& changes) {
  const bool touches_nodes = std::any_of(changes.begin(), changes.end(), [](const auto& c) {
    return std::holds_alternative<PromoteNode>(c) || std::holds_alternative<RemoveNode>(c) ||
           std::holds_alternative<RotateNode>(c);
  });
  if (!touches_nodes) return {};
  v1::Members members;
  auto members_context = make_context(kQueryDeadline);
  grpc::Status s =
      client.governance().ListMembers(members_context.get(), v1::ListMembersRequest(), &members);
  if (!s.ok()) return "cannot read the nodes in force: " + s.error_message();
  v1::NodeStatus status;
  auto status_context = make_context(kQueryDeadline);
  s = client.node().GetStatus(status_context.get(), v1::GetStatusRequest(), &status);
  if (!s.ok()) return "cannot ask the node which validators answer: " + s.error_message();

  std::vector<std::string> after;
  for (const auto& n : members.nodes()) {
    if (n.role() == v1::VALIDATOR) after.push_back(n.node_id());
  }
  const std::vector<std::string> before = after;
  // A validator with a new vote key counts again only once its node runs with that key.
  std::set<std::string> rekeyed;
  for (const auto& change : changes) {
    if (const auto* c = std::get_if<PromoteNode>(&change)) after.push_back(c->node_id);
    if (const auto* c = std::get_if<RemoveNode>(&change)) std::erase(after, c->node_id);
    if (const auto* c = std::get_if<RotateNode>(&change); c && !c->vote_key.empty()) {
      rekeyed.insert(c->node_id);
    }
  }
  const bool rekeys_a_validator = std::any_of(
      rekeyed.begin(), rekeyed.end(),
      [&](const std::string& id) { return std::count(after.begin(), after.end(), id) != 0; });
  // A learner or an observer, or an address: no validator changes.
  if (after == before && !rekeys_a_validator) return {};

  // Up: the node asked, and every peer its link reaches.
  std::set<std::string> up{status.node_id()};
  for (const auto& peer : status.peers()) {
    if (peer.healthy()) up.insert(peer.id());
  }
  for (const auto& id : rekeyed) up.erase(id);
  std::vector<std::string> answering;
  for (const auto& id : after) {
    if (up.count(id) != 0) answering.push_back(id);
  }
  const size_t majority = quorum_size(after.size());
  if (answering.size() >= majority) return {};
  return "after this change the validators would be " + listed(after) + " (a majority is " +
         std::to_string(majority) + "), but only " + listed(answering) + " answer " +
         status.node_id() +
         ": the network could certify no block. Bring the others up first, or pass --force";
}

}  // namespace coopchain::cli

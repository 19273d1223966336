// coopchain gov propose | approve | withdraw | list | show, and coopchain members: governance by
// the member cooperatives (docs/governance.md). The signing verbs make their event and submit it
// as `coopchain submit` does; the others read the Governance service.
#include <chrono>
#include <iostream>
#include <optional>

#include <google/protobuf/util/json_util.h>

#include "card_changes.h"
#include "client.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"
#include "governance_text.h"
#include "output.h"
#include "show.h"
#include "signing.h"
#include "validator_majority.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// One line a person reads for a change, as the chain decodes it.
std::string describe(const v1::GovernanceChange& c) {
  v1::Event event;
  *event.mutable_propose_change()->add_changes() = c;
  auto domain = wire::event_from_proto(event);
  if (!domain.ok())
    return "(a change this coopchain cannot read: " + domain.status().message() + ")";
  return describe_change(std::get<ProposeChange>(*domain).changes.front());
}

std::string joined(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

void print_proposal(const v1::Proposal& p) {
  const bool pending = p.status() == "PENDING";
  std::string status = p.status();
  if (p.expired()) status += " (expired: it can no longer pass)";
  if (p.closed_height() > 0) status += " at height " + std::to_string(p.closed_height());
  Fields()
      .add("proposal", p.proposal_id())
      .add("proposer", p.proposer())
      .add("status", status)
      .add("proposed at height", std::to_string(p.proposed_height()))
      .add("expires", format_time(p.expires_at()))
      .add_if("reason", p.reason())
      .add("approvals", pending
                            ? joined(p.approvals()) + " (" + std::to_string(p.approvals_counted()) +
                                  " counted, " + std::to_string(p.approvals_needed()) + " needed)"
                            : joined(p.approvals()))
      .add_if("not yet approved by", pending ? joined(p.missing()) : "")
      .print(std::cout);
  std::cout << "changes:\n";
  for (int i = 0; i < p.changes_size(); ++i) {
    std::cout << "  " << (i + 1) << ". " << describe(p.changes(i)) << "\n";
  }
}

void print_proposals(const v1::ListProposalsResponse& r) {
  if (r.proposals().empty()) std::cout << "no proposals\n";
  for (const auto& p : r.proposals()) {
    std::cout << p.proposal_id() << "  " << p.status() << (p.expired() ? " (expired)" : "")
              << "  by " << p.proposer() << "  ";
    if (p.status() == "PENDING") {
      std::cout << p.approvals_counted() << "/" << p.approvals_needed() << " approvals  expires "
                << format_time(p.expires_at());
    } else {
      std::cout << p.approvals_size() << " approval(s)  closed at height " << p.closed_height();
    }
    std::cout << "  " << p.changes_size() << " change(s)\n";
  }
}

void print_members(const v1::Members& m) {
  std::cout << "organizations at height " << m.height() << ":\n";
  for (const auto& o : m.organizations()) {
    std::string schemes;
    for (int s : o.accredited_schemes()) {
      schemes += (schemes.empty() ? "" : ", ") + v1::Scheme_Name(static_cast<v1::Scheme>(s));
    }
    std::cout << "  " << o.id() << "  " << o.kind() << "  " << o.status()
              << (o.governs() ? "  governs" : "")
              << (o.accredited()
                      ? "  accredited for " + (schemes.empty() ? "every scheme" : schemes)
                      : "")
              << "  " << o.name() << "\n";
    for (const auto& k : o.keys()) {
      std::cout << "    key " << k.key_id()
                << (k.revoked_height() > 0
                        ? "  revoked at height " + std::to_string(k.revoked_height())
                        : "")
                << "\n";
    }
  }
  std::cout << "governors: " << joined(m.governors()) << " (a proposal passes at "
            << m.approvals_needed() << " approvals)\n";
  std::cout << "validators:\n";
  for (const auto& v : m.validators()) {
    std::cout << "  " << v.id() << "  vote key " << v.public_key() << "\n";
  }
  std::cout << "nodes:\n";
  for (const auto& n : m.nodes()) {
    std::cout << "  " << n.node_id() << "  " << v1::NodeRole_Name(n.role())
              << (n.org_id().empty() ? "" : "  of " + n.org_id())
              << (n.peer_address().empty() ? "" : "  at " + n.peer_address())
              << (n.tls_pin().empty() ? "" : "  pin " + n.tls_pin()) << "\n";
  }
  // In the genesis's JSON form, which a setParameters change names the same way.
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string params;
  (void)google::protobuf::util::MessageToJsonString(m.params(), &params, options);
  std::cout << "parameters in force: " << params;
}

// The signing verbs: make the event, then submit it as `coopchain submit` does.
int submit_one(const Args& args, v1::Event event) {
  int exit_code = kExitOk;
  std::optional<SigningInput> signer = read_signer(args, &exit_code);
  if (!signer) return exit_code;
  signer->events.push_back(std::move(event));
  return submit_events(args, *signer);
}

// Refuses, before anything is signed, changes of the validators that would leave no majority of
// them answering (unless --force): exits non-zero with the reason, or returns nullopt.
std::optional<int> refuse_without_majority(const Args& args, NodeClient& client,
                                           const std::vector<GovernanceChange>& changes) {
  if (args.has("force")) return std::nullopt;
  const std::string why = validators_left_without_majority(client, changes);
  if (why.empty()) return std::nullopt;
  return fail("refused before signing: " + why);
}

std::vector<GovernanceChange> domain_changes(const v1::Event& event) {
  auto domain = wire::event_from_proto(event);
  if (!domain.ok()) return {};
  if (const auto* p = std::get_if<ProposeChange>(&*domain)) return p->changes;
  return {};
}

int run_propose(const Args& args) {
  const auto days = parse_uint(args.value("expires-in-days"), 1, 366);
  if (!days) return usage_error(*args.verb, "--expires-in-days must be 1 to 366");
  auto text = read_input(args.operands[0]);
  if (!text.ok()) return fail(text.status().message());
  // The file holds the changes: a JSON array of them, or one.
  std::string changes = *text;
  const size_t first = changes.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && changes[first] == '{') changes = "[" + changes + "]";
  auto events = wire::events_from_json(R"({"proposeChange": {"changes": )" + changes + "}}");
  if (!events.ok()) {
    return fail("rejected: " + events.status().to_string() + " (in " + args.operands[0] + ")");
  }
  v1::Event event = events->front();
  auto* p = event.mutable_propose_change();
  p->set_proposal_id(args.value("id"));
  p->set_reason(args.value("reason"));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  p->mutable_expires_at()->set_seconds(now.count() + static_cast<int64_t>(*days) * 86'400);
  NodeClient client(args.value("node"));
  if (auto refused = refuse_without_majority(args, client, domain_changes(event))) return *refused;
  return submit_one(args, std::move(event));
}

int run_admit(const Args& args) {
  auto text = read_input(args.operands[0]);
  if (!text.ok()) return fail(text.status().message());
  auto card = wire::member_card_from_json(*text);
  if (!card.ok()) return fail(args.operands[0] + ": " + card.status().message());
  CardAdmission admission;
  admission.organization = !args.has("node-only");
  admission.role = args.value("role") == "OBSERVER" ? v1::OBSERVER : v1::LEARNER;
  auto changes = changes_from_card(*card, admission);
  if (!changes.ok()) return fail(args.operands[0] + ": " + changes.status().message());
  std::cout << "[\n";
  for (size_t i = 0; i < changes->size(); ++i) {
    std::cout << (i == 0 ? "" : ",\n") << to_json((*changes)[i]);
  }
  std::cout << "\n]\n";
  return kExitOk;
}

int run_rotate(const Args& args) {
  auto text = read_input(args.operands[0]);
  if (!text.ok()) return fail(text.status().message());
  auto card = wire::member_card_from_json(*text);
  if (!card.ok()) return fail(args.operands[0] + ": " + card.status().message());
  auto change = rotation_from_card(*card, args.has("keep-vote-key"));
  if (!change.ok()) return fail(args.operands[0] + ": " + change.status().message());
  std::cout << "[\n" << to_json(*change) << "\n]\n";
  return kExitOk;
}

int run_approve(const Args& args) {
  if (!args.has("force")) {
    // The approval may be the one that passes the proposal: check what it would apply. A
    // proposal the node does not know is the chain's to refuse (UNKNOWN_PROPOSAL).
    NodeClient client(args.value("node"));
    v1::GetProposalRequest request;
    request.set_proposal_id(args.operands[0]);
    v1::Proposal proposal;
    auto context = make_context(kQueryDeadline);
    if (client.governance().GetProposal(context.get(), request, &proposal).ok()) {
      v1::Event as_proposed;
      for (const auto& c : proposal.changes()) {
        *as_proposed.mutable_propose_change()->add_changes() = c;
      }
      if (auto refused = refuse_without_majority(args, client, domain_changes(as_proposed))) {
        return *refused;
      }
    }
  }
  v1::Event event;
  event.mutable_approve_change()->set_proposal_id(args.operands[0]);
  return submit_one(args, std::move(event));
}

int run_withdraw(const Args& args) {
  v1::Event event;
  event.mutable_withdraw_proposal()->set_proposal_id(args.operands[0]);
  event.mutable_withdraw_proposal()->set_reason(args.value("reason"));
  return submit_one(args, std::move(event));
}

int run_list(const Args& args) {
  NodeClient client(args.value("node"));
  v1::ListProposalsResponse response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s =
      client.governance().ListProposals(context.get(), v1::ListProposalsRequest(), &response);
  return show(args, client, s, response, print_proposals);
}

int run_show(const Args& args) {
  NodeClient client(args.value("node"));
  v1::GetProposalRequest request;
  request.set_proposal_id(args.operands[0]);
  v1::Proposal response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.governance().GetProposal(context.get(), request, &response);
  return show(args, client, s, response, print_proposal);
}

int run_members(const Args& args) {
  NodeClient client(args.value("node"));
  v1::Members response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s =
      client.governance().ListMembers(context.get(), v1::ListMembersRequest(), &response);
  return show(args, client, s, response, print_members);
}

FlagSpec force_flag() {
  return {.name = "force",
          .help =
              "sign even a change of the validators that would leave no majority of them "
              "answering"};
}

std::vector<FlagSpec> signing_flags(std::vector<FlagSpec> own) {
  own.push_back(key_flag());
  own.push_back({.name = "wait", .help = "wait until the event is committed or rejected"});
  own.push_back(nonce_flag());
  own.push_back(node_flag());
  own.push_back(output_flag());
  return own;
}

}  // namespace

std::vector<VerbSpec> gov_verbs() {
  return {
      {
          .words = {"gov", "propose"},
          .brief = "propose governance changes (a member cooperative)",
          .operands = {"CHANGES_FILE"},
          .summary =
              "Proposes the changes in CHANGES_FILE (a JSON array of changes such as\n"
              "{\"addOrganization\": {...}}, or one; \"-\" reads standard input) as proposal ID,\n"
              "signed with KEY; the proposal is the proposer's approval. It passes, and its\n"
              "changes apply, when more than half of the active cooperatives have approved it,\n"
              "before it expires. The changes are listed in docs/governance.md. A change of the\n"
              "validators that would leave no majority of them answering the node is refused\n"
              "before signing (--force signs it anyway).",
          .flags = signing_flags(
              {{.name = "id", .value_name = "ID", .help = "the proposal's id", .required = true},
               {.name = "expires-in-days",
                .value_name = "DAYS",
                .help = "how long approvals are taken (default 14)",
                .default_value = "14"},
               {.name = "reason",
                .value_name = "TEXT",
                .help = "why, for the record (e.g. the assembly's decision)"},
               force_flag()}),
          .run = run_propose,
      },
      {
          .words = {"gov", "admit"},
          .brief = "the changes that admit a member card's organization and node",
          .operands = {"CARD"},
          .summary =
              "Prints, for `gov propose`, the changes that admit what member card CARD (from\n"
              "`node init` on the newcomer's machine) describes: addOrganization with its\n"
              "signing keys, and addNode for its node as a learner (or an observer) with its\n"
              "vote key, TLS pin and peer address. A learner becomes a validator by a later\n"
              "promoteNode, once it has caught up.",
          .flags = {{.name = "role",
                     .value_name = "ROLE",
                     .help = "what the node joins as",
                     .choices = {"LEARNER", "OBSERVER"},
                     .default_value = "LEARNER"},
                    {.name = "node-only",
                     .help = "only the node: its organization is a member already"}},
          .run = run_admit,
      },
      {
          .words = {"gov", "rotate"},
          .brief = "the change that moves a node to the new server a member card describes",
          .operands = {"CARD"},
          .summary =
              "Prints, for `gov propose`, the rotateNode change for a replaced server: CARD is\n"
              "the card `node init --node-id NODE` made on the new machine, and the change\n"
              "gives NODE the card's TLS pin, peer address and vote key. Until it passes, the\n"
              "other nodes refuse the new server at the handshake.",
          .flags = {{.name = "keep-vote-key",
                     .help = "the old server's node/validator.pem survived and moves with it"}},
          .run = run_rotate,
      },
      {
          .words = {"gov", "approve"},
          .brief = "approve a pending proposal (a member cooperative)",
          .operands = {"ID"},
          .summary = "Approves proposal ID, signed with KEY. The approval that takes the proposal\n"
                     "past half of the active cooperatives applies its changes in that block.",
          .flags = signing_flags({force_flag()}),
          .run = run_approve,
      },
      {
          .words = {"gov", "withdraw"},
          .brief = "withdraw a pending proposal (its proposer)",
          .operands = {"ID"},
          .summary = "Withdraws proposal ID, signed with KEY of the cooperative that proposed it.",
          .flags = signing_flags({{.name = "reason", .value_name = "TEXT", .help = "why"}}),
          .run = run_withdraw,
      },
      {
          .words = {"gov", "list"},
          .brief = "every proposal, in the order proposed",
          .operands = {},
          .summary = "Lists every proposal with its status, approvals counted and needed, and\n"
                     "expiry.",
          .flags = {node_flag(), output_flag()},
          .run = run_list,
      },
      {
          .words = {"gov", "show"},
          .brief = "a proposal: who approved, who has not, what it changes",
          .operands = {"ID"},
          .summary = "Shows proposal ID: its changes, status, expiry, the cooperatives that\n"
                     "approved it (and which of those count now), those that have not, and how\n"
                     "many approvals it needs.",
          .flags = {node_flag(), output_flag()},
          .run = run_show,
      },
      {
          .words = {"members"},
          .brief = "the organizations, their keys, the governors and the validators",
          .operands = {},
          .summary =
              "Lists every organization with its kind, status, accreditation and keys (with\n"
              "the height a revoked one was revoked at), the cooperatives that govern and\n"
              "the validators, at the node's head.",
          .flags = {node_flag(), output_flag()},
          .run = run_members,
      },
  };
}

}  // namespace coopchain::cli

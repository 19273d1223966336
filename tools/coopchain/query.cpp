// coopchain tx status | block get | chain head | status: read-only questions to one node.
#include <google/protobuf/descriptor.h>

#include <cstdlib>
#include <iostream>

#include "client.h"
#include "coopchain/core/civil_time.h"
#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"
#include "output.h"
#include "show.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// Every line of `text` indented by `spaces`, without a trailing newline.
std::string indent(std::string_view text, size_t spaces) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string out(spaces, ' ');
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(spaces, ' ');
  }
  return out;
}

void print_transaction(const v1::TransactionInfo& tx) {
  Fields f;
  f.add("tx id", tx.tx_id()).add("state", v1::TxState_Name(tx.state()));
  switch (tx.state()) {
    case v1::COMMITTED:
      f.add("height", std::to_string(tx.height()) + " (position " + std::to_string(tx.index()) +
                          " in its block)");
      break;
    case v1::REJECTED:
      f.add("rule", tx.rule_code() + ": " + tx.message());
      break;
    case v1::PENDING:
      f.add("note", "accepted by the node, waiting for a block");
      break;
    case v1::DROPPED:
      f.add("note", "dropped at this node, resubmit: " + tx.message());
      break;
    default:
      break;
  }
  if (!tx.signer_organization().empty() || !tx.signer_key_id().empty()) {
    f.add("signer", tx.signer_organization() + " (key id " + tx.signer_key_id() + ")");
  }
  std::string kind = event_kind(tx.event());
  f.add_if("event", kind);
  f.print(std::cout);
  if (!kind.empty()) std::cout << indent(wire::event_to_json(tx.event(), true), 2) << "\n";
}

void print_block(const v1::BlockInfo& b) {
  Fields f;
  f.add("height", std::to_string(b.height()))
      .add("hash", b.hash())
      .add("prev hash", b.prev_hash())
      .add("time", format_time(b.time()))
      .add("term", std::to_string(b.term()))
      .add_if("proposer", b.proposer())
      .add("tx root", b.tx_root())
      .add("state root", b.state_root())
      .add("version", std::to_string(b.version()));
  std::string voters;
  for (const auto& v : b.quorum()) voters += (voters.empty() ? "" : ", ") + v.validator_id();
  f.add("quorum", std::to_string(b.quorum_size()) + " vote" + (b.quorum_size() == 1 ? "" : "s") +
                      (voters.empty() ? "" : " (" + voters + ")"));
  f.add("transactions", std::to_string(b.tx_ids_size()));
  f.print(std::cout);
  for (const auto& id : b.tx_ids()) std::cout << "  " << id << "\n";
}

void print_status(const v1::NodeStatus& s) {
  Fields f;
  f.add("node id", s.node_id())
      .add("chain id", s.chain_id())
      .add_if("version", s.version())
      .add("role", s.role())
      .add("membership", s.membership() == v1::NODE_ROLE_UNSPECIFIED
                             ? "not a node of the chain yet (or removed)"
                             : v1::NodeRole_Name(s.membership()))
      .add("term", std::to_string(s.term()))
      .add("leader", s.leader().empty() ? "(none known)" : s.leader())
      .add("height", std::to_string(s.height()))
      .add("head hash", s.head_hash())
      .add("head time", format_time(s.head_time()))
      .add("mempool", std::to_string(s.mempool_size()) + " txs")
      .add("validators", std::to_string(s.validators()))
      .add("genesis hash", s.genesis_hash())
      .add("peers", s.peers_size() == 0 ? "none" : std::to_string(s.peers_size()));
  f.print(std::cout);
  Fields peers(2);
  // A tenth of the chain's skew is worth a look; beyond the skew, blocks are refused.
  const int64_t warn_ms = s.future_skew_ms() / 10;
  std::vector<std::string> warnings;
  for (const auto& p : s.peers()) {
    std::string clock = "clock unknown";
    if (p.clock_known()) {
      clock = "clock " + format_signed_seconds(p.clock_offset_ms()) + "  round trip " +
              std::to_string(p.round_trip_ms()) + " ms";
      if (std::llabs(p.clock_offset_ms()) > warn_ms) {
        warnings.push_back(p.id() + "'s clock reads " + format_signed_seconds(p.clock_offset_ms()) +
                           " against this node's; above " +
                           format_signed_seconds(warn_ms).substr(1) + " one of them is wrong" +
                           (std::llabs(p.clock_offset_ms()) > s.future_skew_ms()
                                ? ", and beyond the chain's " +
                                      format_signed_seconds(s.future_skew_ms()).substr(1) +
                                      " blocks are refused"
                                : "") +
                           " (docs/operations.md, Clock)");
      }
    }
    const std::string membership =
        p.membership() == v1::NODE_ROLE_UNSPECIFIED ? "PENDING" : v1::NodeRole_Name(p.membership());
    peers.add(p.id(), membership + "  " + p.address() + "  " +
                          (p.healthy() ? "healthy" : "UNHEALTHY") + "  match height " +
                          std::to_string(p.match_height()) + "  lag " + std::to_string(p.lag()) +
                          "  " + clock);
  }
  peers.print(std::cout);
  for (const auto& w : warnings) std::cout << "WARNING: " << w << "\n";
}

int run_tx_status(const Args& args) {
  const std::string& id = args.operands[0];
  if (!hash_from_hex(id)) return usage_error(*args.verb, "TXID must be 64 hex digits");
  NodeClient client(args.value("node"));
  v1::GetTransactionRequest request;
  request.set_tx_id(id);
  v1::TransactionInfo response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.ledger().GetTransaction(context.get(), request, &response);
  return show(args, client, s, response, print_transaction);
}

int run_block_get(const Args& args) {
  auto height = parse_uint(args.operands[0]);
  if (!height) return usage_error(*args.verb, "HEIGHT must be a whole number");
  NodeClient client(args.value("node"));
  v1::GetBlockRequest request;
  request.set_height(*height);
  request.set_include_transactions(args.has("transactions"));
  v1::BlockInfo response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.ledger().GetBlock(context.get(), request, &response);
  return show(args, client, s, response, print_block);
}

int run_chain_head(const Args& args) {
  NodeClient client(args.value("node"));
  v1::BlockInfo response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.ledger().GetHead(context.get(), v1::GetHeadRequest(), &response);
  return show(args, client, s, response, print_block);
}

int run_status(const Args& args) {
  NodeClient client(args.value("node"));
  v1::NodeStatus response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.node().GetStatus(context.get(), v1::GetStatusRequest(), &response);
  return show(args, client, s, response, print_status);
}

}  // namespace

std::vector<VerbSpec> query_verbs() {
  return {
      {
          .words = {"tx", "status"},
          .brief = "pending, committed (height), rejected (rule code) or dropped",
          .operands = {"TXID"},
          .summary = "Shows a transaction: pending, committed (with its height), rejected (with\n"
                     "its rule code and message) or dropped by the node before it was committed\n"
                     "(with why: resubmit it), its signer and its event.",
          .flags = {node_flag(), output_flag()},
          .run = run_tx_status,
      },
      {
          .words = {"block", "get"},
          .brief = "one committed block",
          .operands = {"HEIGHT"},
          .summary = "Shows one committed block: its hashes, time, proposer, transaction ids and\n"
                     "the validators whose votes certify it.",
          .flags = {{.name = "transactions",
                     .help = "with --output json, include the signed transactions"},
                    node_flag(),
                    output_flag()},
          .run = run_block_get,
      },
      {
          .words = {"chain", "head"},
          .brief = "the newest block: height, hash, time",
          .operands = {},
          .summary = "Shows the newest committed block (height, hash, time).",
          .flags = {node_flag(), output_flag()},
          .run = run_chain_head,
      },
      {
          .words = {"status"},
          .brief = "the node: id, role, height, leader, term, peers",
          .operands = {},
          .summary = "Shows the node: its id, role, term, the leader it knows, height, head hash,\n"
                     "and its peers with their health.",
          .flags = {node_flag(), output_flag()},
          .run = run_status,
      },
  };
}

}  // namespace coopchain::cli

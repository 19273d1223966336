// coopchain submit: signs each event of a JSON file with one key and submits it, in order,
// stopping at the first that the node rejects.
#include <iostream>
#include <sstream>

#include "client.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/files.h"
#include "coopchain/core/hash.h"
#include "coopchain/wire/event_codec.h"
#include "output.h"
#include "signing.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// Leaves the node a few seconds to answer PENDING before the client's own deadline passes.
constexpr uint32_t kNodeWaitMs = 55'000;

std::string state_name(v1::TxState state) {
  switch (state) {
    case v1::PENDING:
      return "pending";
    case v1::COMMITTED:
      return "committed";
    case v1::REJECTED:
      return "rejected";
    case v1::DROPPED:
      return "dropped";
    default:
      return "unknown";
  }
}

std::string committed_before(size_t n) {
  return std::to_string(n) + " event" + (n == 1 ? "" : "s") + " committed before it";
}

int run_submit(const Args& args) {
  int exit_code = kExitOk;
  auto input = read_signing_input(args, &exit_code);
  if (!input) return exit_code;
  return submit_events(args, *input);
}

}  // namespace

int submit_events(const Args& args, const SigningInput& input) {
  const bool wait = args.has("wait");
  const bool json = output_format(args) == OutputFormat::kJson;
  const auto& [key, nonce, events] = input;

  NodeClient client(args.value("node"));
  v1::NodeStatus node_status;
  {
    auto context = make_context(kQueryDeadline);
    grpc::Status s = client.node().GetStatus(context.get(), v1::GetStatusRequest(), &node_status);
    if (!s.ok()) return fail_rpc(client, s);
  }

  std::vector<v1::SubmitResponse> responses;
  auto print_json = [&] {
    if (!json) return;
    std::cout << "[";
    for (size_t i = 0; i < responses.size(); ++i) {
      std::cout << (i == 0 ? "\n  " : ",\n  ") << to_json(responses[i], false);
    }
    std::cout << (responses.empty() ? "]\n" : "\n]\n");
  };

  size_t committed = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    v1::SubmitRequest request;
    *request.mutable_transaction() = sign_event(key, node_status.chain_id(), nonce, events[i]);
    request.set_wait(wait);
    if (wait) request.set_wait_timeout_ms(kNodeWaitMs);
    const std::string tx_id = to_hex(sha256(request.transaction().payload()));

    v1::SubmitResponse response;
    auto context = make_context(wait ? kSubmitWaitDeadline : kQueryDeadline);
    grpc::Status s = client.ledger().Submit(context.get(), request, &response);
    const std::string where = events.size() > 1 ? " (event " + std::to_string(i + 1) + " of " +
                                                      std::to_string(events.size()) + "; " +
                                                      committed_before(committed) + ")"
                                                : "";
    if (!s.ok()) {
      // A rule's refusal comes back as a gRPC error; in JSON it is reported like a REJECTED
      // response so that scripts see one shape.
      std::string rule, message;
      if (split_rule_message(s.error_message(), &rule, &message)) {
        v1::SubmitResponse rejected;
        rejected.set_tx_id(tx_id);
        rejected.set_state(v1::REJECTED);
        rejected.set_rule_code(rule);
        rejected.set_message(message);
        responses.push_back(rejected);
      }
      print_json();
      return fail(describe_rpc_error(client.address(), s) + where);
    }
    if (response.tx_id().empty()) response.set_tx_id(tx_id);
    responses.push_back(response);

    if (response.state() == v1::REJECTED) {
      print_json();
      return fail("rejected: " + response.rule_code() + ": " + response.message() + where);
    }
    if (response.state() == v1::DROPPED) {
      print_json();
      return fail("tx " + response.tx_id() +
                  " was dropped at the node, resubmit it: " + response.message() + where);
    }
    if (!json) {
      std::cout << "tx " << response.tx_id() << "  ";
      if (response.state() == v1::COMMITTED) {
        std::cout << "committed at height " << response.height() << "\n";
      } else {
        std::cout << state_name(response.state()) << "\n";
      }
    }
    if (response.state() == v1::COMMITTED) ++committed;
    if (wait && response.state() != v1::COMMITTED) {
      print_json();
      return fail("tx " + response.tx_id() + " is still " + state_name(response.state()) +
                  " after waiting" + where + "; check it with `coopchain tx status " +
                  response.tx_id() + "`");
    }
  }
  print_json();
  return kExitOk;
}

std::vector<VerbSpec> submit_verbs() {
  return {{
      .words = {"submit"},
      .brief = "sign and submit the events of a JSON file",
      .operands = {"FILE"},
      .summary =
          "Signs each event in FILE (one JSON event such as {\"harvest\": {...}}, or a JSON\n"
          "array of events; \"-\" reads standard input) with KEY and submits them in order.\n"
          "Prints each transaction id; with --wait, also the height it was committed at. Stops\n"
          "at the first rejected event (exit 1, its rule code on stderr). Submitting the same\n"
          "signed event again is idempotent; change --nonce to submit an identical event anew.",
      .flags = {key_flag(),
                {.name = "wait", .help = "wait until each event is committed or rejected"},
                nonce_flag(),
                node_flag(),
                output_flag()},
      .run = run_submit,
  }};
}

}  // namespace coopchain::cli

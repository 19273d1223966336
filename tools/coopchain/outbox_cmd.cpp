// coopchain outbox add | list | send: sign events where there is no link, send them once a node
// can be reached. An event leaves the outbox only once the network committed it (to sent/) or
// refused it (to rejected/, with the rule code); anything else leaves it to be sent again, which
// is always safe (a transaction is committed at most once).
#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "client.h"
#include "coopchain/core/files.h"
#include "coopchain/core/hash.h"
#include "coopchain/rules/rules.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"
#include "outbox.h"
#include "output.h"
#include "signing.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// A node answers a waiting submission by then at the latest (PENDING if not committed).
constexpr uint32_t kNodeWaitMs = 55'000;

FlagSpec outbox_flag() {
  return {.name = "outbox",
          .value_name = "DIR",
          .help = "the outbox directory (created if missing)",
          .default_value = "./outbox"};
}

// An event's own time is checked against the lateness window: this long before it closes,
// `outbox list` warns.
constexpr int64_t kLatenessWarningMs = int64_t{14} * 24 * 3600 * 1000;

// What the payload says: its chain, its event, and the time the event names (its "…At" field,
// as harvestedAt; none for an event without one).
struct Described {
  std::string chain_id;
  std::string event;
  std::string time_field = {};
  int64_t time_ms = 0;
};

Described describe(const v1::SignedTransaction& tx) {
  v1::TxPayload payload;
  if (!payload.ParseFromString(tx.payload())) return {"?", "?"};
  Described d{payload.chain_id(), event_kind(payload.event())};
  const auto& event = payload.event();
  const auto* oneof = event.GetDescriptor()->FindOneofByName("kind");
  const auto* which = event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  if (which == nullptr) return d;
  const auto& body = event.GetReflection()->GetMessage(event, which);
  const auto* descriptor = body.GetDescriptor();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const auto* field = descriptor->field(f);
    if (field->message_type() != google::protobuf::Timestamp::descriptor() ||
        !field->json_name().ends_with("At") || !body.GetReflection()->HasField(body, field)) {
      continue;
    }
    const auto& t = static_cast<const google::protobuf::Timestamp&>(
        body.GetReflection()->GetMessage(body, field));
    d.time_field = field->json_name();
    d.time_ms = t.seconds() * 1000 + t.nanos() / 1'000'000;
    break;
  }
  return d;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "3 days" / "5 h" / "12 min".
std::string age(int64_t ms) {
  const int64_t minutes = std::max<int64_t>(ms, 0) / 60'000;
  if (minutes >= 48 * 60) return std::to_string(minutes / (24 * 60)) + " days";
  if (minutes >= 120) return std::to_string(minutes / 60) + " h";
  return std::to_string(minutes) + " min";
}

int64_t queued_at_ms(const std::string& path) {
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(path, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::file_clock::to_sys(written).time_since_epoch())
      .count();
}

Result<Genesis> read_genesis(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  auto genesis = wire::genesis_from_json(*text);
  if (!genesis.ok()) {
    return Status::InvalidArgument(path + " is not a genesis file: " + genesis.status().message());
  }
  return genesis;
}

int run_outbox_add(const Args& args) {
  int exit_code = kExitOk;
  auto input = read_signing_input(args, &exit_code);
  if (!input) return exit_code;
  const auto& [key, nonce, events] = *input;
  auto genesis = read_genesis(args.value("genesis"));
  if (!genesis.ok()) return fail(genesis.status().message());
  const std::string& file = args.operands[0];

  auto outbox = Outbox::open(args.value("outbox"));
  if (!outbox.ok()) return fail(outbox.status().message());
  // Every event gets the checks that need no chain state (the node's first ones) before any is
  // queued: a file with a bad event queues nothing, and a malformed event is found in the field,
  // not days later at the node.
  const Rules rules(*genesis);
  std::vector<v1::SignedTransaction> signed_txs;
  for (size_t i = 0; i < events.size(); ++i) {
    signed_txs.push_back(sign_event(key, genesis->chain_id, nonce, events[i]));
    const std::string where = " (event " + std::to_string(i + 1) + " in " + file + ")";
    auto decoded = wire::decode_transaction(wire::from_proto(signed_txs.back()));
    if (!decoded.ok()) return fail("rejected: " + decoded.status().to_string() + where);
    if (Verdict shape = rules.check_shape(*decoded); !shape.ok()) {
      return fail("rejected: " + shape.to_string() + where);
    }
  }
  // The same file added twice (the same events, key and nonce) is the same transactions.
  auto waiting = outbox->waiting();
  if (!waiting.ok()) return fail(waiting.status().message());
  std::map<std::string, uint64_t> queued;
  for (const auto& e : *waiting) queued.emplace(e.tx_id, e.seq);
  const bool json = output_format(args) == OutputFormat::kJson;
  std::vector<JsonObject> added;
  for (const auto& tx : signed_txs) {
    if (auto it = queued.find(to_hex(sha256(tx.payload()))); it != queued.end()) {
      if (!json) std::cout << "already queued as #" << it->second << "  tx " << it->first << "\n";
      continue;
    }
    auto entry = outbox->add(tx);
    if (!entry.ok()) return fail("cannot queue the event: " + entry.status().message());
    const Described d = describe(tx);
    if (json) {
      added.push_back(JsonObject()
                          .set("seq", static_cast<double>(entry->seq))
                          .set("txId", entry->tx_id)
                          .set("event", d.event));
    } else {
      std::cout << "queued #" << entry->seq << "  tx " << entry->tx_id << "  " << d.event << "\n";
    }
  }
  if (json) {
    std::cout << JsonObject().set("added", added).set("outbox", outbox->dir()).to_string() << "\n";
  }
  return kExitOk;
}

int run_outbox_list(const Args& args) {
  int64_t lateness_ms = Genesis{}.params.lateness_ms;
  if (args.has("genesis")) {
    auto genesis = read_genesis(args.value("genesis"));
    if (!genesis.ok()) return fail(genesis.status().message());
    lateness_ms = genesis->params.lateness_ms;
  }
  auto outbox = Outbox::open(args.value("outbox"));
  if (!outbox.ok()) return fail(outbox.status().message());
  auto waiting = outbox->waiting();
  if (!waiting.ok()) return fail(waiting.status().message());
  const size_t sent = outbox->count("sent");
  const size_t refused = outbox->count("rejected");
  const int64_t now = now_ms();
  std::vector<Described> described;
  for (const auto& e : *waiting) described.push_back(describe(e.tx));
  std::vector<std::string> warnings;
  for (size_t i = 0; i < waiting->size(); ++i) {
    const OutboxEntry& e = (*waiting)[i];
    const Described& d = described[i];
    if (d.time_ms == 0) continue;
    const int64_t left = d.time_ms + lateness_ms - now;
    if (left < 0) {
      warnings.push_back("#" + std::to_string(e.seq) + "'s " + d.time_field + " is " +
                         age(now - d.time_ms) + " old, beyond the chain's lateness window of " +
                         age(lateness_ms) + ": the node will refuse it (TOO_LATE)");
    } else if (left < kLatenessWarningMs) {
      warnings.push_back("#" + std::to_string(e.seq) + "'s " + d.time_field + " is " +
                         age(now - d.time_ms) + " old; the chain refuses events older than " +
                         age(lateness_ms) + ": sync within " + age(left));
    }
  }
  if (output_format(args) == OutputFormat::kJson) {
    std::vector<JsonObject> list;
    for (size_t i = 0; i < waiting->size(); ++i) {
      const OutboxEntry& e = (*waiting)[i];
      const Described& d = described[i];
      JsonObject entry;
      entry.set("seq", static_cast<double>(e.seq))
          .set("txId", e.tx_id)
          .set("event", d.event)
          .set("chainId", d.chain_id)
          .set("queuedMsAgo", static_cast<double>(now - queued_at_ms(e.path)));
      if (d.time_ms != 0) entry.set(d.time_field, static_cast<double>(d.time_ms));
      list.push_back(entry);
    }
    std::cout << JsonObject()
                     .set("waiting", list)
                     .set("sent", static_cast<double>(sent))
                     .set("rejected", static_cast<double>(refused))
                     .set_strings("warnings", warnings)
                     .to_string()
              << "\n";
    return kExitOk;
  }
  for (size_t i = 0; i < waiting->size(); ++i) {
    const OutboxEntry& e = (*waiting)[i];
    const Described& d = described[i];
    std::cout << "#" << e.seq << "  tx " << e.tx_id << "  " << d.event << "  queued "
              << age(now - queued_at_ms(e.path)) << " ago";
    if (d.time_ms != 0) std::cout << "  " << d.time_field << " " << age(now - d.time_ms) << " ago";
    std::cout << "  chain " << d.chain_id << "\n";
  }
  std::cout << waiting->size() << " waiting, " << sent << " sent, " << refused << " refused (in "
            << outbox->dir() << "/rejected)\n";
  for (const auto& w : warnings) std::cout << "WARNING: " << w << "\n";
  return kExitOk;
}

// What one submission of an entry came to.
enum class Sent { kCommitted, kRefused, kRetry };

int run_outbox_sync(const Args& args) {
  const auto retry_for = parse_uint(args.value("retry-for"));
  if (!retry_for) return usage_error(*args.verb, "--retry-for must be a whole number of seconds");
  auto outbox = Outbox::open(args.value("outbox"));
  if (!outbox.ok()) return fail(outbox.status().message());
  auto waiting = outbox->waiting();
  if (!waiting.ok()) return fail(waiting.status().message());
  if (waiting->empty()) {
    std::cout << "the outbox is empty\n";
    return kExitOk;
  }
  NodeClient client(args.value("node"));
  const auto stays = [&](size_t from) {
    const size_t left = waiting->size() - from;
    return std::to_string(left) + " event" + (left == 1 ? "" : "s") +
           " stay in the outbox; run `coopchain outbox sync` again";
  };
  // A link that fails, a node without a leader, a transaction dropped or not committed in
  // time: tried again, with a growing pause, until --retry-for has passed without a commit.
  const auto give_up_after = std::chrono::seconds(*retry_for);
  auto last_progress = std::chrono::steady_clock::now();
  auto pause = std::chrono::seconds(2);
  std::string why;  // the last reason to retry
  const auto wait_or_give_up = [&]() {
    if (std::chrono::steady_clock::now() + pause - last_progress > give_up_after) return false;
    std::cerr << "coopchain: " << why << "; trying again in " << pause.count() << " s\n";
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::seconds(30));
    return true;
  };

  std::string chain_id;
  size_t sent = 0, refused = 0;
  for (size_t i = 0; i < waiting->size();) {
    if (chain_id.empty()) {
      v1::NodeStatus node_status;
      auto context = make_context(kQueryDeadline);
      grpc::Status s = client.node().GetStatus(context.get(), v1::GetStatusRequest(), &node_status);
      if (!s.ok()) {
        why = describe_rpc_error(client.address(), s);
        if (wait_or_give_up()) continue;
        return fail(why + "; " + stays(i));
      }
      chain_id = node_status.chain_id();
    }
    const OutboxEntry& e = (*waiting)[i];
    const Described d = describe(e.tx);
    if (d.chain_id != chain_id) {
      return fail("#" + std::to_string(e.seq) + " was signed for chain " + d.chain_id +
                  "; the node at " + client.address() + " serves " + chain_id + "; " + stays(i));
    }
    v1::SubmitRequest request;
    *request.mutable_transaction() = e.tx;
    request.set_wait(true);
    request.set_wait_timeout_ms(kNodeWaitMs);
    v1::SubmitResponse response;
    auto context = make_context(kSubmitWaitDeadline);
    const grpc::Status s = client.ledger().Submit(context.get(), request, &response);
    std::string rule, message;
    Sent outcome = Sent::kRetry;
    if (!s.ok() && split_rule_message(s.error_message(), &rule, &message)) {
      v1::SubmitResponse answer;
      answer.set_tx_id(e.tx_id);
      answer.set_state(v1::REJECTED);
      answer.set_rule_code(rule);
      answer.set_message(message);
      if (Status st = outbox->settle(e, "rejected", to_json(answer)); !st.ok()) {
        return fail(st.message());
      }
      std::cout << "#" << e.seq << "  tx " << e.tx_id << "  " << d.event << "  REFUSED " << rule
                << ": " << message << "\n";
      ++refused;
      outcome = Sent::kRefused;
    } else if (!s.ok()) {
      why = describe_rpc_error(client.address(), s);
      chain_id.clear();  // the node may have changed; ask again
    } else if (response.state() != v1::COMMITTED) {
      why = "#" + std::to_string(e.seq) + " tx " + e.tx_id +
            (response.state() == v1::DROPPED
                 ? " dropped by the node: " + response.message()
                 : " not committed within " + std::to_string(kNodeWaitMs / 1000) + " s");
    } else {
      if (response.tx_id().empty()) response.set_tx_id(e.tx_id);
      if (Status st = outbox->settle(e, "sent", to_json(response)); !st.ok()) {
        return fail(st.message());
      }
      std::cout << "#" << e.seq << "  tx " << e.tx_id << "  " << d.event << "  committed at height "
                << response.height() << "\n";
      ++sent;
      outcome = Sent::kCommitted;
    }
    if (outcome == Sent::kRetry) {
      if (wait_or_give_up()) continue;
      return fail(why + "; " + stays(i));
    }
    last_progress = std::chrono::steady_clock::now();
    pause = std::chrono::seconds(2);
    ++i;
  }
  std::cout << sent << " committed, " << refused << " refused; the outbox is empty\n";
  return refused == 0 ? kExitOk : kExitFailed;
}

}  // namespace

std::vector<VerbSpec> outbox_verbs() {
  return {
      {
          .words = {"outbox", "add"},
          .brief = "sign the events of a JSON file now, to send later",
          .operands = {"FILE"},
          .summary =
              "Signs each event in FILE (as `submit` reads it) with KEY for the chain of the\n"
              "genesis FILE, checks it as a node first would (MALFORMED, BAD_GEOMETRY), and\n"
              "queues it in the outbox, durably, without a node. A file with one bad event is\n"
              "refused whole (exit 1).",
          .flags = {key_flag(),
                    {.name = "genesis",
                     .value_name = "FILE",
                     .help = "the chain's genesis file (its chain id is signed into every event)",
                     .required = true},
                    nonce_flag(),
                    outbox_flag(),
                    output_flag()},
          .run = run_outbox_add,
      },
      {
          .words = {"outbox", "list"},
          .brief = "the events waiting in the outbox",
          .summary =
              "Lists the events waiting, oldest first, with how long ago each was queued and\n"
              "the time it names, and counts those sent and refused. Warns when an event nears\n"
              "the chain's lateness window (90 days unless --genesis says otherwise).",
          .flags = {outbox_flag(),
                    {.name = "genesis",
                     .value_name = "FILE",
                     .help = "the chain's genesis file, for its lateness window"},
                    output_flag()},
          .run = run_outbox_list,
      },
      {
          .words = {"outbox", "sync"},
          .brief = "send what waits in the outbox, in order",
          .summary =
              "Submits each waiting event in the order it was added and waits for its commit.\n"
              "Committed: moved to DIR/sent. Refused by a rule: moved to DIR/rejected with the\n"
              "rule code, and the next is sent. A link that fails, a node without a leader, an\n"
              "event dropped or not committed in time: tried again with a growing pause, until\n"
              "--retry-for seconds pass without a commit; then the rest stays for the next run\n"
              "(exit 1). Killed at any point, nothing is lost or sent twice: a sent event moves\n"
              "only once committed, and sending one again is safe. Exit 0 once every event was\n"
              "committed.",
          .flags = {outbox_flag(),
                    node_flag(),
                    {.name = "retry-for",
                     .value_name = "SECONDS",
                     .help = "keep trying this long without progress before giving up",
                     .default_value = "120"}},
          .run = run_outbox_sync,
      },
  };
}

}  // namespace coopchain::cli

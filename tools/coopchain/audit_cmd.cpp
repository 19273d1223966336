// coopchain audit | chain export: the auditor's replay of a whole chain from a trusted genesis,
// and the portable archive it can be run on.
#include <cstdio>
#include <iostream>

#include "coopchain/audit/archive.h"
#include "coopchain/audit/replay.h"
#include "coopchain/audit/store_source.h"
#include "coopchain/audit/verify_db.h"
#include "coopchain/core/files.h"
#include "coopchain/wire/genesis_json.h"
#include "governance_text.h"
#include "node_source.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

FlagSpec source_node_flag() {
  return {"node", "HOST:PORT", "stream the chain from this running node"};
}
FlagSpec source_data_dir_flag() {
  return {"data-dir", "DIR", "read a node's database directly (read-only)"};
}

// The one source named by --node, --data-dir or --archive; `fallback_node` when none is given.
Result<std::unique_ptr<audit::ChainSource>> open_source(const Args& args,
                                                        std::string_view fallback_node) {
  int given = 0;
  for (auto flag : {"node", "data-dir", "archive"}) given += args.has(flag) ? 1 : 0;
  if (given > 1) {
    return Status::InvalidArgument("give one source: --node, --data-dir or --archive");
  }
  if (args.has("data-dir")) {
    auto s = audit::StoreChainSource::open(args.value("data-dir"));
    if (!s.ok()) return s.status();
    return std::unique_ptr<audit::ChainSource>(std::move(s).value());
  }
  if (args.has("archive")) {
    auto s = audit::ArchiveReader::open(args.value("archive"));
    if (!s.ok()) return s.status();
    return std::unique_ptr<audit::ChainSource>(std::move(s).value());
  }
  if (!args.has("node") && fallback_node.empty()) {
    return Status::InvalidArgument("name the chain to audit: --node, --data-dir or --archive");
  }
  auto s =
      NodeChainSource::open(args.has("node") ? args.value("node") : std::string(fallback_node));
  if (!s.ok()) return s.status();
  return std::unique_ptr<audit::ChainSource>(std::move(s).value());
}

double per_second(uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

// "12.34" for fixed(12.3449, 2); "12" for fixed(12.3, 0).
std::string fixed(double v, int decimals) {
  char out[64];
  std::snprintf(out, sizeof out, "%.*f", decimals, v);
  return out;
}

JsonObject report_json(const audit::AuditReport& r) {
  JsonObject head;
  head.set("height", static_cast<double>(r.head.height))
      .set("hash", to_hex(r.head.hash))
      .set("stateRoot", to_hex(r.head.state_root))
      .set("timeMs", static_cast<double>(r.head.time_ms));
  JsonObject events;
  for (const auto& [type, n] : r.events_by_type) events.set(type, static_cast<double>(n));
  std::vector<JsonObject> lots;
  for (const auto& lot : r.lots) {
    JsonObject l;
    l.set("lotId", lot.lot_id)
        .set("crop", lot.crop)
        .set("form", lot.form)
        .set("owner", lot.owner)
        .set("inG", static_cast<double>(lot.in_g))
        .set("outG", static_cast<double>(lot.out_g))
        .set("heldG", static_cast<double>(lot.held_g))
        .set_bool("balanced", lot.in_g == lot.out_g + lot.held_g)
        .set_strings("claims", lot.claims);
    lots.push_back(std::move(l));
  }
  std::vector<JsonObject> proposals;
  for (const auto& p : r.proposals) {
    std::vector<std::string> changes;
    for (const auto& c : p.changes) changes.push_back(describe_change(c));
    JsonObject o;
    o.set("proposalId", p.proposal_id)
        .set("proposer", p.proposer)
        .set("status", std::string(name_of(p.status)))
        .set("proposedHeight", static_cast<double>(p.proposed_height))
        .set("closedHeight", static_cast<double>(p.closed_height))
        .set_strings("approvals", p.approvals)
        .set_strings("changes", changes);
    proposals.push_back(std::move(o));
  }
  std::vector<JsonObject> validator_sets;
  for (const auto& set : r.validator_sets) {
    JsonObject o;
    o.set("fromHeight", static_cast<double>(set.from_height))
        .set_strings("validators", set.validators);
    validator_sets.push_back(std::move(o));
  }
  std::vector<JsonObject> certificates;
  for (const auto& [id, by] : r.certificate_lots) {
    JsonObject c;
    c.set("certificateId", id).set_strings("lots", {by.begin(), by.end()});
    certificates.push_back(std::move(c));
  }
  JsonObject out;
  out.set_bool("ok", r.ok())
      .set("source", r.source)
      .set("chainId", r.chain_id)
      .set("genesisHash", to_hex(r.genesis_hash))
      .set("blocks", static_cast<double>(r.blocks))
      .set("transactions", static_cast<double>(r.transactions))
      .set("rejections", 0.0)
      .set("votes", static_cast<double>(r.votes))
      .set("signatures", static_cast<double>(r.signatures))
      .set("threads", static_cast<double>(r.threads))
      .set("head", head)
      .set("eventsByType", events)
      .set("lots", lots)
      .set("certificates", certificates)
      .set("governance", proposals)
      .set("validatorSets", validator_sets)
      .set_bool("databaseChecked", r.store_checked)
      .set("seconds", r.seconds)
      .set("transactionsPerSecond", per_second(r.transactions, r.seconds));
  if (r.store_checked) out.set("stateEntries", static_cast<double>(r.state_entries));
  if (r.failure) {
    JsonObject f;
    f.set("height", static_cast<double>(r.failure->height)).set("what", r.failure->what);
    if (!r.failure->expected.empty()) f.set("expected", r.failure->expected);
    out.set("failure", f);
  }
  return out;
}

void print_report(const audit::AuditReport& r) {
  std::cout << (r.ok() ? "audit passed: every hash link, quorum certificate, signature, rule and "
                         "state root holds\n"
                       : "audit FAILED at height " + std::to_string(r.failure->height) + "\n");
  Fields f;
  if (r.failure) {
    f.add("what is wrong", r.failure->what);
    f.add_if("expected", r.failure->expected);
  }
  f.add("source", r.source)
      .add("chain", r.chain_id + " (genesis " + to_hex(r.genesis_hash) + ")")
      .add(r.ok() ? "blocks" : "blocks that held",
           std::to_string(r.blocks) +
               (r.blocks > 0 ? " (heights 0 to " + std::to_string(r.head.height) + ")" : ""))
      .add("transactions", std::to_string(r.transactions))
      .add("votes", std::to_string(r.votes))
      .add("signatures", std::to_string(r.signatures) + " verified on " +
                             std::to_string(r.threads) + " thread(s)");
  if (r.blocks > 0) {
    f.add("head", std::to_string(r.head.height) + " " + to_hex(r.head.hash))
        .add("state root", to_hex(r.head.state_root));
  }
  if (r.store_checked) {
    f.add("database",
          "state (" + std::to_string(r.state_entries) + " entries) and indexes equal the replay");
  }
  std::string events;
  for (const auto& [type, n] : r.events_by_type) {
    events += (events.empty() ? "" : ", ") + type + " " + std::to_string(n);
  }
  f.add_if("events", events);
  if (r.ok()) {
    f.add("lots", std::to_string(r.lots.size()) + ", every mass balance holds")
        .add("certificates used", std::to_string(r.certificate_lots.size()));
  }
  f.add("time", fixed(r.seconds, 2) + " s (" + fixed(per_second(r.transactions, r.seconds), 0) +
                    " transactions/s)");
  f.print(std::cout);
  if (r.validator_sets.size() > 1) {
    // Who certified which blocks: each set from the first block it certified.
    std::cout << "validators:\n";
    for (const auto& set : r.validator_sets) {
      std::string ids;
      for (const auto& id : set.validators) ids += (ids.empty() ? "" : ", ") + id;
      std::cout << "  from height " << set.from_height << ": " << ids << "\n";
    }
  }
  if (!r.ok() || r.proposals.empty()) return;
  // What changed the network after its genesis, in the order proposed.
  std::cout << "governance:\n";
  for (const auto& p : r.proposals) {
    std::string approvals;
    for (const auto& a : p.approvals) approvals += (approvals.empty() ? "" : ", ") + a;
    std::cout << "  " << p.proposal_id << "  " << name_of(p.status);
    if (p.closed_height > 0) std::cout << " at height " << p.closed_height;
    std::cout << "  proposed at height " << p.proposed_height << " by " << p.proposer
              << ", approved by " << approvals << "\n";
    for (const auto& c : p.changes) std::cout << "    " << describe_change(c) << "\n";
  }
}

int run_audit(const Args& args) {
  audit::AuditOptions options;
  options.summarize = true;
  if (args.has("threads")) {
    const auto n = parse_uint(args.value("threads"), 1, 256);
    if (!n) return usage_error(*args.verb, "--threads takes a number from 1 to 256");
    options.threads = static_cast<unsigned>(*n);
  }
  auto text = read_file(args.value("genesis"));
  if (!text.ok()) return fail("cannot read the trusted genesis: " + text.status().message());
  auto genesis = wire::genesis_from_json(*text);
  if (!genesis.ok()) {
    return fail("the trusted genesis " + args.value("genesis") +
                " does not parse: " + genesis.status().message());
  }
  auto source = open_source(args, {});
  if (!source.ok()) {
    if (source.status().code() == StatusCode::kInvalidArgument) {
      return usage_error(*args.verb, source.status().message());
    }
    return fail(source.status().message());
  }
  const auto* store_source = dynamic_cast<const audit::StoreChainSource*>(source->get());
  const audit::AuditReport report = audit::audit_chain(
      *genesis, **source, store_source != nullptr ? &store_source->store() : nullptr, options);
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << report_json(report).to_string() << "\n";
  } else {
    print_report(report);
  }
  if (!report.ok()) {
    std::cerr << "coopchain: audit failed at height " << report.failure->height << ": "
              << report.failure->what << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

int run_verify_db(const Args& args) {
  audit::AuditOptions options;
  const audit::DatabaseCheck check = audit::verify_database(args.value("data-dir"), options);
  if (output_format(args) == OutputFormat::kJson) {
    JsonObject out;
    out.set_bool("ok", check.ok()).set_bool("checksumsOk", check.checksums_ok);
    if (check.replay.blocks > 0) out.set("replay", report_json(check.replay));
    if (!check.ok()) out.set("failure", check.failure);
    std::cout << out.to_string() << "\n";
  } else {
    std::cout << (check.ok() ? "database verified: every checksum, block, certificate, state "
                               "root, state entry and index holds\n"
                             : "database check FAILED\n");
    Fields f;
    f.add_if("what is wrong", check.failure);
    f.add("checksums", check.checksums_ok ? "every table file's blocks hold" : "not all checked");
    if (check.replay.blocks > 0) {
      f.add("blocks", std::to_string(check.replay.blocks) + " (heights 0 to " +
                          std::to_string(check.replay.head.height) + ")")
          .add("transactions", std::to_string(check.replay.transactions));
      if (check.replay.store_checked) {
        f.add("state", std::to_string(check.replay.state_entries) + " entries equal the replay");
      }
    }
    f.print(std::cout);
  }
  if (!check.ok())
    return fail("the database at " + args.value("data-dir") + " is damaged: " + check.failure);
  return kExitOk;
}

int run_chain_export(const Args& args) {
  if (args.has("node") && args.has("data-dir")) {
    return usage_error(*args.verb, "give one source: --node or --data-dir");
  }
  auto source = open_source(args, "127.0.0.1:7700");
  if (!source.ok()) return fail(source.status().message());
  const std::string& out = args.value("out");
  auto summary = audit::export_archive(**source, out);
  if (!summary.ok()) return fail("export failed: " + summary.status().message());
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << JsonObject()
                     .set("file", out)
                     .set("blocks", static_cast<double>(summary->blocks))
                     .set("transactions", static_cast<double>(summary->transactions))
                     .set("bytes", static_cast<double>(summary->bytes))
                     .set("headHeight", static_cast<double>(summary->head.height))
                     .set("headHash", to_hex(summary->head.hash))
                     .to_string()
              << "\n";
    return kExitOk;
  }
  Fields()
      .add("archive", out)
      .add("source", (*source)->describe())
      .add("blocks", std::to_string(summary->blocks) + " (heights 0 to " +
                         std::to_string(summary->head.height) + ")")
      .add("transactions", std::to_string(summary->transactions))
      .add("head", to_hex(summary->head.hash))
      .add("size", std::to_string(summary->bytes) + " bytes")
      .print(std::cout);
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> audit_verbs() {
  return {
      {
          .words = {"audit"},
          .brief = "replay a chain from a trusted genesis and verify everything",
          .summary =
              "Replays a whole chain from the genesis you trust (obtained out of band) and\n"
              "re-verifies every hash link, quorum certificate, transaction signature and\n"
              "signer role, every rule (re-executing each transaction) and every state root.\n"
              "With --data-dir it also compares the database's state and indexes with the\n"
              "replay. Exit 0 only if all hold; otherwise 1, naming the first bad height, what\n"
              "was wrong there and what was expected. docs/audit.md explains each failure.",
          .flags = {{"genesis", "FILE", "the trusted genesis.json", {}, {}, true},
                    source_node_flag(),
                    source_data_dir_flag(),
                    {"archive", "FILE", "read an archive written by `chain export`"},
                    {"threads", "N", "signature-checking threads (default: every core)"},
                    output_flag()},
          .run = run_audit,
      },
      {
          .words = {"verify-db"},
          .brief = "check a node's database: every checksum, block, certificate and state entry",
          .summary =
              "Checks a stopped node's data dir end to end: the block checksums of every table\n"
              "file, then a replay of every stored block and quorum certificate from the genesis\n"
              "the database holds, comparing every state root, the state and every index with\n"
              "the replay. Run it when a node stopped on a storage error or after a disk\n"
              "problem (docs/operations.md, Corruption). Exit 0 only if everything holds.",
          .flags =
              {{"data-dir", "DIR", "the node's data dir (the node must be stopped)", {}, {}, true},
               output_flag()},
          .run = run_verify_db,
      },
      {
          .words = {"chain", "export"},
          .brief = "write the committed chain to a portable archive file",
          .summary = "Writes the committed chain — the genesis, every block and its quorum\n"
                     "certificate — to one archive file (docs/archive-format.md) that\n"
                     "`coopchain audit --archive` or any other verifier can check. Reads from a\n"
                     "node (default 127.0.0.1:7700) or a data dir.",
          .flags = {{"out", "FILE", "the archive to write", {}, {}, true},
                    source_node_flag(),
                    source_data_dir_flag(),
                    output_flag()},
          .run = run_chain_export,
      },
  };
}

}  // namespace coopchain::cli

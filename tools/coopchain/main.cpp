// coopchain: the command-line client and admin tool. This file only finds the verb named by
// argv and hands it the rest; every verb lives in its group's file.
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "coopchain/version.h"
#include "escaping_output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

std::vector<VerbSpec> all_verbs() {
  std::vector<VerbSpec> verbs;
  for (auto group :
       {keygen_verbs, devnet_verbs, submit_verbs, query_verbs, lot_verbs, audit_verbs,
        genesis_verbs, node_verbs, farm_verbs, cert_verbs, eudr_verbs, outbox_verbs, gov_verbs}) {
    for (auto& v : group()) verbs.push_back(std::move(v));
  }
  return verbs;
}

void print_overview(std::ostream& out, const std::vector<VerbSpec>& verbs,
                    std::string_view group = {}) {
  out << "usage: coopchain " << (group.empty() ? "VERB" : std::string(group) + " VERB")
      << " [ARGS] [--help]\n\n";
  if (group.empty()) {
    out << "The coopchain command-line client: keys, a local devnet, submitting signed events\n"
           "and asking a node about transactions, lots, blocks and itself.\n\n";
  }
  out << "verbs:\n";
  for (const auto& v : verbs) {
    if (!group.empty() && v.words.front() != group) continue;
    std::string name = "  " + verb_name(v);
    for (auto op : v.operands) name += " " + std::string(op);
    if (name.size() < 26) name.resize(26, ' ');
    out << name << " " << v.brief << "\n";
  }
  if (group.empty()) {
    out << "\n  --help                   this help; `coopchain VERB --help` for one verb\n"
           "  --version                the version\n\n"
           "Exit codes: 0 success, 1 a rejected or failed operation (the reason, with its rule\n"
           "code, on stderr), 2 bad usage.\n";
  }
}

bool is_help(const std::string& word) {
  return word == "--help" || word == "-h";
}

int run(const std::vector<std::string>& argv) {
  const std::vector<VerbSpec> verbs = all_verbs();
  if (argv.empty()) {
    print_overview(std::cerr, verbs);
    return kExitUsage;
  }
  if (is_help(argv[0]) || argv[0] == "help") {
    print_overview(std::cout, verbs);
    return kExitOk;
  }
  if (argv[0] == "--version") {
    std::cout << "coopchain " << kVersion << "\n";
    return kExitOk;
  }

  const VerbSpec* verb = nullptr;
  for (const auto& v : verbs) {
    if (v.words.size() > argv.size()) continue;
    bool match = true;
    for (size_t i = 0; i < v.words.size(); ++i) match = match && argv[i] == v.words[i];
    if (match && (verb == nullptr || v.words.size() > verb->words.size())) verb = &v;
  }
  if (verb == nullptr) {
    bool is_group = false;
    for (const auto& v : verbs)
      is_group = is_group || (v.words.size() > 1 && v.words[0] == argv[0]);
    if (is_group && argv.size() >= 2 && is_help(argv[1])) {
      print_overview(std::cout, verbs, argv[0]);
      return kExitOk;
    }
    if (is_group) {
      std::cerr << "coopchain: "
                << (argv.size() < 2 ? "'" + argv[0] + "' needs a verb"
                                    : "unknown verb '" + argv[0] + " " + argv[1] + "'")
                << "\n";
      print_overview(std::cerr, verbs, argv[0]);
      return kExitUsage;
    }
    std::cerr << "coopchain: unknown verb '" << argv[0] << "'\n"
              << "usage: coopchain VERB [ARGS]; `coopchain --help` lists the verbs\n";
    return kExitUsage;
  }

  std::span<const std::string> rest(argv.begin() + static_cast<std::ptrdiff_t>(verb->words.size()),
                                    argv.end());
  for (const auto& word : rest) {
    if (is_help(word)) {
      print_verb_help(*verb);
      return kExitOk;
    }
  }
  std::string error;
  auto args = parse_args(*verb, rest, &error);
  if (!args) return usage_error(*verb, error);
  return verb->run(*args);
}

}  // namespace
}  // namespace coopchain::cli

int main(int argc, char** argv) {
  coopchain::cli::EscapedStream out(std::cout);
  coopchain::cli::EscapedStream err(std::cerr);
  std::vector<std::string> words(argv + 1, argv + argc);
  return coopchain::cli::run(words);
}

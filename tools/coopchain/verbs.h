// The verb groups of the coopchain CLI. Each group's file defines its verbs' specs and handlers;
// main.cpp dispatches on the words of argv.
#pragma once

#include <vector>

#include "args.h"

namespace coopchain::cli {

std::vector<VerbSpec> keygen_verbs();   // keygen
std::vector<VerbSpec> devnet_verbs();   // devnet init | up | down
std::vector<VerbSpec> submit_verbs();   // submit
std::vector<VerbSpec> query_verbs();    // tx status, block get, chain head, status
std::vector<VerbSpec> lot_verbs();      // lot show | trace
std::vector<VerbSpec> audit_verbs();    // audit, chain export
std::vector<VerbSpec> genesis_verbs();  // genesis hash, genesis show, genesis assemble
std::vector<VerbSpec> node_verbs();     // node init
std::vector<VerbSpec> farm_verbs();     // farm show
std::vector<VerbSpec> cert_verbs();     // cert show
std::vector<VerbSpec> eudr_verbs();     // eudr check
std::vector<VerbSpec> outbox_verbs();   // outbox add | list | send
std::vector<VerbSpec> gov_verbs();      // gov propose | approve | withdraw | list | show, members

}  // namespace coopchain::cli

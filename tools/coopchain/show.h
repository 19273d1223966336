// The common tail of every query verb: print the response as JSON or as text, or the error.
#pragma once

#include <iostream>

#include "args.h"
#include "client.h"
#include "output.h"

namespace coopchain::cli {

// Prints `response` as JSON or through `print_text`; the common tail of every query verb.
template <typename Message, typename Printer>
int show(const Args& args, const NodeClient& client, const grpc::Status& status,
         const Message& response, Printer print_text) {
  if (!status.ok()) return fail_rpc(client, status);
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << to_json(response) << "\n";
  } else {
    print_text(response);
  }
  return kExitOk;
}

}  // namespace coopchain::cli

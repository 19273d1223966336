// Checks shared by the tests that drive a one-node network through the CLI.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

#include "harness.h"

namespace coopchain::testing {

// Submits `json` signed by `org`: the CLI must exit 1 naming `code`, and the head stay as it was.
inline void expect_refused(const SingleNodeNetwork& net, const std::string& json,
                           const std::string& org, const std::string& code) {
  const std::string before = net.head();
  CommandResult r = net.submit(json, org);
  EXPECT_EQ(r.exit_code, 1) << json << "\nstdout: " << r.out << "\nstderr: " << r.err;
  EXPECT_NE(r.err.find(code), std::string::npos)
      << "expected " << code << " for " << json << "\nstderr: " << r.err;
  EXPECT_EQ(net.head(), before) << "a refused event changed the chain";
}

// The message a CLI call printed with --output json; a failed call or bad JSON fails the test.
template <typename Message>
Message parsed_output(const CommandResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Message out;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &out, options).ok()) << r.out;
  return out;
}

}  // namespace coopchain::testing

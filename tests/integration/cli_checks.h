// Checks shared by the tests that drive a one-node network through the CLI.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <regex>
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

// The public key `coopchain keygen --output json` printed (64 hex digits); empty, failing the
// test, when it printed none.
inline std::string public_key_printed(const CommandResult& keygen) {
  std::smatch m;
  const bool found =
      std::regex_search(keygen.out, m, std::regex(R"re("publicKey": "([0-9a-f]{64})")re"));
  EXPECT_TRUE(found) << "keygen printed no public key: " << keygen.out << keygen.err;
  return found ? m[1].str() : "";
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
